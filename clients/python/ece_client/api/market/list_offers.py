from http import HTTPStatus
from typing import Any

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.offer_page import OfferPage
from ...models.offer_party import OfferParty
from ...models.offer_status import OfferStatus
from ...models.problem import Problem
from ...types import UNSET, Response, Unset


def _get_kwargs(
    *,
    card: None | str | Unset = UNSET,
    company: None | str | Unset = UNSET,
    mine: None | OfferParty | Unset = UNSET,
    status: OfferStatus | Unset = UNSET,
    limit: int | Unset = 50,
    cursor: None | str | Unset = UNSET,
) -> dict[str, Any]:

    params: dict[str, Any] = {}

    json_card: None | str | Unset
    if isinstance(card, Unset):
        json_card = UNSET
    else:
        json_card = card
    params["card"] = json_card

    json_company: None | str | Unset
    if isinstance(company, Unset):
        json_company = UNSET
    else:
        json_company = company
    params["company"] = json_company

    json_mine: None | str | Unset
    if isinstance(mine, Unset):
        json_mine = UNSET
    elif isinstance(mine, OfferParty):
        json_mine = mine.value
    else:
        json_mine = mine
    params["mine"] = json_mine

    json_status: str | Unset = UNSET
    if not isinstance(status, Unset):
        json_status = status.value

    params["status"] = json_status

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
        "url": "/api/v1/offers",
        "params": params,
    }

    return _kwargs


def _parse_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> OfferPage | Problem | None:
    if response.status_code == 200:
        response_200 = OfferPage.from_dict(response.json())

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


def _build_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> Response[OfferPage | Problem]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient | Client,
    card: None | str | Unset = UNSET,
    company: None | str | Unset = UNSET,
    mine: None | OfferParty | Unset = UNSET,
    status: OfferStatus | Unset = UNSET,
    limit: int | Unset = 50,
    cursor: None | str | Unset = UNSET,
) -> Response[OfferPage | Problem]:
    """List Offers

     Offers, newest first (open ones unless ``status`` says otherwise).

    Args:
        card (None | str | Unset): Offers this card can fill
        company (None | str | Unset): Company id
        mine (None | OfferParty | Unset): made by you, or received on cards you own
        status (OfferStatus | Unset):
        limit (int | Unset): Page size, 1 to 200 (more: 422) Default: 50.
        cursor (None | str | Unset): `next_cursor` of the previous page, as given (any other
            value: 422)

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[OfferPage | Problem]
    """

    kwargs = _get_kwargs(
        card=card,
        company=company,
        mine=mine,
        status=status,
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
    card: None | str | Unset = UNSET,
    company: None | str | Unset = UNSET,
    mine: None | OfferParty | Unset = UNSET,
    status: OfferStatus | Unset = UNSET,
    limit: int | Unset = 50,
    cursor: None | str | Unset = UNSET,
) -> OfferPage | Problem | None:
    """List Offers

     Offers, newest first (open ones unless ``status`` says otherwise).

    Args:
        card (None | str | Unset): Offers this card can fill
        company (None | str | Unset): Company id
        mine (None | OfferParty | Unset): made by you, or received on cards you own
        status (OfferStatus | Unset):
        limit (int | Unset): Page size, 1 to 200 (more: 422) Default: 50.
        cursor (None | str | Unset): `next_cursor` of the previous page, as given (any other
            value: 422)

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        OfferPage | Problem
    """

    return sync_detailed(
        client=client,
        card=card,
        company=company,
        mine=mine,
        status=status,
        limit=limit,
        cursor=cursor,
    ).parsed


async def asyncio_detailed(
    *,
    client: AuthenticatedClient | Client,
    card: None | str | Unset = UNSET,
    company: None | str | Unset = UNSET,
    mine: None | OfferParty | Unset = UNSET,
    status: OfferStatus | Unset = UNSET,
    limit: int | Unset = 50,
    cursor: None | str | Unset = UNSET,
) -> Response[OfferPage | Problem]:
    """List Offers

     Offers, newest first (open ones unless ``status`` says otherwise).

    Args:
        card (None | str | Unset): Offers this card can fill
        company (None | str | Unset): Company id
        mine (None | OfferParty | Unset): made by you, or received on cards you own
        status (OfferStatus | Unset):
        limit (int | Unset): Page size, 1 to 200 (more: 422) Default: 50.
        cursor (None | str | Unset): `next_cursor` of the previous page, as given (any other
            value: 422)

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[OfferPage | Problem]
    """

    kwargs = _get_kwargs(
        card=card,
        company=company,
        mine=mine,
        status=status,
        limit=limit,
        cursor=cursor,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    *,
    client: AuthenticatedClient | Client,
    card: None | str | Unset = UNSET,
    company: None | str | Unset = UNSET,
    mine: None | OfferParty | Unset = UNSET,
    status: OfferStatus | Unset = UNSET,
    limit: int | Unset = 50,
    cursor: None | str | Unset = UNSET,
) -> OfferPage | Problem | None:
    """List Offers

     Offers, newest first (open ones unless ``status`` says otherwise).

    Args:
        card (None | str | Unset): Offers this card can fill
        company (None | str | Unset): Company id
        mine (None | OfferParty | Unset): made by you, or received on cards you own
        status (OfferStatus | Unset):
        limit (int | Unset): Page size, 1 to 200 (more: 422) Default: 50.
        cursor (None | str | Unset): `next_cursor` of the previous page, as given (any other
            value: 422)

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        OfferPage | Problem
    """

    return (
        await asyncio_detailed(
            client=client,
            card=card,
            company=company,
            mine=mine,
            status=status,
            limit=limit,
            cursor=cursor,
        )
    ).parsed
