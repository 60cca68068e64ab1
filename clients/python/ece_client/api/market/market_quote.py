from http import HTTPStatus
from typing import Any

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.asset import Asset
from ...models.problem import Problem
from ...models.quote_out import QuoteOut
from ...models.quote_side import QuoteSide
from ...types import UNSET, Response, Unset


def _get_kwargs(
    *,
    company_id: str,
    price: str,
    currency: Asset,
    side: QuoteSide,
    primary: bool | Unset = False,
) -> dict[str, Any]:

    params: dict[str, Any] = {}

    params["company_id"] = company_id

    params["price"] = price

    json_currency = currency.value
    params["currency"] = json_currency

    json_side = side.value
    params["side"] = json_side

    params["primary"] = primary

    params = {k: v for k, v in params.items() if v is not UNSET and v is not None}

    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/api/v1/market/quote",
        "params": params,
    }

    return _kwargs


def _parse_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> Problem | QuoteOut | None:
    if response.status_code == 200:
        response_200 = QuoteOut.from_dict(response.json())

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


def _build_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> Response[Problem | QuoteOut]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient | Client,
    company_id: str,
    price: str,
    currency: Asset,
    side: QuoteSide,
    primary: bool | Unset = False,
) -> Response[Problem | QuoteOut]:
    """Market Quote

     What a sale of one of the company's cards at ``price`` costs: platform fee, royalty, and
    what the buyer pays (``side=buy``) or the seller receives (``side=sell``). The same split
    settlement applies; pages show it before every buy, listing and accepted offer.

    Args:
        company_id (str):
        price (str): Decimal string, e.g. '12.5'
        currency (Asset):
        side (QuoteSide):
        primary (bool | Unset): A company's own first sale (an issuer listing): no royalty
            Default: False.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Problem | QuoteOut]
    """

    kwargs = _get_kwargs(
        company_id=company_id,
        price=price,
        currency=currency,
        side=side,
        primary=primary,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    *,
    client: AuthenticatedClient | Client,
    company_id: str,
    price: str,
    currency: Asset,
    side: QuoteSide,
    primary: bool | Unset = False,
) -> Problem | QuoteOut | None:
    """Market Quote

     What a sale of one of the company's cards at ``price`` costs: platform fee, royalty, and
    what the buyer pays (``side=buy``) or the seller receives (``side=sell``). The same split
    settlement applies; pages show it before every buy, listing and accepted offer.

    Args:
        company_id (str):
        price (str): Decimal string, e.g. '12.5'
        currency (Asset):
        side (QuoteSide):
        primary (bool | Unset): A company's own first sale (an issuer listing): no royalty
            Default: False.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Problem | QuoteOut
    """

    return sync_detailed(
        client=client,
        company_id=company_id,
        price=price,
        currency=currency,
        side=side,
        primary=primary,
    ).parsed


async def asyncio_detailed(
    *,
    client: AuthenticatedClient | Client,
    company_id: str,
    price: str,
    currency: Asset,
    side: QuoteSide,
    primary: bool | Unset = False,
) -> Response[Problem | QuoteOut]:
    """Market Quote

     What a sale of one of the company's cards at ``price`` costs: platform fee, royalty, and
    what the buyer pays (``side=buy``) or the seller receives (``side=sell``). The same split
    settlement applies; pages show it before every buy, listing and accepted offer.

    Args:
        company_id (str):
        price (str): Decimal string, e.g. '12.5'
        currency (Asset):
        side (QuoteSide):
        primary (bool | Unset): A company's own first sale (an issuer listing): no royalty
            Default: False.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Problem | QuoteOut]
    """

    kwargs = _get_kwargs(
        company_id=company_id,
        price=price,
        currency=currency,
        side=side,
        primary=primary,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    *,
    client: AuthenticatedClient | Client,
    company_id: str,
    price: str,
    currency: Asset,
    side: QuoteSide,
    primary: bool | Unset = False,
) -> Problem | QuoteOut | None:
    """Market Quote

     What a sale of one of the company's cards at ``price`` costs: platform fee, royalty, and
    what the buyer pays (``side=buy``) or the seller receives (``side=sell``). The same split
    settlement applies; pages show it before every buy, listing and accepted offer.

    Args:
        company_id (str):
        price (str): Decimal string, e.g. '12.5'
        currency (Asset):
        side (QuoteSide):
        primary (bool | Unset): A company's own first sale (an issuer listing): no royalty
            Default: False.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Problem | QuoteOut
    """

    return (
        await asyncio_detailed(
            client=client,
            company_id=company_id,
            price=price,
            currency=currency,
            side=side,
            primary=primary,
        )
    ).parsed
