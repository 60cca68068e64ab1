from http import HTTPStatus
from typing import Any, cast
from urllib.parse import quote

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.deposit_qr_kind import DepositQrKind
from ...models.problem import Problem
from ...types import UNSET, Response, Unset


def _get_kwargs(
    deposit_id: str,
    *,
    kind: DepositQrKind | Unset = DepositQrKind.TRANSACTION,
) -> dict[str, Any]:

    params: dict[str, Any] = {}

    json_kind: str | Unset = UNSET
    if not isinstance(kind, Unset):
        json_kind = kind.value

    params["kind"] = json_kind

    params = {k: v for k, v in params.items() if v is not UNSET and v is not None}

    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/api/v1/deposits/{deposit_id}/qr.svg".format(
            deposit_id=quote(str(deposit_id), safe=""),
        ),
        "params": params,
    }

    return _kwargs


def _parse_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> Any | Problem | None:
    if response.status_code == 200:
        response_200 = cast(Any, None)
        return response_200

    if response.status_code == 401:
        response_401 = Problem.from_dict(response.json())

        return response_401

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


def _build_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> Response[Any | Problem]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    deposit_id: str,
    *,
    client: AuthenticatedClient,
    kind: DepositQrKind | Unset = DepositQrKind.TRANSACTION,
) -> Response[Any | Problem]:
    """Deposit Qr

     The deposit's Solana Pay URL as a QR code, for a phone wallet to scan: the transaction
    request by default, the transfer request with ``kind=transfer``.

    Args:
        deposit_id (str):
        kind (DepositQrKind | Unset):  Default: DepositQrKind.TRANSACTION.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Any | Problem]
    """

    kwargs = _get_kwargs(
        deposit_id=deposit_id,
        kind=kind,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    deposit_id: str,
    *,
    client: AuthenticatedClient,
    kind: DepositQrKind | Unset = DepositQrKind.TRANSACTION,
) -> Any | Problem | None:
    """Deposit Qr

     The deposit's Solana Pay URL as a QR code, for a phone wallet to scan: the transaction
    request by default, the transfer request with ``kind=transfer``.

    Args:
        deposit_id (str):
        kind (DepositQrKind | Unset):  Default: DepositQrKind.TRANSACTION.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Any | Problem
    """

    return sync_detailed(
        deposit_id=deposit_id,
        client=client,
        kind=kind,
    ).parsed


async def asyncio_detailed(
    deposit_id: str,
    *,
    client: AuthenticatedClient,
    kind: DepositQrKind | Unset = DepositQrKind.TRANSACTION,
) -> Response[Any | Problem]:
    """Deposit Qr

     The deposit's Solana Pay URL as a QR code, for a phone wallet to scan: the transaction
    request by default, the transfer request with ``kind=transfer``.

    Args:
        deposit_id (str):
        kind (DepositQrKind | Unset):  Default: DepositQrKind.TRANSACTION.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Any | Problem]
    """

    kwargs = _get_kwargs(
        deposit_id=deposit_id,
        kind=kind,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    deposit_id: str,
    *,
    client: AuthenticatedClient,
    kind: DepositQrKind | Unset = DepositQrKind.TRANSACTION,
) -> Any | Problem | None:
    """Deposit Qr

     The deposit's Solana Pay URL as a QR code, for a phone wallet to scan: the transaction
    request by default, the transfer request with ``kind=transfer``.

    Args:
        deposit_id (str):
        kind (DepositQrKind | Unset):  Default: DepositQrKind.TRANSACTION.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Any | Problem
    """

    return (
        await asyncio_detailed(
            deposit_id=deposit_id,
            client=client,
            kind=kind,
        )
    ).parsed
