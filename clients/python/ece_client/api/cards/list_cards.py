from http import HTTPStatus
from typing import Any

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.asset import Asset
from ...models.card_page import CardPage
from ...models.card_sort import CardSort
from ...models.card_status import CardStatus
from ...models.problem import Problem
from ...models.rarity import Rarity
from ...types import UNSET, Response, Unset


def _get_kwargs(
    *,
    company: None | str | Unset = UNSET,
    rarity: None | Rarity | Unset = UNSET,
    owner: None | str | Unset = UNSET,
    q: None | str | Unset = UNSET,
    status: CardStatus | None | Unset = UNSET,
    sector: None | str | Unset = UNSET,
    listed: bool | None | Unset = UNSET,
    currency: Asset | None | Unset = UNSET,
    min_power: int | None | Unset = UNSET,
    max_power: int | None | Unset = UNSET,
    min_valuation: int | None | Unset = UNSET,
    max_valuation: int | None | Unset = UNSET,
    min_growth: int | None | Unset = UNSET,
    max_growth: int | None | Unset = UNSET,
    min_innovation: int | None | Unset = UNSET,
    max_innovation: int | None | Unset = UNSET,
    min_influence: int | None | Unset = UNSET,
    max_influence: int | None | Unset = UNSET,
    sort: CardSort | Unset = UNSET,
    limit: int | Unset = 50,
    cursor: None | str | Unset = UNSET,
    facets: None | str | Unset = UNSET,
) -> dict[str, Any]:

    params: dict[str, Any] = {}

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

    json_owner: None | str | Unset
    if isinstance(owner, Unset):
        json_owner = UNSET
    else:
        json_owner = owner
    params["owner"] = json_owner

    json_q: None | str | Unset
    if isinstance(q, Unset):
        json_q = UNSET
    else:
        json_q = q
    params["q"] = json_q

    json_status: None | str | Unset
    if isinstance(status, Unset):
        json_status = UNSET
    elif isinstance(status, CardStatus):
        json_status = status.value
    else:
        json_status = status
    params["status"] = json_status

    json_sector: None | str | Unset
    if isinstance(sector, Unset):
        json_sector = UNSET
    else:
        json_sector = sector
    params["sector"] = json_sector

    json_listed: bool | None | Unset
    if isinstance(listed, Unset):
        json_listed = UNSET
    else:
        json_listed = listed
    params["listed"] = json_listed

    json_currency: None | str | Unset
    if isinstance(currency, Unset):
        json_currency = UNSET
    elif isinstance(currency, Asset):
        json_currency = currency.value
    else:
        json_currency = currency
    params["currency"] = json_currency

    json_min_power: int | None | Unset
    if isinstance(min_power, Unset):
        json_min_power = UNSET
    else:
        json_min_power = min_power
    params["min_power"] = json_min_power

    json_max_power: int | None | Unset
    if isinstance(max_power, Unset):
        json_max_power = UNSET
    else:
        json_max_power = max_power
    params["max_power"] = json_max_power

    json_min_valuation: int | None | Unset
    if isinstance(min_valuation, Unset):
        json_min_valuation = UNSET
    else:
        json_min_valuation = min_valuation
    params["min_valuation"] = json_min_valuation

    json_max_valuation: int | None | Unset
    if isinstance(max_valuation, Unset):
        json_max_valuation = UNSET
    else:
        json_max_valuation = max_valuation
    params["max_valuation"] = json_max_valuation

    json_min_growth: int | None | Unset
    if isinstance(min_growth, Unset):
        json_min_growth = UNSET
    else:
        json_min_growth = min_growth
    params["min_growth"] = json_min_growth

    json_max_growth: int | None | Unset
    if isinstance(max_growth, Unset):
        json_max_growth = UNSET
    else:
        json_max_growth = max_growth
    params["max_growth"] = json_max_growth

    json_min_innovation: int | None | Unset
    if isinstance(min_innovation, Unset):
        json_min_innovation = UNSET
    else:
        json_min_innovation = min_innovation
    params["min_innovation"] = json_min_innovation

    json_max_innovation: int | None | Unset
    if isinstance(max_innovation, Unset):
        json_max_innovation = UNSET
    else:
        json_max_innovation = max_innovation
    params["max_innovation"] = json_max_innovation

    json_min_influence: int | None | Unset
    if isinstance(min_influence, Unset):
        json_min_influence = UNSET
    else:
        json_min_influence = min_influence
    params["min_influence"] = json_min_influence

    json_max_influence: int | None | Unset
    if isinstance(max_influence, Unset):
        json_max_influence = UNSET
    else:
        json_max_influence = max_influence
    params["max_influence"] = json_max_influence

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

    json_facets: None | str | Unset
    if isinstance(facets, Unset):
        json_facets = UNSET
    else:
        json_facets = facets
    params["facets"] = json_facets

    params = {k: v for k, v in params.items() if v is not UNSET and v is not None}

    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/api/v1/cards",
        "params": params,
    }

    return _kwargs


