from http import HTTPStatus
from typing import Any

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.activity_page import ActivityPage
from ...models.activity_type import ActivityType
from ...models.problem import Problem
from ...types import UNSET, Response, Unset


def _get_kwargs(
    *,
    type_: ActivityType | None | Unset = UNSET,
    company: None | str | Unset = UNSET,
    card: None | str | Unset = UNSET,
    user: None | str | Unset = UNSET,
    limit: int | Unset = 50,
    cursor: None | str | Unset = UNSET,
) -> dict[str, Any]:

    params: dict[str, Any] = {}

    json_type_: None | str | Unset
    if isinstance(type_, Unset):
        json_type_ = UNSET
    elif isinstance(type_, ActivityType):
        json_type_ = type_.value
    else:
        json_type_ = type_
    params["type"] = json_type_

    json_company: None | str | Unset
    if isinstance(company, Unset):
        json_company = UNSET
    else:
        json_company = company
    params["company"] = json_company

    json_card: None | str | Unset
    if isinstance(card, Unset):
        json_card = UNSET
    else:
        json_card = card
    params["card"] = json_card

    json_user: None | str | Unset
    if isinstance(user, Unset):
        json_user = UNSET
    else:
        json_user = user
    params["user"] = json_user

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
        "url": "/api/v1/market/activity",
        "params": params,
    }

    return _kwargs


def _parse_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> ActivityPage | Problem | None:
    if response.status_code == 200:
        response_200 = ActivityPage.from_dict(response.json())

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
) -> Response[ActivityPage | Problem]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient | Client,
    type_: ActivityType | None | Unset = UNSET,
    company: None | str | Unset = UNSET,
    card: None | str | Unset = UNSET,
    user: None | str | Unset = UNSET,
    limit: int | Unset = 50,
    cursor: None | str | Unset = UNSET,
) -> Response[ActivityPage | Problem]:
    """Activity

     Sales, listings, offers, trades, cancellations and card transfers, newest first.

    Args:
        type_ (ActivityType | None | Unset):
        company (None | str | Unset):
        card (None | str | Unset):
        user (None | str | Unset): User id or wallet
        limit (int | Unset): Page size, 1 to 200 (more: 422) Default: 50.
        cursor (None | str | Unset): `next_cursor` of the previous page, as given (any other
            value: 422)

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ActivityPage | Problem]
    """

    kwargs = _get_kwargs(
        type_=type_,
        company=company,
        card=card,
        user=user,
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
    type_: ActivityType | None | Unset = UNSET,
    company: None | str | Unset = UNSET,
    card: None | str | Unset = UNSET,
    user: None | str | Unset = UNSET,
    limit: int | Unset = 50,
    cursor: None | str | Unset = UNSET,
) -> ActivityPage | Problem | None:
    """Activity

     Sales, listings, offers, trades, cancellations and card transfers, newest first.

    Args:
        type_ (ActivityType | None | Unset):
        company (None | str | Unset):
        card (None | str | Unset):
        user (None | str | Unset): User id or wallet
        limit (int | Unset): Page size, 1 to 200 (more: 422) Default: 50.
        cursor (None | str | Unset): `next_cursor` of the previous page, as given (any other
            value: 422)

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ActivityPage | Problem
    """

    return sync_detailed(
        client=client,
        type_=type_,
        company=company,
        card=card,
        user=user,
        limit=limit,
        cursor=cursor,
    ).parsed


async def asyncio_detailed(
    *,
    client: AuthenticatedClient | Client,
    type_: ActivityType | None | Unset = UNSET,
    company: None | str | Unset = UNSET,
    card: None | str | Unset = UNSET,
    user: None | str | Unset = UNSET,
    limit: int | Unset = 50,
    cursor: None | str | Unset = UNSET,
) -> Response[ActivityPage | Problem]:
    """Activity

     Sales, listings, offers, trades, cancellations and card transfers, newest first.

    Args:
        type_ (ActivityType | None | Unset):
        company (None | str | Unset):
        card (None | str | Unset):
        user (None | str | Unset): User id or wallet
        limit (int | Unset): Page size, 1 to 200 (more: 422) Default: 50.
        cursor (None | str | Unset): `next_cursor` of the previous page, as given (any other
            value: 422)

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ActivityPage | Problem]
    """

    kwargs = _get_kwargs(
        type_=type_,
        company=company,
        card=card,
        user=user,
        limit=limit,
        cursor=cursor,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    *,
    client: AuthenticatedClient | Client,
    type_: ActivityType | None | Unset = UNSET,
    company: None | str | Unset = UNSET,
    card: None | str | Unset = UNSET,
    user: None | str | Unset = UNSET,
    limit: int | Unset = 50,
    cursor: None | str | Unset = UNSET,
) -> ActivityPage | Problem | None:
    """Activity

     Sales, listings, offers, trades, cancellations and card transfers, newest first.

    Args:
        type_ (ActivityType | None | Unset):
        company (None | str | Unset):
        card (None | str | Unset):
        user (None | str | Unset): User id or wallet
        limit (int | Unset): Page size, 1 to 200 (more: 422) Default: 50.
        cursor (None | str | Unset): `next_cursor` of the previous page, as given (any other
            value: 422)

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ActivityPage | Problem
    """

    return (
        await asyncio_detailed(
            client=client,
            type_=type_,
            company=company,
            card=card,
            user=user,
            limit=limit,
            cursor=cursor,
        )
    ).parsed
