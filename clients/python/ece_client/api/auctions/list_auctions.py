from http import HTTPStatus
from typing import Any

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.asset import Asset
from ...models.auction_page import AuctionPage
from ...models.auction_sort import AuctionSort
from ...models.auction_status import AuctionStatus
from ...models.problem import Problem
from ...types import UNSET, Response, Unset


def _get_kwargs(
    *,
    status: AuctionStatus | None | Unset = UNSET,
    company: None | str | Unset = UNSET,
    currency: Asset | None | Unset = UNSET,
    sort: AuctionSort | Unset = UNSET,
    limit: int | Unset = 50,
    cursor: None | str | Unset = UNSET,
) -> dict[str, Any]:

    params: dict[str, Any] = {}

    json_status: None | str | Unset
    if isinstance(status, Unset):
        json_status = UNSET
    elif isinstance(status, AuctionStatus):
        json_status = status.value
    else:
        json_status = status
    params["status"] = json_status

    json_company: None | str | Unset
    if isinstance(company, Unset):
        json_company = UNSET
    else:
        json_company = company
    params["company"] = json_company

    json_currency: None | str | Unset
    if isinstance(currency, Unset):
        json_currency = UNSET
    elif isinstance(currency, Asset):
        json_currency = currency.value
    else:
        json_currency = currency
    params["currency"] = json_currency

    json_sort: str | Unset = UNSET
    if not isinstance(sort, Unset):
        json_sort = sort.value

    params["sort"] = json_sort

    params["limit"] = limit

    json_cursor: None | str | Unset
    if isinstance(cursor, Unset):
        json_cursor = UNSET
    else:
        json_cursor = cursor
    params["cursor"] = json_cursor

    params = {k: v for k, v in params.items() if v is not UNSET and v is not None}

    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/api/v1/auctions",
        "params": params,
    }

    return _kwargs


def _parse_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> AuctionPage | Problem | None:
    if response.status_code == 200:
        response_200 = AuctionPage.from_dict(response.json())

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
) -> Response[AuctionPage | Problem]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient | Client,
    status: AuctionStatus | None | Unset = UNSET,
    company: None | str | Unset = UNSET,
    currency: Asset | None | Unset = UNSET,
    sort: AuctionSort | Unset = UNSET,
    limit: int | Unset = 50,
    cursor: None | str | Unset = UNSET,
) -> Response[AuctionPage | Problem]:
    """List Auctions

     Auctions (cancelled ones only with ``status=cancelled``); ``price`` sorts by the
    English visible price (a Dutch auction by its start price).

    Args:
        status (AuctionStatus | None | Unset):
        company (None | str | Unset): Company id or ticker
        currency (Asset | None | Unset):
        sort (AuctionSort | Unset):
        limit (int | Unset): Page size, 1 to 200 (more: 422) Default: 50.
        cursor (None | str | Unset): `next_cursor` of the previous page, as given (any other
            value: 422)

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[AuctionPage | Problem]
    """

    kwargs = _get_kwargs(
        status=status,
        company=company,
        currency=currency,
        sort=sort,
        limit=limit,
        cursor=cursor,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    *,
    client: AuthenticatedClient | Client,
    status: AuctionStatus | None | Unset = UNSET,
    company: None | str | Unset = UNSET,
    currency: Asset | None | Unset = UNSET,
    sort: AuctionSort | Unset = UNSET,
    limit: int | Unset = 50,
    cursor: None | str | Unset = UNSET,
) -> AuctionPage | Problem | None:
    """List Auctions

     Auctions (cancelled ones only with ``status=cancelled``); ``price`` sorts by the
    English visible price (a Dutch auction by its start price).

    Args:
        status (AuctionStatus | None | Unset):
        company (None | str | Unset): Company id or ticker
        currency (Asset | None | Unset):
        sort (AuctionSort | Unset):
        limit (int | Unset): Page size, 1 to 200 (more: 422) Default: 50.
        cursor (None | str | Unset): `next_cursor` of the previous page, as given (any other
            value: 422)

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        AuctionPage | Problem
    """

    return sync_detailed(
        client=client,
        status=status,
        company=company,
        currency=currency,
        sort=sort,
        limit=limit,
        cursor=cursor,
    ).parsed


async def asyncio_detailed(
    *,
    client: AuthenticatedClient | Client,
    status: AuctionStatus | None | Unset = UNSET,
    company: None | str | Unset = UNSET,
    currency: Asset | None | Unset = UNSET,
    sort: AuctionSort | Unset = UNSET,
    limit: int | Unset = 50,
    cursor: None | str | Unset = UNSET,
) -> Response[AuctionPage | Problem]:
    """List Auctions

     Auctions (cancelled ones only with ``status=cancelled``); ``price`` sorts by the
    English visible price (a Dutch auction by its start price).

    Args:
        status (AuctionStatus | None | Unset):
        company (None | str | Unset): Company id or ticker
        currency (Asset | None | Unset):
        sort (AuctionSort | Unset):
        limit (int | Unset): Page size, 1 to 200 (more: 422) Default: 50.
        cursor (None | str | Unset): `next_cursor` of the previous page, as given (any other
            value: 422)

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[AuctionPage | Problem]
    """

    kwargs = _get_kwargs(
        status=status,
        company=company,
        currency=currency,
        sort=sort,
        limit=limit,
        cursor=cursor,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    *,
    client: AuthenticatedClient | Client,
    status: AuctionStatus | None | Unset = UNSET,
    company: None | str | Unset = UNSET,
    currency: Asset | None | Unset = UNSET,
    sort: AuctionSort | Unset = UNSET,
    limit: int | Unset = 50,
    cursor: None | str | Unset = UNSET,
) -> AuctionPage | Problem | None:
    """List Auctions

     Auctions (cancelled ones only with ``status=cancelled``); ``price`` sorts by the
    English visible price (a Dutch auction by its start price).

    Args:
        status (AuctionStatus | None | Unset):
        company (None | str | Unset): Company id or ticker
        currency (Asset | None | Unset):
        sort (AuctionSort | Unset):
        limit (int | Unset): Page size, 1 to 200 (more: 422) Default: 50.
        cursor (None | str | Unset): `next_cursor` of the previous page, as given (any other
            value: 422)

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        AuctionPage | Problem
    """

    return (
        await asyncio_detailed(
            client=client,
            status=status,
            company=company,
            currency=currency,
            sort=sort,
            limit=limit,
            cursor=cursor,
        )
    ).parsed
