from http import HTTPStatus
from typing import Any

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.ledger_check_out import LedgerCheckOut
from ...models.problem import Problem
from ...types import UNSET, Response, Unset


def _get_kwargs(
    *,
    max_pending_age_seconds: int | None | Unset = UNSET,
) -> dict[str, Any]:

    params: dict[str, Any] = {}

    json_max_pending_age_seconds: int | None | Unset
    if isinstance(max_pending_age_seconds, Unset):
        json_max_pending_age_seconds = UNSET
    else:
        json_max_pending_age_seconds = max_pending_age_seconds
    params["max_pending_age_seconds"] = json_max_pending_age_seconds

    params = {k: v for k, v in params.items() if v is not UNSET and v is not None}

    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/api/v1/admin/ledger/check",
        "params": params,
    }

    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> LedgerCheckOut | Problem | None:
    if response.status_code == 200:
        response_200 = LedgerCheckOut.from_dict(response.json())

        return response_200

    if response.status_code == 401:
        response_401 = Problem.from_dict(response.json())

        return response_401

    if response.status_code == 403:
        response_403 = Problem.from_dict(response.json())

        return response_403

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
) -> Response[LedgerCheckOut | Problem]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient,
    max_pending_age_seconds: int | None | Unset = UNSET,
) -> Response[LedgerCheckOut | Problem]:
    """Admin Ledger Check

     Per asset: accounts sum to zero, no guarded account below zero, balances match their
    transfers, no stale holds. ``ok`` is false when any check fails.

    Args:
        max_pending_age_seconds (int | None | Unset): Holds older than this count as stale
            (default: the longest offer or trade-offer lifetime plus a day)

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[LedgerCheckOut | Problem]
    """

    kwargs = _get_kwargs(
        max_pending_age_seconds=max_pending_age_seconds,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    *,
    client: AuthenticatedClient,
    max_pending_age_seconds: int | None | Unset = UNSET,
) -> LedgerCheckOut | Problem | None:
    """Admin Ledger Check

     Per asset: accounts sum to zero, no guarded account below zero, balances match their
    transfers, no stale holds. ``ok`` is false when any check fails.

    Args:
        max_pending_age_seconds (int | None | Unset): Holds older than this count as stale
            (default: the longest offer or trade-offer lifetime plus a day)

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        LedgerCheckOut | Problem
    """

    return sync_detailed(
        client=client,
        max_pending_age_seconds=max_pending_age_seconds,
    ).parsed


async def asyncio_detailed(
    *,
    client: AuthenticatedClient,
    max_pending_age_seconds: int | None | Unset = UNSET,
) -> Response[LedgerCheckOut | Problem]:
    """Admin Ledger Check

     Per asset: accounts sum to zero, no guarded account below zero, balances match their
    transfers, no stale holds. ``ok`` is false when any check fails.

    Args:
        max_pending_age_seconds (int | None | Unset): Holds older than this count as stale
            (default: the longest offer or trade-offer lifetime plus a day)

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[LedgerCheckOut | Problem]
    """

    kwargs = _get_kwargs(
        max_pending_age_seconds=max_pending_age_seconds,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    *,
    client: AuthenticatedClient,
    max_pending_age_seconds: int | None | Unset = UNSET,
) -> LedgerCheckOut | Problem | None:
    """Admin Ledger Check

     Per asset: accounts sum to zero, no guarded account below zero, balances match their
    transfers, no stale holds. ``ok`` is false when any check fails.

    Args:
        max_pending_age_seconds (int | None | Unset): Holds older than this count as stale
            (default: the longest offer or trade-offer lifetime plus a day)

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        LedgerCheckOut | Problem
    """

    return (
        await asyncio_detailed(
            client=client,
            max_pending_age_seconds=max_pending_age_seconds,
        )
    ).parsed
