from http import HTTPStatus
from typing import Any

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.asset import Asset
from ...models.listing_page import ListingPage
from ...models.listing_sort import ListingSort
from ...models.problem import Problem
from ...models.rarity import Rarity
from ...types import UNSET, Response, Unset


def _get_kwargs(
    *,
    limit: int | Unset = 50,
    cursor: None | str | Unset = UNSET,
    company: None | str | Unset = UNSET,
    rarity: None | Rarity | Unset = UNSET,
    currency: Asset | None | Unset = UNSET,
    min_price: None | str | Unset = UNSET,
    max_price: None | str | Unset = UNSET,
    card: None | str | Unset = UNSET,
    sort: ListingSort | Unset = UNSET,
) -> dict[str, Any]:

    params: dict[str, Any] = {}

    params["limit"] = limit

    json_cursor: None | str | Unset
    if isinstance(cursor, Unset):
        json_cursor = UNSET
    else:
        json_cursor = cursor
    params["cursor"] = json_cursor

    json_company: None | str | Unset
    if isinstance(company, Unset):
        json_company = UNSET
    else:
        json_company = company
    params["company"] = json_company

    json_rarity: None | str | Unset
    if isinstance(rarity, Unset):
        json_rarity = UNSET
    elif isinstance(rarity, Rarity):
        json_rarity = rarity.value
    else:
        json_rarity = rarity
    params["rarity"] = json_rarity

    json_currency: None | str | Unset
    if isinstance(currency, Unset):
        json_currency = UNSET
    elif isinstance(currency, Asset):
        json_currency = currency.value
    else:
        json_currency = currency
    params["currency"] = json_currency

    json_min_price: None | str | Unset
    if isinstance(min_price, Unset):
        json_min_price = UNSET
    else:
        json_min_price = min_price
    params["min_price"] = json_min_price

    json_max_price: None | str | Unset
    if isinstance(max_price, Unset):
        json_max_price = UNSET
    else:
        json_max_price = max_price
    params["max_price"] = json_max_price

    json_card: None | str | Unset
    if isinstance(card, Unset):
        json_card = UNSET
    else:
        json_card = card
    params["card"] = json_card

    json_sort: str | Unset = UNSET
    if not isinstance(sort, Unset):
        json_sort = sort.value

    params["sort"] = json_sort

    params = {k: v for k, v in params.items() if v is not UNSET and v is not None}

    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/api/v1/listings",
        "params": params,
    }

    return _kwargs


def _parse_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> ListingPage | Problem | None:
    if response.status_code == 200:
        response_200 = ListingPage.from_dict(response.json())

        return response_200

    if response.status_code == 401:
        response_401 = Problem.from_dict(response.json())

        return response_401

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
) -> Response[ListingPage | Problem]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient | Client,
    limit: int | Unset = 50,
    cursor: None | str | Unset = UNSET,
    company: None | str | Unset = UNSET,
    rarity: None | Rarity | Unset = UNSET,
    currency: Asset | None | Unset = UNSET,
    min_price: None | str | Unset = UNSET,
    max_price: None | str | Unset = UNSET,
    card: None | str | Unset = UNSET,
    sort: ListingSort | Unset = UNSET,
) -> Response[ListingPage | Problem]:
    """List Listings

     Active listings (never expired ones). ``price_*`` sorts order ECE before USDC, each by
    price; filter by ``currency`` for one price ladder.

    Args:
        limit (int | Unset): Page size, 1 to 200 (more: 422) Default: 50.
        cursor (None | str | Unset): `next_cursor` of the previous page, as given (any other
            value: 422)
        company (None | str | Unset): Company id or ticker
        rarity (None | Rarity | Unset):
        currency (Asset | None | Unset):
        min_price (None | str | Unset): Needs currency
        max_price (None | str | Unset): Needs currency
        card (None | str | Unset): Card id
        sort (ListingSort | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ListingPage | Problem]
    """

    kwargs = _get_kwargs(
        limit=limit,
        cursor=cursor,
        company=company,
        rarity=rarity,
        currency=currency,
        min_price=min_price,
        max_price=max_price,
        card=card,
        sort=sort,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    *,
    client: AuthenticatedClient | Client,
    limit: int | Unset = 50,
    cursor: None | str | Unset = UNSET,
    company: None | str | Unset = UNSET,
    rarity: None | Rarity | Unset = UNSET,
    currency: Asset | None | Unset = UNSET,
    min_price: None | str | Unset = UNSET,
    max_price: None | str | Unset = UNSET,
    card: None | str | Unset = UNSET,
    sort: ListingSort | Unset = UNSET,
) -> ListingPage | Problem | None:
    """List Listings

     Active listings (never expired ones). ``price_*`` sorts order ECE before USDC, each by
    price; filter by ``currency`` for one price ladder.

    Args:
        limit (int | Unset): Page size, 1 to 200 (more: 422) Default: 50.
        cursor (None | str | Unset): `next_cursor` of the previous page, as given (any other
            value: 422)
        company (None | str | Unset): Company id or ticker
        rarity (None | Rarity | Unset):
        currency (Asset | None | Unset):
        min_price (None | str | Unset): Needs currency
        max_price (None | str | Unset): Needs currency
        card (None | str | Unset): Card id
        sort (ListingSort | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ListingPage | Problem
    """

    return sync_detailed(
        client=client,
        limit=limit,
        cursor=cursor,
        company=company,
        rarity=rarity,
        currency=currency,
        min_price=min_price,
        max_price=max_price,
        card=card,
        sort=sort,
    ).parsed


