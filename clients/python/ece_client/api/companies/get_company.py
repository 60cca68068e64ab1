from http import HTTPStatus
from typing import Any
from urllib.parse import quote

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.company_out import CompanyOut
from ...models.problem import Problem
from ...types import Response


def _get_kwargs(
    id_or_ticker: str,
) -> dict[str, Any]:

    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/api/v1/companies/{id_or_ticker}".format(
            id_or_ticker=quote(str(id_or_ticker), safe=""),
        ),
    }

    return _kwargs


def _parse_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> CompanyOut | Problem | None:
    if response.status_code == 200:
        response_200 = CompanyOut.from_dict(response.json())

        return response_200

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
) -> Response[CompanyOut | Problem]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    id_or_ticker: str,
    *,
    client: AuthenticatedClient | Client,
) -> Response[CompanyOut | Problem]:
    """Get Company

     A company by id or ticker.

    Args:
        id_or_ticker (str):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[CompanyOut | Problem]
    """

    kwargs = _get_kwargs(
        id_or_ticker=id_or_ticker,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    id_or_ticker: str,
    *,
    client: AuthenticatedClient | Client,
) -> CompanyOut | Problem | None:
    """Get Company

     A company by id or ticker.

    Args:
        id_or_ticker (str):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        CompanyOut | Problem
    """

    return sync_detailed(
        id_or_ticker=id_or_ticker,
        client=client,
    ).parsed


async def asyncio_detailed(
    id_or_ticker: str,
    *,
    client: AuthenticatedClient | Client,
) -> Response[CompanyOut | Problem]:
    """Get Company

     A company by id or ticker.

    Args:
        id_or_ticker (str):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[CompanyOut | Problem]
    """

    kwargs = _get_kwargs(
        id_or_ticker=id_or_ticker,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    id_or_ticker: str,
    *,
    client: AuthenticatedClient | Client,
) -> CompanyOut | Problem | None:
    """Get Company

     A company by id or ticker.

    Args:
        id_or_ticker (str):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        CompanyOut | Problem
    """

    return (
        await asyncio_detailed(
            id_or_ticker=id_or_ticker,
            client=client,
        )
    ).parsed
