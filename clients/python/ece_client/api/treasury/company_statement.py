import datetime
from http import HTTPStatus
from typing import Any
from urllib.parse import quote

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.problem import Problem
from ...models.statement_out import StatementOut
from ...types import UNSET, Response, Unset


def _get_kwargs(
    company_id: str,
    *,
    from_: datetime.datetime | None | Unset = UNSET,
    to: datetime.datetime | None | Unset = UNSET,
    format_: str | Unset = "json",
) -> dict[str, Any]:

    params: dict[str, Any] = {}

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

    params["format"] = format_

    params = {k: v for k, v in params.items() if v is not UNSET and v is not None}

    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/api/v1/companies/{company_id}/statement".format(
            company_id=quote(str(company_id), safe=""),
        ),
        "params": params,
    }

    return _kwargs


def _parse_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> Problem | StatementOut | None:
    if response.status_code == 200:
        response_200 = StatementOut.from_dict(response.json())

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
) -> Response[Problem | StatementOut]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    company_id: str,
    *,
    client: AuthenticatedClient,
    from_: datetime.datetime | None | Unset = UNSET,
    to: datetime.datetime | None | Unset = UNSET,
    format_: str | Unset = "json",
) -> Response[Problem | StatementOut]:
    """Company Statement

     Accruals (royalties, primary sales) and payouts with their signatures, from ``from``
    (default: 31 days ago) to ``to`` (default: now); admins or the company's payout wallet.

    Args:
        company_id (str):
        from_ (datetime.datetime | None | Unset):
        to (datetime.datetime | None | Unset):
        format_ (str | Unset):  Default: 'json'.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Problem | StatementOut]
    """

    kwargs = _get_kwargs(
        company_id=company_id,
        from_=from_,
        to=to,
        format_=format_,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    company_id: str,
    *,
    client: AuthenticatedClient,
    from_: datetime.datetime | None | Unset = UNSET,
    to: datetime.datetime | None | Unset = UNSET,
    format_: str | Unset = "json",
) -> Problem | StatementOut | None:
    """Company Statement

     Accruals (royalties, primary sales) and payouts with their signatures, from ``from``
    (default: 31 days ago) to ``to`` (default: now); admins or the company's payout wallet.

    Args:
        company_id (str):
        from_ (datetime.datetime | None | Unset):
        to (datetime.datetime | None | Unset):
        format_ (str | Unset):  Default: 'json'.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Problem | StatementOut
    """

    return sync_detailed(
        company_id=company_id,
        client=client,
        from_=from_,
        to=to,
        format_=format_,
    ).parsed


async def asyncio_detailed(
    company_id: str,
    *,
    client: AuthenticatedClient,
    from_: datetime.datetime | None | Unset = UNSET,
    to: datetime.datetime | None | Unset = UNSET,
    format_: str | Unset = "json",
) -> Response[Problem | StatementOut]:
    """Company Statement

     Accruals (royalties, primary sales) and payouts with their signatures, from ``from``
    (default: 31 days ago) to ``to`` (default: now); admins or the company's payout wallet.

    Args:
        company_id (str):
        from_ (datetime.datetime | None | Unset):
        to (datetime.datetime | None | Unset):
        format_ (str | Unset):  Default: 'json'.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Problem | StatementOut]
    """

    kwargs = _get_kwargs(
        company_id=company_id,
        from_=from_,
        to=to,
        format_=format_,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    company_id: str,
    *,
    client: AuthenticatedClient,
    from_: datetime.datetime | None | Unset = UNSET,
    to: datetime.datetime | None | Unset = UNSET,
    format_: str | Unset = "json",
) -> Problem | StatementOut | None:
    """Company Statement

     Accruals (royalties, primary sales) and payouts with their signatures, from ``from``
    (default: 31 days ago) to ``to`` (default: now); admins or the company's payout wallet.

    Args:
        company_id (str):
        from_ (datetime.datetime | None | Unset):
        to (datetime.datetime | None | Unset):
        format_ (str | Unset):  Default: 'json'.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Problem | StatementOut
    """

    return (
        await asyncio_detailed(
            company_id=company_id,
            client=client,
            from_=from_,
            to=to,
            format_=format_,
        )
    ).parsed
