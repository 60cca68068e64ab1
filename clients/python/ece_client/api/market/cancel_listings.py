from http import HTTPStatus
from typing import Any

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.listing_cancel_batch_in import ListingCancelBatchIn
from ...models.listing_cancel_batch_out import ListingCancelBatchOut
from ...models.problem import Problem
from ...types import UNSET, Response, Unset


def _get_kwargs(
    *,
    body: ListingCancelBatchIn,
    idempotency_key: None | str | Unset = UNSET,
) -> dict[str, Any]:
    headers: dict[str, Any] = {}
    if not isinstance(idempotency_key, Unset):
        headers["Idempotency-Key"] = idempotency_key

    _kwargs: dict[str, Any] = {
        "method": "post",
        "url": "/api/v1/listings/batch-cancel",
    }

    _kwargs["json"] = body.to_dict()

    headers["Content-Type"] = "application/json"

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> ListingCancelBatchOut | Problem | None:
    if response.status_code == 200:
        response_200 = ListingCancelBatchOut.from_dict(response.json())

        return response_200

    if response.status_code == 401:
        response_401 = Problem.from_dict(response.json())

        return response_401

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
) -> Response[ListingCancelBatchOut | Problem]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient,
    body: ListingCancelBatchIn,
    idempotency_key: None | str | Unset = UNSET,
) -> Response[ListingCancelBatchOut | Problem]:
    """Cancel Listings

     Cancel up to 100 of your listings at once, each as ``DELETE /listings/{id}`` would.
    ``all_or_nothing`` (default): any refused item cancels nothing (409 ``batch_failed``, ``failed``
    [{index, listing_id, code, detail}]);
    ``best_effort``: the refused items are reported with their code.

    Args:
        idempotency_key (None | str | Unset): Same key and body within 24 h returns the first
            answer again
        body (ListingCancelBatchIn):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ListingCancelBatchOut | Problem]
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
    body: ListingCancelBatchIn,
    idempotency_key: None | str | Unset = UNSET,
) -> ListingCancelBatchOut | Problem | None:
    """Cancel Listings

     Cancel up to 100 of your listings at once, each as ``DELETE /listings/{id}`` would.
    ``all_or_nothing`` (default): any refused item cancels nothing (409 ``batch_failed``, ``failed``
    [{index, listing_id, code, detail}]);
    ``best_effort``: the refused items are reported with their code.

    Args:
        idempotency_key (None | str | Unset): Same key and body within 24 h returns the first
            answer again
        body (ListingCancelBatchIn):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ListingCancelBatchOut | Problem
    """

    return sync_detailed(
        client=client,
        body=body,
        idempotency_key=idempotency_key,
    ).parsed


async def asyncio_detailed(
    *,
    client: AuthenticatedClient,
    body: ListingCancelBatchIn,
    idempotency_key: None | str | Unset = UNSET,
) -> Response[ListingCancelBatchOut | Problem]:
    """Cancel Listings

     Cancel up to 100 of your listings at once, each as ``DELETE /listings/{id}`` would.
    ``all_or_nothing`` (default): any refused item cancels nothing (409 ``batch_failed``, ``failed``
    [{index, listing_id, code, detail}]);
    ``best_effort``: the refused items are reported with their code.

    Args:
        idempotency_key (None | str | Unset): Same key and body within 24 h returns the first
            answer again
        body (ListingCancelBatchIn):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ListingCancelBatchOut | Problem]
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
    body: ListingCancelBatchIn,
    idempotency_key: None | str | Unset = UNSET,
) -> ListingCancelBatchOut | Problem | None:
    """Cancel Listings

     Cancel up to 100 of your listings at once, each as ``DELETE /listings/{id}`` would.
    ``all_or_nothing`` (default): any refused item cancels nothing (409 ``batch_failed``, ``failed``
    [{index, listing_id, code, detail}]);
    ``best_effort``: the refused items are reported with their code.

    Args:
        idempotency_key (None | str | Unset): Same key and body within 24 h returns the first
            answer again
        body (ListingCancelBatchIn):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ListingCancelBatchOut | Problem
    """

    return (
        await asyncio_detailed(
            client=client,
            body=body,
            idempotency_key=idempotency_key,
        )
    ).parsed
