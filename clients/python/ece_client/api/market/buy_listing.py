from http import HTTPStatus
from typing import Any
from urllib.parse import quote

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.buy_in import BuyIn
from ...models.problem import Problem
from ...models.trade_out import TradeOut
from ...types import UNSET, Response, Unset


def _get_kwargs(
    listing_id: str,
    *,
    body: BuyIn | None | Unset = UNSET,
    idempotency_key: None | str | Unset = UNSET,
) -> dict[str, Any]:
    headers: dict[str, Any] = {}
    if not isinstance(idempotency_key, Unset):
        headers["Idempotency-Key"] = idempotency_key

    _kwargs: dict[str, Any] = {
        "method": "post",
        "url": "/api/v1/listings/{listing_id}/buy".format(
            listing_id=quote(str(listing_id), safe=""),
        ),
    }

    if isinstance(body, BuyIn):
        _kwargs["json"] = body.to_dict()
    else:
        _kwargs["json"] = body

    headers["Content-Type"] = "application/json"

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> Problem | TradeOut | None:
    if response.status_code == 201:
        response_201 = TradeOut.from_dict(response.json())

        return response_201

    if response.status_code == 401:
        response_401 = Problem.from_dict(response.json())

        return response_401

    if response.status_code == 403:
        response_403 = Problem.from_dict(response.json())

        return response_403

    if response.status_code == 404:
        response_404 = Problem.from_dict(response.json())

        return response_404

    if response.status_code == 409:
        response_409 = Problem.from_dict(response.json())

        return response_409

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


def _build_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> Response[Problem | TradeOut]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    listing_id: str,
    *,
    client: AuthenticatedClient,
    body: BuyIn | None | Unset = UNSET,
    idempotency_key: None | str | Unset = UNSET,
) -> Response[Problem | TradeOut]:
    """Buy Listing

     Buy the listing now: the card and the money change hands at once. 409 ``own_listing``,
    ``listing_unavailable``, ``insufficient_funds``, ``price_above_max``; 404 for a private
    listing reserved for someone else.

    Args:
        listing_id (str):
        idempotency_key (None | str | Unset): Same key and body within 24 h returns the first
            answer again
        body (BuyIn | None | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Problem | TradeOut]
    """

    kwargs = _get_kwargs(
        listing_id=listing_id,
        body=body,
        idempotency_key=idempotency_key,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    listing_id: str,
    *,
    client: AuthenticatedClient,
    body: BuyIn | None | Unset = UNSET,
    idempotency_key: None | str | Unset = UNSET,
) -> Problem | TradeOut | None:
    """Buy Listing

     Buy the listing now: the card and the money change hands at once. 409 ``own_listing``,
    ``listing_unavailable``, ``insufficient_funds``, ``price_above_max``; 404 for a private
    listing reserved for someone else.

    Args:
        listing_id (str):
        idempotency_key (None | str | Unset): Same key and body within 24 h returns the first
            answer again
        body (BuyIn | None | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Problem | TradeOut
    """

    return sync_detailed(
        listing_id=listing_id,
        client=client,
        body=body,
        idempotency_key=idempotency_key,
    ).parsed


async def asyncio_detailed(
    listing_id: str,
    *,
    client: AuthenticatedClient,
    body: BuyIn | None | Unset = UNSET,
    idempotency_key: None | str | Unset = UNSET,
) -> Response[Problem | TradeOut]:
    """Buy Listing

     Buy the listing now: the card and the money change hands at once. 409 ``own_listing``,
    ``listing_unavailable``, ``insufficient_funds``, ``price_above_max``; 404 for a private
    listing reserved for someone else.

    Args:
        listing_id (str):
        idempotency_key (None | str | Unset): Same key and body within 24 h returns the first
            answer again
        body (BuyIn | None | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Problem | TradeOut]
    """

    kwargs = _get_kwargs(
        listing_id=listing_id,
        body=body,
        idempotency_key=idempotency_key,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    listing_id: str,
    *,
    client: AuthenticatedClient,
    body: BuyIn | None | Unset = UNSET,
    idempotency_key: None | str | Unset = UNSET,
) -> Problem | TradeOut | None:
    """Buy Listing

     Buy the listing now: the card and the money change hands at once. 409 ``own_listing``,
    ``listing_unavailable``, ``insufficient_funds``, ``price_above_max``; 404 for a private
    listing reserved for someone else.

    Args:
        listing_id (str):
        idempotency_key (None | str | Unset): Same key and body within 24 h returns the first
            answer again
        body (BuyIn | None | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Problem | TradeOut
    """

    return (
        await asyncio_detailed(
            listing_id=listing_id,
            client=client,
            body=body,
            idempotency_key=idempotency_key,
        )
    ).parsed
