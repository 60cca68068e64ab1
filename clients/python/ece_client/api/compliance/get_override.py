from http import HTTPStatus
from typing import Any
from urllib.parse import quote

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.override_out import OverrideOut
from ...models.problem import Problem
from ...types import Response


def _get_kwargs(
    override_id: str,
) -> dict[str, Any]:

    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/api/v1/compliance/limit-overrides/{override_id}".format(
            override_id=quote(str(override_id), safe=""),
        ),
    }

    return _kwargs


def _parse_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> OverrideOut | Problem | None:
    if response.status_code == 200:
        response_200 = OverrideOut.from_dict(response.json())

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


def _build_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> Response[OverrideOut | Problem]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    override_id: str,
    *,
    client: AuthenticatedClient,
) -> Response[OverrideOut | Problem]:
    """Get Override

    Args:
        override_id (str):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[OverrideOut | Problem]
    """

    kwargs = _get_kwargs(
        override_id=override_id,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    override_id: str,
    *,
    client: AuthenticatedClient,
) -> OverrideOut | Problem | None:
    """Get Override

    Args:
        override_id (str):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        OverrideOut | Problem
    """

    return sync_detailed(
        override_id=override_id,
        client=client,
    ).parsed


async def asyncio_detailed(
    override_id: str,
    *,
    client: AuthenticatedClient,
) -> Response[OverrideOut | Problem]:
    """Get Override

    Args:
        override_id (str):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[OverrideOut | Problem]
    """

    kwargs = _get_kwargs(
        override_id=override_id,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    override_id: str,
    *,
    client: AuthenticatedClient,
) -> OverrideOut | Problem | None:
    """Get Override

    Args:
        override_id (str):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        OverrideOut | Problem
    """

    return (
        await asyncio_detailed(
            override_id=override_id,
            client=client,
        )
    ).parsed