def _parse_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> CardPage | Problem | None:
    if response.status_code == 200:
        response_200 = CardPage.from_dict(response.json())

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


def _build_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> Response[CardPage | Problem]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient | Client,
    company: None | str | Unset = UNSET,
    rarity: None | Rarity | Unset = UNSET,
    owner: None | str | Unset = UNSET,
    q: None | str | Unset = UNSET,
    status: CardStatus | None | Unset = UNSET,
    sector: None | str | Unset = UNSET,
    listed: bool | None | Unset = UNSET,
    currency: Asset | None | Unset = UNSET,
    min_power: int | None | Unset = UNSET,
    max_power: int | None | Unset = UNSET,
    min_valuation: int | None | Unset = UNSET,
    max_valuation: int | None | Unset = UNSET,
    min_growth: int | None | Unset = UNSET,
    max_growth: int | None | Unset = UNSET,
    min_innovation: int | None | Unset = UNSET,
    max_innovation: int | None | Unset = UNSET,
    min_influence: int | None | Unset = UNSET,
    max_influence: int | None | Unset = UNSET,
    sort: CardSort | Unset = UNSET,
    limit: int | Unset = 50,
    cursor: None | str | Unset = UNSET,
    facets: None | str | Unset = UNSET,
) -> Response[CardPage | Problem]:
    """List Cards

     Browse and search cards. ``q`` matches the start of words in the card's name, company,
    ticker and sector. Price sorts follow open listings; unlisted (or never sold) cards last.
    Stat bounds ``min_*``/``max_*`` are inclusive. With ``facets`` (even empty) the page also
    carries ``total`` (or ``total_estimate`` past 2,000 matches) and the asked counts.

    Args:
        company (None | str | Unset): Company id or ticker
        rarity (None | Rarity | Unset):
        owner (None | str | Unset): User id or wallet
        q (None | str | Unset): Words to search for
        status (CardStatus | None | Unset):
        sector (None | str | Unset): Exact, any case
        listed (bool | None | Unset): Has an open public listing
        currency (Asset | None | Unset): The open listing's currency
        min_power (int | None | Unset):
        max_power (int | None | Unset):
        min_valuation (int | None | Unset):
        max_valuation (int | None | Unset):
        min_growth (int | None | Unset):
        max_growth (int | None | Unset):
        min_innovation (int | None | Unset):
        max_innovation (int | None | Unset):
        min_influence (int | None | Unset):
        max_influence (int | None | Unset):
        sort (CardSort | Unset):
        limit (int | Unset): Page size, 1 to 200 (more: 422) Default: 50.
        cursor (None | str | Unset): `next_cursor` of the previous page, as given (any other
            value: 422)
        facets (None | str | Unset): Comma-separated counts to return:
            company,sector,rarity,listed,currency,price,stats

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[CardPage | Problem]
    """

    kwargs = _get_kwargs(
        company=company,
        rarity=rarity,
        owner=owner,
        q=q,
        status=status,
        sector=sector,
        listed=listed,
        currency=currency,
        min_power=min_power,
        max_power=max_power,
        min_valuation=min_valuation,
        max_valuation=max_valuation,
        min_growth=min_growth,
        max_growth=max_growth,
        min_innovation=min_innovation,
        max_innovation=max_innovation,
        min_influence=min_influence,
        max_influence=max_influence,
        sort=sort,
        limit=limit,
        cursor=cursor,
        facets=facets,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    *,
    client: AuthenticatedClient | Client,
    company: None | str | Unset = UNSET,
    rarity: None | Rarity | Unset = UNSET,
    owner: None | str | Unset = UNSET,
    q: None | str | Unset = UNSET,
    status: CardStatus | None | Unset = UNSET,
    sector: None | str | Unset = UNSET,
    listed: bool | None | Unset = UNSET,
    currency: Asset | None | Unset = UNSET,
    min_power: int | None | Unset = UNSET,
    max_power: int | None | Unset = UNSET,
    min_valuation: int | None | Unset = UNSET,
    max_valuation: int | None | Unset = UNSET,
    min_growth: int | None | Unset = UNSET,
    max_growth: int | None | Unset = UNSET,
    min_innovation: int | None | Unset = UNSET,
    max_innovation: int | None | Unset = UNSET,
    min_influence: int | None | Unset = UNSET,
    max_influence: int | None | Unset = UNSET,
    sort: CardSort | Unset = UNSET,
    limit: int | Unset = 50,
    cursor: None | str | Unset = UNSET,
    facets: None | str | Unset = UNSET,
) -> CardPage | Problem | None:
    """List Cards

     Browse and search cards. ``q`` matches the start of words in the card's name, company,
    ticker and sector. Price sorts follow open listings; unlisted (or never sold) cards last.
    Stat bounds ``min_*``/``max_*`` are inclusive. With ``facets`` (even empty) the page also
    carries ``total`` (or ``total_estimate`` past 2,000 matches) and the asked counts.

    Args:
        company (None | str | Unset): Company id or ticker
        rarity (None | Rarity | Unset):
        owner (None | str | Unset): User id or wallet
        q (None | str | Unset): Words to search for
        status (CardStatus | None | Unset):
        sector (None | str | Unset): Exact, any case
        listed (bool | None | Unset): Has an open public listing
        currency (Asset | None | Unset): The open listing's currency
        min_power (int | None | Unset):
        max_power (int | None | Unset):
        min_valuation (int | None | Unset):
        max_valuation (int | None | Unset):
        min_growth (int | None | Unset):
        max_growth (int | None | Unset):
        min_innovation (int | None | Unset):
        max_innovation (int | None | Unset):
        min_influence (int | None | Unset):
        max_influence (int | None | Unset):
        sort (CardSort | Unset):
        limit (int | Unset): Page size, 1 to 200 (more: 422) Default: 50.
        cursor (None | str | Unset): `next_cursor` of the previous page, as given (any other
            value: 422)
        facets (None | str | Unset): Comma-separated counts to return:
            company,sector,rarity,listed,currency,price,stats

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        CardPage | Problem
    """

    return sync_detailed(
        client=client,
        company=company,
        rarity=rarity,
        owner=owner,
        q=q,
        status=status,
        sector=sector,
        listed=listed,
        currency=currency,
        min_power=min_power,
        max_power=max_power,
        min_valuation=min_valuation,
        max_valuation=max_valuation,
        min_growth=min_growth,
        max_growth=max_growth,
        min_innovation=min_innovation,
        max_innovation=max_innovation,
        min_influence=min_influence,
        max_influence=max_influence,
        sort=sort,
        limit=limit,
        cursor=cursor,
        facets=facets,
    ).parsed


