import datetime
from http import HTTPStatus
from typing import Any

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.asset import Asset
from ...models.interval import Interval
from ...models.portfolio_history_out import PortfolioHistoryOut
from ...models.problem import Problem
from ...types import UNSET, Response, Unset


def _get_kwargs(
    *,
    interval: Interval | Unset = UNSET,
    currency: Asset | Unset = UNSET,
    from_: datetime.datetime | None | Unset = UNSET,
    to: datetime.datetime | None | Unset = UNSET,
) -> dict[str, Any]:

    params: dict[str, Any] = {}

    json_interval: str | Unset = UNSET
    if not isinstance(interval, Unset):
        json_interval = interval.value

    params["interval"] = json_interval

    json_currency: str | Unset = UNSET
    if not isinstance(currency, Unset):
        json_currency = currency.value

    params["currency"] = json_currency

    json_from_: None | str | Unset
    if isinstance(from_, Unset):
        json_from_ = UNSET
    elif isinstance(from_, datetime.datetime):
        json_from_ = from_.isoformat()
    else:
        json_from_ = from_
    params["from"] = json_from_

    json_to: None | str | Unset
    if isinstance(to, Unset):
        json_to = UNSET
    elif isinstance(to, datetime.datetime):
        json_to = to.isoformat()
    else:
        json_to = to
    params["to"] = json_to

    params = {k: v for k, v in params.items() if v is not UNSET and v is not None}

    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/api/v1/users/me/portfolio/history",
        "params": params,
    }

    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> PortfolioHistoryOut | Problem | None:
    if response.status_code == 200:
        response_200 = PortfolioHistoryOut.from_dict(response.json())

        return response_200

    if response.status_code == 401:
        response_401 = Problem.from_dict(response.json())

        return response_401

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
) -> Response[PortfolioHistoryOut | Problem]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient,
    interval: Interval | Unset = UNSET,
    currency: Asset | Unset = UNSET,
    from_: datetime.datetime | None | Unset = UNSET,
    to: datetime.datetime | None | Unset = UNSET,
) -> Response[PortfolioHistoryOut | Problem]:
    """Portfolio History

     Your collection's value over time: at the end of each hour or day bucket from ``from``
    to ``to`` (default the last 30), the cards you held then, each at its company's latest
    candle close in ``currency``. At most 500 points, within the candles kept.

    Args:
        interval (Interval | Unset):
        currency (Asset | Unset):
        from_ (datetime.datetime | None | Unset):
        to (datetime.datetime | None | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[PortfolioHistoryOut | Problem]
    """

    kwargs = _get_kwargs(
        interval=interval,
        currency=currency,
        from_=from_,
        to=to,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    *,
    client: AuthenticatedClient,
    interval: Interval | Unset = UNSET,
    currency: Asset | Unset = UNSET,
    from_: datetime.datetime | None | Unset = UNSET,
    to: datetime.datetime | None | Unset = UNSET,
) -> PortfolioHistoryOut | Problem | None:
    """Portfolio History

     Your collection's value over time: at the end of each hour or day bucket from ``from``
    to ``to`` (default the last 30), the cards you held then, each at its company's latest
    candle close in ``currency``. At most 500 points, within the candles kept.

    Args:
        interval (Interval | Unset):
        currency (Asset | Unset):
        from_ (datetime.datetime | None | Unset):
        to (datetime.datetime | None | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        PortfolioHistoryOut | Problem
    """

    return sync_detailed(
        client=client,
        interval=interval,
        currency=currency,
        from_=from_,
        to=to,
    ).parsed


async def asyncio_detailed(
    *,
    client: AuthenticatedClient,
    interval: Interval | Unset = UNSET,
    currency: Asset | Unset = UNSET,
    from_: datetime.datetime | None | Unset = UNSET,
    to: datetime.datetime | None | Unset = UNSET,
) -> Response[PortfolioHistoryOut | Problem]:
    """Portfolio History

     Your collection's value over time: at the end of each hour or day bucket from ``from``
    to ``to`` (default the last 30), the cards you held then, each at its company's latest
    candle close in ``currency``. At most 500 points, within the candles kept.

    Args:
        interval (Interval | Unset):
        currency (Asset | Unset):
        from_ (datetime.datetime | None | Unset):
        to (datetime.datetime | None | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[PortfolioHistoryOut | Problem]
    """

    kwargs = _get_kwargs(
        interval=interval,
        currency=currency,
        from_=from_,
        to=to,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    *,
    client: AuthenticatedClient,
    interval: Interval | Unset = UNSET,
    currency: Asset | Unset = UNSET,
    from_: datetime.datetime | None | Unset = UNSET,
    to: datetime.datetime | None | Unset = UNSET,
) -> PortfolioHistoryOut | Problem | None:
    """Portfolio History

     Your collection's value over time: at the end of each hour or day bucket from ``from``
    to ``to`` (default the last 30), the cards you held then, each at its company's latest
    candle close in ``currency``. At most 500 points, within the candles kept.

    Args:
        interval (Interval | Unset):
        currency (Asset | Unset):
        from_ (datetime.datetime | None | Unset):
        to (datetime.datetime | None | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        PortfolioHistoryOut | Problem
    """

    return (
        await asyncio_detailed(
            client=client,
            interval=interval,
            currency=currency,
            from_=from_,
            to=to,
        )
    ).parsed
