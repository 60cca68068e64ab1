from http import HTTPStatus
from typing import Any

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.asset import Asset
from ...models.market_summary_out import MarketSummaryOut
from ...models.problem import Problem
from ...types import UNSET, Response, Unset


def _get_kwargs(
    *,
    currency: Asset | Unset = UNSET,
    limit: int | Unset = 50,
) -> dict[str, Any]:

    params: dict[str, Any] = {}

    json_currency: str | Unset = UNSET
    if not isinstance(currency, Unset):
        json_currency = currency.value

    params["currency"] = json_currency

    params["limit"] = limit

    params = {k: v for k, v in params.items() if v is not UNSET and v is not None}

    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/api/v1/market/summary",
        "params": params,
    }

    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> MarketSummaryOut | Problem | None:
    if response.status_code == 200:
        response_200 = MarketSummaryOut.from_dict(response.json())

        return response_200

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
) -> Response[MarketSummaryOut | Problem]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient | Client,
    currency: Asset | Unset = UNSET,
    limit: int | Unset = 50,
) -> Response[MarketSummaryOut | Problem]:
    """Summary

     Companies ranked by 24 h volume in ``currency`` (then 7 d volume), with floors.

    Args:
        currency (Asset | Unset):
        limit (int | Unset):  Default: 50.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[MarketSummaryOut | Problem]
    """

    kwargs = _get_kwargs(
        currency=currency,
        limit=limit,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    *,
    client: AuthenticatedClient | Client,
    currency: Asset | Unset = UNSET,
    limit: int | Unset = 50,
) -> MarketSummaryOut | Problem | None:
    """Summary

     Companies ranked by 24 h volume in ``currency`` (then 7 d volume), with floors.

    Args:
        currency (Asset | Unset):
        limit (int | Unset):  Default: 50.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        MarketSummaryOut | Problem
    """

    return sync_detailed(
        client=client,
        currency=currency,
        limit=limit,
    ).parsed


async def asyncio_detailed(
    *,
    client: AuthenticatedClient | Client,
    currency: Asset | Unset = UNSET,
    limit: int | Unset = 50,
) -> Response[MarketSummaryOut | Problem]:
    """Summary

     Companies ranked by 24 h volume in ``currency`` (then 7 d volume), with floors.

    Args:
        currency (Asset | Unset):
        limit (int | Unset):  Default: 50.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[MarketSummaryOut | Problem]
    """

    kwargs = _get_kwargs(
        currency=currency,
        limit=limit,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    *,
    client: AuthenticatedClient | Client,
    currency: Asset | Unset = UNSET,
    limit: int | Unset = 50,
) -> MarketSummaryOut | Problem | None:
    """Summary

     Companies ranked by 24 h volume in ``currency`` (then 7 d volume), with floors.

    Args:
        currency (Asset | Unset):
        limit (int | Unset):  Default: 50.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        MarketSummaryOut | Problem
    """

    return (
        await asyncio_detailed(
            client=client,
            currency=currency,
            limit=limit,
        )
    ).parsed
