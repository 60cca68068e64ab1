from http import HTTPStatus
from typing import Any
from urllib.parse import quote

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.company_out import CompanyOut
from ...models.company_patch import CompanyPatch
from ...models.problem import Problem
from ...types import Response


def _get_kwargs(
    id_or_ticker: str,
    *,
    body: CompanyPatch,
) -> dict[str, Any]:
    headers: dict[str, Any] = {}

    _kwargs: dict[str, Any] = {
        "method": "patch",
        "url": "/api/v1/companies/{id_or_ticker}".format(
            id_or_ticker=quote(str(id_or_ticker), safe=""),
        ),
    }

    _kwargs["json"] = body.to_dict()

    headers["Content-Type"] = "application/json"

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> CompanyOut | Problem | None:
    if response.status_code == 200:
        response_200 = CompanyOut.from_dict(response.json())

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
    client: AuthenticatedClient,
    body: CompanyPatch,
) -> Response[CompanyOut | Problem]:
    """Update Company

     Change a company's details (admin). The ticker is fixed once cards carry it on chain.

    Args:
        id_or_ticker (str):
        body (CompanyPatch): Fields to change; the ticker is fixed because minted cards carry it
            on chain.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[CompanyOut | Problem]
    """

    kwargs = _get_kwargs(
        id_or_ticker=id_or_ticker,
        body=body,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    id_or_ticker: str,
    *,
    client: AuthenticatedClient,
    body: CompanyPatch,
) -> CompanyOut | Problem | None:
    """Update Company

     Change a company's details (admin). The ticker is fixed once cards carry it on chain.

    Args:
        id_or_ticker (str):
        body (CompanyPatch): Fields to change; the ticker is fixed because minted cards carry it
            on chain.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        CompanyOut | Problem
    """

    return sync_detailed(
        id_or_ticker=id_or_ticker,
        client=client,
        body=body,
    ).parsed


async def asyncio_detailed(
    id_or_ticker: str,
    *,
    client: AuthenticatedClient,
    body: CompanyPatch,
) -> Response[CompanyOut | Problem]:
    """Update Company

     Change a company's details (admin). The ticker is fixed once cards carry it on chain.

    Args:
        id_or_ticker (str):
        body (CompanyPatch): Fields to change; the ticker is fixed because minted cards carry it
            on chain.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[CompanyOut | Problem]
    """

    kwargs = _get_kwargs(
        id_or_ticker=id_or_ticker,
        body=body,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    id_or_ticker: str,
    *,
    client: AuthenticatedClient,
    body: CompanyPatch,
) -> CompanyOut | Problem | None:
    """Update Company

     Change a company's details (admin). The ticker is fixed once cards carry it on chain.

    Args:
        id_or_ticker (str):
        body (CompanyPatch): Fields to change; the ticker is fixed because minted cards carry it
            on chain.

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
            body=body,
        )
    ).parsed
