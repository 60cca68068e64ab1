from http import HTTPStatus
from typing import Any
from urllib.parse import quote

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.problem import Problem
from ...models.trade_offer_out import TradeOfferOut
from ...types import UNSET, Response, Unset


def _get_kwargs(
    offer_id: str,
    *,
    idempotency_key: None | str | Unset = UNSET,
) -> dict[str, Any]:
    headers: dict[str, Any] = {}
    if not isinstance(idempotency_key, Unset):
        headers["Idempotency-Key"] = idempotency_key

    _kwargs: dict[str, Any] = {
        "method": "post",
        "url": "/api/v1/trades/{offer_id}/accept".format(
            offer_id=quote(str(offer_id), safe=""),
        ),
    }

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> Problem | TradeOfferOut | None:
    if response.status_code == 200:
        response_200 = TradeOfferOut.from_dict(response.json())

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
) -> Response[Problem | TradeOfferOut]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    offer_id: str,
    *,
    client: AuthenticatedClient,
    idempotency_key: None | str | Unset = UNSET,
) -> Response[Problem | TradeOfferOut]:
    """Accept Trade

     Swap both sides atomically (receiver only). Token legs pay the trade fee.

    Args:
        offer_id (str):
        idempotency_key (None | str | Unset): Same key and body within 24 h returns the first
            answer again

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Problem | TradeOfferOut]
    """

    kwargs = _get_kwargs(
        offer_id=offer_id,
        idempotency_key=idempotency_key,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    offer_id: str,
    *,
    client: AuthenticatedClient,
    idempotency_key: None | str | Unset = UNSET,
) -> Problem | TradeOfferOut | None:
    """Accept Trade

     Swap both sides atomically (receiver only). Token legs pay the trade fee.

    Args:
        offer_id (str):
        idempotency_key (None | str | Unset): Same key and body within 24 h returns the first
            answer again

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Problem | TradeOfferOut
    """

    return sync_detailed(
        offer_id=offer_id,
        client=client,
        idempotency_key=idempotency_key,
    ).parsed


async def asyncio_detailed(
    offer_id: str,
    *,
    client: AuthenticatedClient,
    idempotency_key: None | str | Unset = UNSET,
) -> Response[Problem | TradeOfferOut]:
    """Accept Trade

     Swap both sides atomically (receiver only). Token legs pay the trade fee.

    Args:
        offer_id (str):
        idempotency_key (None | str | Unset): Same key and body within 24 h returns the first
            answer again

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Problem | TradeOfferOut]
    """

    kwargs = _get_kwargs(
        offer_id=offer_id,
        idempotency_key=idempotency_key,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    offer_id: str,
    *,
    client: AuthenticatedClient,
    idempotency_key: None | str | Unset = UNSET,
) -> Problem | TradeOfferOut | None:
    """Accept Trade

     Swap both sides atomically (receiver only). Token legs pay the trade fee.

    Args:
        offer_id (str):
        idempotency_key (None | str | Unset): Same key and body within 24 h returns the first
            answer again

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Problem | TradeOfferOut
    """

    return (
        await asyncio_detailed(
            offer_id=offer_id,
            client=client,
            idempotency_key=idempotency_key,
        )
    ).parsed
