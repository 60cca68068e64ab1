from http import HTTPStatus
from typing import Any
from urllib.parse import quote

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.payout_out import PayoutOut
from ...models.problem import Problem
from ...types import Response


def _get_kwargs(
    payout_id: str,
) -> dict[str, Any]:

    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/api/v1/treasury/payouts/{payout_id}".format(
            payout_id=quote(str(payout_id), safe=""),
        ),
    }

    return _kwargs


def _parse_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> PayoutOut | Problem | None:
    if response.status_code == 200:
        response_200 = PayoutOut.from_dict(response.json())

        return response_200

    if response.status_code == 401:
        response_401 = Problem.from_dict(response.json())

        return response_401

    if response.status_code == 403:
        response_403 = Problem.from_dict(response.json())

        return response_403

    if response.status_code == 404:
        response_404 = Problem.from_dict(response.json())

        return response_404

    if response.status_code == 422:
        response_422 = Problem.from_dict(response.json())

        return response_422

    if response.status_code == 429:
        response_429 = Problem.from_dict(response.json())

        return response_429

    if response.status_code == 500:
        response_500 = Problem.from_dict(response.json())

        return response_500

    if client.raise_on_unexpected_status:
        raise errors.UnexpectedStatus(response.status_code, response.content)
    else:
        return None


def _build_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> Response[PayoutOut | Problem]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    payout_id: str,
    *,
    client: AuthenticatedClient,
) -> Response[PayoutOut | Problem]:
    """Get Payout

    Args:
        payout_id (str):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[PayoutOut | Problem]
    """

    kwargs = _get_kwargs(
        payout_id=payout_id,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    payout_id: str,
    *,
    client: AuthenticatedClient,
) -> PayoutOut | Problem | None:
    """Get Payout

    Args:
        payout_id (str):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        PayoutOut | Problem
    """

    return sync_detailed(
        payout_id=payout_id,
        client=client,
    ).parsed


async def asyncio_detailed(
    payout_id: str,
    *,
    client: AuthenticatedClient,
) -> Response[PayoutOut | Problem]:
    """Get Payout

    Args:
        payout_id (str):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[PayoutOut | Problem]
    """

    kwargs = _get_kwargs(
        payout_id=payout_id,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    payout_id: str,
    *,
    client: AuthenticatedClient,
) -> PayoutOut | Problem | None:
    """Get Payout

    Args:
        payout_id (str):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        PayoutOut | Problem
    """

    return (
        await asyncio_detailed(
            payout_id=payout_id,
            client=client,
        )
    ).parsed
