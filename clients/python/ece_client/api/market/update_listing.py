from http import HTTPStatus
from typing import Any
from urllib.parse import quote

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.listing_out import ListingOut
from ...models.listing_patch import ListingPatch
from ...models.problem import Problem
from ...types import Response


def _get_kwargs(
    listing_id: str,
    *,
    body: ListingPatch,
) -> dict[str, Any]:
    headers: dict[str, Any] = {}

    _kwargs: dict[str, Any] = {
        "method": "patch",
        "url": "/api/v1/listings/{listing_id}".format(
            listing_id=quote(str(listing_id), safe=""),
        ),
    }

    _kwargs["json"] = body.to_dict()

    headers["Content-Type"] = "application/json"

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> ListingOut | Problem | None:
    if response.status_code == 200:
        response_200 = ListingOut.from_dict(response.json())

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
) -> Response[ListingOut | Problem]:
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
    body: ListingPatch,
) -> Response[ListingOut | Problem]:
    """Update Listing

     Change the price (in the listing's currency) or the expiry of your active listing.

    Args:
        listing_id (str):
        body (ListingPatch):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ListingOut | Problem]
    """

    kwargs = _get_kwargs(
        listing_id=listing_id,
        body=body,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    listing_id: str,
    *,
    client: AuthenticatedClient,
    body: ListingPatch,
) -> ListingOut | Problem | None:
    """Update Listing

     Change the price (in the listing's currency) or the expiry of your active listing.

    Args:
        listing_id (str):
        body (ListingPatch):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ListingOut | Problem
    """

    return sync_detailed(
        listing_id=listing_id,
        client=client,
        body=body,
    ).parsed


async def asyncio_detailed(
    listing_id: str,
    *,
    client: AuthenticatedClient,
    body: ListingPatch,
) -> Response[ListingOut | Problem]:
    """Update Listing

     Change the price (in the listing's currency) or the expiry of your active listing.

    Args:
        listing_id (str):
        body (ListingPatch):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ListingOut | Problem]
    """

    kwargs = _get_kwargs(
        listing_id=listing_id,
        body=body,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    listing_id: str,
    *,
    client: AuthenticatedClient,
    body: ListingPatch,
) -> ListingOut | Problem | None:
    """Update Listing

     Change the price (in the listing's currency) or the expiry of your active listing.

    Args:
        listing_id (str):
        body (ListingPatch):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ListingOut | Problem
    """

    return (
        await asyncio_detailed(
            listing_id=listing_id,
            client=client,
            body=body,
        )
    ).parsed
