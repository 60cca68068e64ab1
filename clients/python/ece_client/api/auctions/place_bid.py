from http import HTTPStatus
from typing import Any
from urllib.parse import quote

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.bid_in import BidIn
from ...models.bid_out import BidOut
from ...models.problem import Problem
from ...types import UNSET, Response, Unset


def _get_kwargs(
    auction_id: str,
    *,
    body: BidIn,
    idempotency_key: None | str | Unset = UNSET,
) -> dict[str, Any]:
    headers: dict[str, Any] = {}
    if not isinstance(idempotency_key, Unset):
        headers["Idempotency-Key"] = idempotency_key

    _kwargs: dict[str, Any] = {
        "method": "post",
        "url": "/api/v1/auctions/{auction_id}/bids".format(
            auction_id=quote(str(auction_id), safe=""),
        ),
    }

    _kwargs["json"] = body.to_dict()

    headers["Content-Type"] = "application/json"

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> BidOut | Problem | None:
    if response.status_code == 201:
        response_201 = BidOut.from_dict(response.json())

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


def _build_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> Response[BidOut | Problem]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    auction_id: str,
    *,
    client: AuthenticatedClient,
    body: BidIn,
    idempotency_key: None | str | Unset = UNSET,
) -> Response[BidOut | Problem]:
    """Place Bid

     Bid your max (or raise it): it is held from your funds while you lead; the visible
    price is the second-highest max plus one increment. A bid in the last minutes extends
    the auction.

    Args:
        auction_id (str):
        idempotency_key (None | str | Unset): Same key and body within 24 h returns the first
            answer again
        body (BidIn):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[BidOut | Problem]
    """

    kwargs = _get_kwargs(
        auction_id=auction_id,
        body=body,
        idempotency_key=idempotency_key,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    auction_id: str,
    *,
    client: AuthenticatedClient,
    body: BidIn,
    idempotency_key: None | str | Unset = UNSET,
) -> BidOut | Problem | None:
    """Place Bid

     Bid your max (or raise it): it is held from your funds while you lead; the visible
    price is the second-highest max plus one increment. A bid in the last minutes extends
    the auction.

    Args:
        auction_id (str):
        idempotency_key (None | str | Unset): Same key and body within 24 h returns the first
            answer again
        body (BidIn):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        BidOut | Problem
    """

    return sync_detailed(
        auction_id=auction_id,
        client=client,
        body=body,
        idempotency_key=idempotency_key,
    ).parsed


async def asyncio_detailed(
    auction_id: str,
    *,
    client: AuthenticatedClient,
    body: BidIn,
    idempotency_key: None | str | Unset = UNSET,
) -> Response[BidOut | Problem]:
    """Place Bid

     Bid your max (or raise it): it is held from your funds while you lead; the visible
    price is the second-highest max plus one increment. A bid in the last minutes extends
    the auction.

    Args:
        auction_id (str):
        idempotency_key (None | str | Unset): Same key and body within 24 h returns the first
            answer again
        body (BidIn):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[BidOut | Problem]
    """

    kwargs = _get_kwargs(
        auction_id=auction_id,
        body=body,
        idempotency_key=idempotency_key,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    auction_id: str,
    *,
    client: AuthenticatedClient,
    body: BidIn,
    idempotency_key: None | str | Unset = UNSET,
) -> BidOut | Problem | None:
    """Place Bid

     Bid your max (or raise it): it is held from your funds while you lead; the visible
    price is the second-highest max plus one increment. A bid in the last minutes extends
    the auction.

    Args:
        auction_id (str):
        idempotency_key (None | str | Unset): Same key and body within 24 h returns the first
            answer again
        body (BidIn):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        BidOut | Problem
    """

    return (
        await asyncio_detailed(
            auction_id=auction_id,
            client=client,
            body=body,
            idempotency_key=idempotency_key,
        )
    ).parsed
