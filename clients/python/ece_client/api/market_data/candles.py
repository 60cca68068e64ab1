from http import HTTPStatus
from typing import Any
from urllib.parse import quote

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.asset import Asset
from ...models.candles_out import CandlesOut
from ...models.interval import Interval
from ...models.problem import Problem
from ...types import UNSET, Response, Unset


def _get_kwargs(
    company_id: str,
    *,
    currency: Asset,
    interval: Interval | Unset = UNSET,
    limit: int | Unset = 168,
) -> dict[str, Any]:

    params: dict[str, Any] = {}

    json_currency = currency.value
    params["currency"] = json_currency

    json_interval: str | Unset = UNSET
    if not isinstance(interval, Unset):
        json_interval = interval.value

    params["interval"] = json_interval

    params["limit"] = limit

    params = {k: v for k, v in params.items() if v is not UNSET and v is not None}

    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/api/v1/market/companies/{company_id}/candles".format(
            company_id=quote(str(company_id), safe=""),
        ),
        "params": params,
    }

    return _kwargs


def _parse_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> CandlesOut | Problem | None:
    if response.status_code == 200:
        response_200 = CandlesOut.from_dict(response.json())

        return response_200

    if response.status_code == 404:
        response_404 = Problem.from_dict(response.json())

        return response_404

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
) -> Response[CandlesOut | Problem]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    company_id: str,
    *,
    client: AuthenticatedClient | Client,
    currency: Asset,
    interval: Interval | Unset = UNSET,
    limit: int | Unset = 168,
) -> Response[CandlesOut | Problem]:
    """Candles

     OHLCV of sales in one currency, by UTC hour or day, oldest first.

    Args:
        company_id (str):
        currency (Asset):
        interval (Interval | Unset):
        limit (int | Unset): Buckets back Default: 168.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[CandlesOut | Problem]
    """

    kwargs = _get_kwargs(
        company_id=company_id,
        currency=currency,
        interval=interval,
        limit=limit,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    company_id: str,
    *,
    client: AuthenticatedClient | Client,
    currency: Asset,
    interval: Interval | Unset = UNSET,
    limit: int | Unset = 168,
) -> CandlesOut | Problem | None:
    """Candles

     OHLCV of sales in one currency, by UTC hour or day, oldest first.

    Args:
        company_id (str):
        currency (Asset):
        interval (Interval | Unset):
        limit (int | Unset): Buckets back Default: 168.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        CandlesOut | Problem
    """

    return sync_detailed(
        company_id=company_id,
        client=client,
        currency=currency,
        interval=interval,
        limit=limit,
    ).parsed


async def asyncio_detailed(
    company_id: str,
    *,
    client: AuthenticatedClient | Client,
    currency: Asset,
    interval: Interval | Unset = UNSET,
    limit: int | Unset = 168,
) -> Response[CandlesOut | Problem]:
    """Candles

     OHLCV of sales in one currency, by UTC hour or day, oldest first.

    Args:
        company_id (str):
        currency (Asset):
        interval (Interval | Unset):
        limit (int | Unset): Buckets back Default: 168.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[CandlesOut | Problem]
    """

    kwargs = _get_kwargs(
        company_id=company_id,
        currency=currency,
        interval=interval,
        limit=limit,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    company_id: str,
    *,
    client: AuthenticatedClient | Client,
    currency: Asset,
    interval: Interval | Unset = UNSET,
    limit: int | Unset = 168,
) -> CandlesOut | Problem | None:
    """Candles

     OHLCV of sales in one currency, by UTC hour or day, oldest first.

    Args:
        company_id (str):
        currency (Asset):
        interval (Interval | Unset):
        limit (int | Unset): Buckets back Default: 168.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        CandlesOut | Problem
    """

    return (
        await asyncio_detailed(
            company_id=company_id,
            client=client,
            currency=currency,
            interval=interval,
            limit=limit,
        )
    ).parsed