async def asyncio_detailed(
    *,
    client: AuthenticatedClient | Client,
    limit: int | Unset = 50,
    cursor: None | str | Unset = UNSET,
    company: None | str | Unset = UNSET,
    rarity: None | Rarity | Unset = UNSET,
    currency: Asset | None | Unset = UNSET,
    min_price: None | str | Unset = UNSET,
    max_price: None | str | Unset = UNSET,
    card: None | str | Unset = UNSET,
    sort: ListingSort | Unset = UNSET,
) -> Response[ListingPage | Problem]:
    """List Listings

     Active listings (never expired ones). ``price_*`` sorts order ECE before USDC, each by
    price; filter by ``currency`` for one price ladder.

    Args:
        limit (int | Unset): Page size, 1 to 200 (more: 422) Default: 50.
        cursor (None | str | Unset): `next_cursor` of the previous page, as given (any other
            value: 422)
        company (None | str | Unset): Company id or ticker
        rarity (None | Rarity | Unset):
        currency (Asset | None | Unset):
        min_price (None | str | Unset): Needs currency
        max_price (None | str | Unset): Needs currency
        card (None | str | Unset): Card id
        sort (ListingSort | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ListingPage | Problem]
    """

    kwargs = _get_kwargs(
        limit=limit,
        cursor=cursor,
        company=company,
        rarity=rarity,
        currency=currency,
        min_price=min_price,
        max_price=max_price,
        card=card,
        sort=sort,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    *,
    client: AuthenticatedClient | Client,
    limit: int | Unset = 50,
    cursor: None | str | Unset = UNSET,
    company: None | str | Unset = UNSET,
    rarity: None | Rarity | Unset = UNSET,
    currency: Asset | None | Unset = UNSET,
    min_price: None | str | Unset = UNSET,
    max_price: None | str | Unset = UNSET,
    card: None | str | Unset = UNSET,
    sort: ListingSort | Unset = UNSET,
) -> ListingPage | Problem | None:
    """List Listings

     Active listings (never expired ones). ``price_*`` sorts order ECE before USDC, each by
    price; filter by ``currency`` for one price ladder.

    Args:
        limit (int | Unset): Page size, 1 to 200 (more: 422) Default: 50.
        cursor (None | str | Unset): `next_cursor` of the previous page, as given (any other
            value: 422)
        company (None | str | Unset): Company id or ticker
        rarity (None | Rarity | Unset):
        currency (Asset | None | Unset):
        min_price (None | str | Unset): Needs currency
        max_price (None | str | Unset): Needs currency
        card (None | str | Unset): Card id
        sort (ListingSort | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ListingPage | Problem
    """

    return (
        await asyncio_detailed(
            client=client,
            limit=limit,
            cursor=cursor,
            company=company,
            rarity=rarity,
            currency=currency,
            min_price=min_price,
            max_price=max_price,
            card=card,
            sort=sort,
        )
    ).parsed
