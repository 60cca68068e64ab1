from http import HTTPStatus
from typing import Any
from urllib.parse import quote

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.accept_in import AcceptIn
from ...models.problem import Problem
from ...models.trade_out import TradeOut
from ...types import UNSET, Response, Unset


def _get_kwargs(
    offer_id: str,
    *,
    body: AcceptIn | None | Unset = UNSET,
    idempotency_key: None | str | Unset = UNSET,
) -> dict[str, Any]:
    headers: dict[str, Any] = {}
    if not isinstance(idempotency_key, Unset):
        headers["Idempotency-Key"] = idempotency_key

    _kwargs: dict[str, Any] = {
        "method": "post",
        "url": "/api/v1/offers/{offer_id}/accept".format(
            offer_id=quote(str(offer_id), safe=""),
        ),
    }

    if isinstance(body, AcceptIn):
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
    offer_id: str,
    *,
    client: AuthenticatedClient,
    body: AcceptIn | None | Unset = UNSET,
    idempotency_key: None | str | Unset = UNSET,
) -> Response[Problem | TradeOut]:
    """Accept Offer

     Sell your card into the offer (name the ``card_id`` for a collection offer). Your
    listing of that card, if any, ends with the sale.

    Args:
        offer_id (str):
        idempotency_key (None | str | Unset): Same key and body within 24 h returns the first
            answer again
        body (AcceptIn | None | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Problem | TradeOut]
    """

    kwargs = _get_kwargs(
        offer_id=offer_id,
        body=body,
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
    body: AcceptIn | None | Unset = UNSET,
    idempotency_key: None | str | Unset = UNSET,
) -> Problem | TradeOut | None:
    """Accept Offer

     Sell your card into the offer (name the ``card_id`` for a collection offer). Your
    listing of that card, if any, ends with the sale.

    Args:
        offer_id (str):
        idempotency_key (None | str | Unset): Same key and body within 24 h returns the first
            answer again
        body (AcceptIn | None | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Problem | TradeOut
    """

    return sync_detailed(
        offer_id=offer_id,
        client=client,
        body=body,
        idempotency_key=idempotency_key,
    ).parsed


async def asyncio_detailed(
    offer_id: str,
    *,
    client: AuthenticatedClient,
    body: AcceptIn | None | Unset = UNSET,
    idempotency_key: None | str | Unset = UNSET,
) -> Response[Problem | TradeOut]:
    """Accept Offer

     Sell your card into the offer (name the ``card_id`` for a collection offer). Your
    listing of that card, if any, ends with the sale.

    Args:
        offer_id (str):
        idempotency_key (None | str | Unset): Same key and body within 24 h returns the first
            answer again
        body (AcceptIn | None | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Problem | TradeOut]
    """

    kwargs = _get_kwargs(
        offer_id=offer_id,
        body=body,
        idempotency_key=idempotency_key,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    offer_id: str,
    *,
    client: AuthenticatedClient,
    body: AcceptIn | None | Unset = UNSET,
    idempotency_key: None | str | Unset = UNSET,
) -> Problem | TradeOut | None:
    """Accept Offer

     Sell your card into the offer (name the ``card_id`` for a collection offer). Your
    listing of that card, if any, ends with the sale.

    Args:
        offer_id (str):
        idempotency_key (None | str | Unset): Same key and body within 24 h returns the first
            answer again
        body (AcceptIn | None | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Problem | TradeOut
    """

    return (
        await asyncio_detailed(
            offer_id=offer_id,
            client=client,
            body=body,
            idempotency_key=idempotency_key,
        )
    ).parsed
