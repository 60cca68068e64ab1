from http import HTTPStatus
from typing import Any
from urllib.parse import quote

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.auction_out import AuctionOut
from ...models.problem import Problem
from ...types import Response


def _get_kwargs(
    auction_id: str,
) -> dict[str, Any]:

    _kwargs: dict[str, Any] = {
        "method": "delete",
        "url": "/api/v1/auctions/{auction_id}".format(
            auction_id=quote(str(auction_id), safe=""),
        ),
    }

    return _kwargs


def _parse_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> AuctionOut | Problem | None:
    if response.status_code == 200:
        response_200 = AuctionOut.from_dict(response.json())

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


def _build_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> Response[AuctionOut | Problem]:
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
) -> Response[AuctionOut | Problem]:
    """Cancel Auction

     Cancel your auction (or any, as an admin) while no one has bid: 409
    ``auction_has_bids`` after the first bid.

    Args:
        auction_id (str):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[AuctionOut | Problem]
    """

    kwargs = _get_kwargs(
        auction_id=auction_id,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    auction_id: str,
    *,
    client: AuthenticatedClient,
) -> AuctionOut | Problem | None:
    """Cancel Auction

     Cancel your auction (or any, as an admin) while no one has bid: 409
    ``auction_has_bids`` after the first bid.

    Args:
        auction_id (str):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        AuctionOut | Problem
    """

    return sync_detailed(
        auction_id=auction_id,
        client=client,
    ).parsed


async def asyncio_detailed(
    auction_id: str,
    *,
    client: AuthenticatedClient,
) -> Response[AuctionOut | Problem]:
    """Cancel Auction

     Cancel your auction (or any, as an admin) while no one has bid: 409
    ``auction_has_bids`` after the first bid.

    Args:
        auction_id (str):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[AuctionOut | Problem]
    """

    kwargs = _get_kwargs(
        auction_id=auction_id,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    auction_id: str,
    *,
    client: AuthenticatedClient,
) -> AuctionOut | Problem | None:
    """Cancel Auction

     Cancel your auction (or any, as an admin) while no one has bid: 409
    ``auction_has_bids`` after the first bid.

    Args:
        auction_id (str):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        AuctionOut | Problem
    """

    return (
        await asyncio_detailed(
            auction_id=auction_id,
            client=client,
        )
    ).parsed
