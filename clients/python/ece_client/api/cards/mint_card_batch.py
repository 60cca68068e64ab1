from http import HTTPStatus
from typing import Any

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.card_batch_in import CardBatchIn
from ...models.card_batch_out import CardBatchOut
from ...models.problem import Problem
from ...types import UNSET, Response, Unset


def _get_kwargs(
    *,
    body: CardBatchIn,
    idempotency_key: None | str | Unset = UNSET,
) -> dict[str, Any]:
    headers: dict[str, Any] = {}
    if not isinstance(idempotency_key, Unset):
        headers["Idempotency-Key"] = idempotency_key

    _kwargs: dict[str, Any] = {
        "method": "post",
        "url": "/api/v1/cards/batch",
    }

    _kwargs["json"] = body.to_dict()

    headers["Content-Type"] = "application/json"

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> CardBatchOut | Problem | None:
    if response.status_code == 201:
        response_201 = CardBatchOut.from_dict(response.json())

        return response_201

    if response.status_code == 401:
        response_401 = Problem.from_dict(response.json())

        return response_401

    if response.status_code == 403:
        response_403 = Problem.from_dict(response.json())

        return response_403

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

    if response.status_code == 502:
        response_502 = Problem.from_dict(response.json())

        return response_502

    if client.raise_on_unexpected_status:
        raise errors.UnexpectedStatus(response.status_code, response.content)
    else:
        return None


def _build_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> Response[CardBatchOut | Problem]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient,
    body: CardBatchIn,
    idempotency_key: None | str | Unset = UNSET,
) -> Response[CardBatchOut | Problem]:
    """Mint Card Batch

     Mint up to 500 cards (admin), one database transaction per chunk of 25. All are checked
    before the first is minted; a chain failure reports the ids already minted.

    Args:
        idempotency_key (None | str | Unset): Same key and body within 24 h returns the first
            answer again
        body (CardBatchIn):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[CardBatchOut | Problem]
    """

    kwargs = _get_kwargs(
        body=body,
        idempotency_key=idempotency_key,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    *,
    client: AuthenticatedClient,
    body: CardBatchIn,
    idempotency_key: None | str | Unset = UNSET,
) -> CardBatchOut | Problem | None:
    """Mint Card Batch

     Mint up to 500 cards (admin), one database transaction per chunk of 25. All are checked
    before the first is minted; a chain failure reports the ids already minted.

    Args:
        idempotency_key (None | str | Unset): Same key and body within 24 h returns the first
            answer again
        body (CardBatchIn):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        CardBatchOut | Problem
    """

    return sync_detailed(
        client=client,
        body=body,
        idempotency_key=idempotency_key,
    ).parsed


async def asyncio_detailed(
    *,
    client: AuthenticatedClient,
    body: CardBatchIn,
    idempotency_key: None | str | Unset = UNSET,
) -> Response[CardBatchOut | Problem]:
    """Mint Card Batch

     Mint up to 500 cards (admin), one database transaction per chunk of 25. All are checked
    before the first is minted; a chain failure reports the ids already minted.

    Args:
        idempotency_key (None | str | Unset): Same key and body within 24 h returns the first
            answer again
        body (CardBatchIn):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[CardBatchOut | Problem]
    """

    kwargs = _get_kwargs(
        body=body,
        idempotency_key=idempotency_key,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    *,
    client: AuthenticatedClient,
    body: CardBatchIn,
    idempotency_key: None | str | Unset = UNSET,
) -> CardBatchOut | Problem | None:
    """Mint Card Batch

     Mint up to 500 cards (admin), one database transaction per chunk of 25. All are checked
    before the first is minted; a chain failure reports the ids already minted.

    Args:
        idempotency_key (None | str | Unset): Same key and body within 24 h returns the first
            answer again
        body (CardBatchIn):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        CardBatchOut | Problem
    """

    return (
        await asyncio_detailed(
            client=client,
            body=body,
            idempotency_key=idempotency_key,
        )
    ).parsed