async def asyncio_detailed(
    *,
    client: AuthenticatedClient | Client,
    company: None | str | Unset = UNSET,
    rarity: None | Rarity | Unset = UNSET,
    owner: None | str | Unset = UNSET,
    q: None | str | Unset = UNSET,
    status: CardStatus | None | Unset = UNSET,
    sector: None | str | Unset = UNSET,
    listed: bool | None | Unset = UNSET,
    currency: Asset | None | Unset = UNSET,
    min_power: int | None | Unset = UNSET,
    max_power: int | None | Unset = UNSET,
    min_valuation: int | None | Unset = UNSET,
    max_valuation: int | None | Unset = UNSET,
    min_growth: int | None | Unset = UNSET,
    max_growth: int | None | Unset = UNSET,
    min_innovation: int | None | Unset = UNSET,
    max_innovation: int | None | Unset = UNSET,
    min_influence: int | None | Unset = UNSET,
    max_influence: int | None | Unset = UNSET,
    sort: CardSort | Unset = UNSET,
    limit: int | Unset = 50,
    cursor: None | str | Unset = UNSET,
    facets: None | str | Unset = UNSET,
) -> Response[CardPage | Problem]:
    """List Cards

     Browse and search cards. ``q`` matches the start of words in the card's name, company,
    ticker and sector. Price sorts follow open listings; unlisted (or never sold) cards last.
    Stat bounds ``min_*``/``max_*`` are inclusive. With ``facets`` (even empty) the page also
    carries ``total`` (or ``total_estimate`` past 2,000 matches) and the asked counts.

    Args:
        company (None | str | Unset): Company id or ticker
        rarity (None | Rarity | Unset):
        owner (None | str | Unset): User id or wallet
        q (None | str | Unset): Words to search for
        status (CardStatus | None | Unset):
        sector (None | str | Unset): Exact, any case
        listed (bool | None | Unset): Has an open public listing
        currency (Asset | None | Unset): The open listing's currency
        min_power (int | None | Unset):
        max_power (int | None | Unset):
        min_valuation (int | None | Unset):
        max_valuation (int | None | Unset):
        min_growth (int | None | Unset):
        max_growth (int | None | Unset):
        min_innovation (int | None | Unset):
        max_innovation (int | None | Unset):
        min_influence (int | None | Unset):
        max_influence (int | None | Unset):
        sort (CardSort | Unset):
        limit (int | Unset): Page size, 1 to 200 (more: 422) Default: 50.
        cursor (None | str | Unset): `next_cursor` of the previous page, as given (any other
            value: 422)
        facets (None | str | Unset): Comma-separated counts to return:
            company,sector,rarity,listed,currency,price,stats

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[CardPage | Problem]
    """

    kwargs = _get_kwargs(
        company=company,
        rarity=rarity,
        owner=owner,
        q=q,
        status=status,
        sector=sector,
        listed=listed,
        currency=currency,
        min_power=min_power,
        max_power=max_power,
        min_valuation=min_valuation,
        max_valuation=max_valuation,
        min_growth=min_growth,
        max_growth=max_growth,
        min_innovation=min_innovation,
        max_innovation=max_innovation,
        min_influence=min_influence,
        max_influence=max_influence,
        sort=sort,
        limit=limit,
        cursor=cursor,
        facets=facets,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    *,
    client: AuthenticatedClient | Client,
    company: None | str | Unset = UNSET,
    rarity: None | Rarity | Unset = UNSET,
    owner: None | str | Unset = UNSET,
    q: None | str | Unset = UNSET,
    status: CardStatus | None | Unset = UNSET,
    sector: None | str | Unset = UNSET,
    listed: bool | None | Unset = UNSET,
    currency: Asset | None | Unset = UNSET,
    min_power: int | None | Unset = UNSET,
    max_power: int | None | Unset = UNSET,
    min_valuation: int | None | Unset = UNSET,
    max_valuation: int | None | Unset = UNSET,
    min_growth: int | None | Unset = UNSET,
    max_growth: int | None | Unset = UNSET,
    min_innovation: int | None | Unset = UNSET,
    max_innovation: int | None | Unset = UNSET,
    min_influence: int | None | Unset = UNSET,
    max_influence: int | None | Unset = UNSET,
    sort: CardSort | Unset = UNSET,
    limit: int | Unset = 50,
    cursor: None | str | Unset = UNSET,
    facets: None | str | Unset = UNSET,
) -> CardPage | Problem | None:
    """List Cards

     Browse and search cards. ``q`` matches the start of words in the card's name, company,
    ticker and sector. Price sorts follow open listings; unlisted (or never sold) cards last.
    Stat bounds ``min_*``/``max_*`` are inclusive. With ``facets`` (even empty) the page also
    carries ``total`` (or ``total_estimate`` past 2,000 matches) and the asked counts.

    Args:
        company (None | str | Unset): Company id or ticker
        rarity (None | Rarity | Unset):
        owner (None | str | Unset): User id or wallet
        q (None | str | Unset): Words to search for
        status (CardStatus | None | Unset):
        sector (None | str | Unset): Exact, any case
        listed (bool | None | Unset): Has an open public listing
        currency (Asset | None | Unset): The open listing's currency
        min_power (int | None | Unset):
        max_power (int | None | Unset):
        min_valuation (int | None | Unset):
        max_valuation (int | None | Unset):
        min_growth (int | None | Unset):
        max_growth (int | None | Unset):
        min_innovation (int | None | Unset):
        max_innovation (int | None | Unset):
        min_influence (int | None | Unset):
        max_influence (int | None | Unset):
        sort (CardSort | Unset):
        limit (int | Unset): Page size, 1 to 200 (more: 422) Default: 50.
        cursor (None | str | Unset): `next_cursor` of the previous page, as given (any other
            value: 422)
        facets (None | str | Unset): Comma-separated counts to return:
            company,sector,rarity,listed,currency,price,stats

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        CardPage | Problem
    """

    return (
        await asyncio_detailed(
            client=client,
            company=company,
            rarity=rarity,
            owner=owner,
            q=q,
            status=status,
            sector=sector,
            listed=listed,
            currency=currency,
            min_power=min_power,
            max_power=max_power,
            min_valuation=min_valuation,
            max_valuation=max_valuation,
            min_growth=min_growth,
            max_growth=max_growth,
            min_innovation=min_innovation,
            max_innovation=max_innovation,
            min_influence=min_influence,
            max_influence=max_influence,
            sort=sort,
            limit=limit,
            cursor=cursor,
            facets=facets,
        )
    ).parsed
