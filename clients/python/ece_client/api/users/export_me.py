from http import HTTPStatus
from typing import Any

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.export_me_format import ExportMeFormat
from ...models.personal_data_export import PersonalDataExport
from ...models.problem import Problem
from ...types import UNSET, Response, Unset


def _get_kwargs(
    *,
    format_: ExportMeFormat | Unset = ExportMeFormat.JSON,
) -> dict[str, Any]:

    params: dict[str, Any] = {}

    json_format_: str | Unset = UNSET
    if not isinstance(format_, Unset):
        json_format_ = format_.value

    params["format"] = json_format_

    params = {k: v for k, v in params.items() if v is not UNSET and v is not None}

    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/api/v1/users/me/export",
        "params": params,
    }

    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> PersonalDataExport | Problem | None:
    if response.status_code == 200:
        response_200 = PersonalDataExport.from_dict(response.json())

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
) -> Response[PersonalDataExport | Problem]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient,
    format_: ExportMeFormat | Unset = ExportMeFormat.JSON,
) -> Response[PersonalDataExport | Problem]:
    """Export Me

     Everything ECE holds about you: profile, sessions and API keys (without their secrets),
    ledger entries, sales, trades, listings, offers, notifications, audit entries. As JSON, or
    with `format=zip` as a zip of `<table>.csv` files (the same rows) and `manifest.json`.

    Args:
        format_ (ExportMeFormat | Unset):  Default: ExportMeFormat.JSON.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[PersonalDataExport | Problem]
    """

    kwargs = _get_kwargs(
        format_=format_,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    *,
    client: AuthenticatedClient,
    format_: ExportMeFormat | Unset = ExportMeFormat.JSON,
) -> PersonalDataExport | Problem | None:
    """Export Me

     Everything ECE holds about you: profile, sessions and API keys (without their secrets),
    ledger entries, sales, trades, listings, offers, notifications, audit entries. As JSON, or
    with `format=zip` as a zip of `<table>.csv` files (the same rows) and `manifest.json`.

    Args:
        format_ (ExportMeFormat | Unset):  Default: ExportMeFormat.JSON.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        PersonalDataExport | Problem
    """

    return sync_detailed(
        client=client,
        format_=format_,
    ).parsed


async def asyncio_detailed(
    *,
    client: AuthenticatedClient,
    format_: ExportMeFormat | Unset = ExportMeFormat.JSON,
) -> Response[PersonalDataExport | Problem]:
    """Export Me

     Everything ECE holds about you: profile, sessions and API keys (without their secrets),
    ledger entries, sales, trades, listings, offers, notifications, audit entries. As JSON, or
    with `format=zip` as a zip of `<table>.csv` files (the same rows) and `manifest.json`.

    Args:
        format_ (ExportMeFormat | Unset):  Default: ExportMeFormat.JSON.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[PersonalDataExport | Problem]
    """

    kwargs = _get_kwargs(
        format_=format_,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    *,
    client: AuthenticatedClient,
    format_: ExportMeFormat | Unset = ExportMeFormat.JSON,
) -> PersonalDataExport | Problem | None:
    """Export Me

     Everything ECE holds about you: profile, sessions and API keys (without their secrets),
    ledger entries, sales, trades, listings, offers, notifications, audit entries. As JSON, or
    with `format=zip` as a zip of `<table>.csv` files (the same rows) and `manifest.json`.

    Args:
        format_ (ExportMeFormat | Unset):  Default: ExportMeFormat.JSON.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        PersonalDataExport | Problem
    """

    return (
        await asyncio_detailed(
            client=client,
            format_=format_,
        )
    ).parsed
