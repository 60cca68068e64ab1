from http import HTTPStatus
from typing import Any
from urllib.parse import quote

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.pay_link_in import PayLinkIn
from ...models.problem import Problem
from ...models.transaction_request_out import TransactionRequestOut
from ...types import Response


def _get_kwargs(
    token: str,
    *,
    body: PayLinkIn,
) -> dict[str, Any]:
    headers: dict[str, Any] = {}

    _kwargs: dict[str, Any] = {
        "method": "post",
        "url": "/pay/deposits/{token}".format(
            token=quote(str(token), safe=""),
        ),
    }

    _kwargs["json"] = body.to_dict()

    headers["Content-Type"] = "application/json"

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> Problem | TransactionRequestOut | None:
    if response.status_code == 200:
        response_200 = TransactionRequestOut.from_dict(response.json())

        return response_200

    if response.status_code == 404:
        response_404 = Problem.from_dict(response.json())

        return response_404

    if response.status_code == 409:
        response_409 = Problem.from_dict(response.json())

        return response_409

    if response.status_code == 410:
        response_410 = Problem.from_dict(response.json())

        return response_410

    if response.status_code == 422:
        response_422 = Problem.from_dict(response.json())

        return response_422

    if response.status_code == 500:
        response_500 = Problem.from_dict(response.json())

        return response_500

    if client.raise_on_unexpected_status:
        raise errors.UnexpectedStatus(response.status_code, response.content)
    else:
        return None


def _build_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> Response[Problem | TransactionRequestOut]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    token: str,
    *,
    client: AuthenticatedClient | Client,
    body: PayLinkIn,
) -> Response[Problem | TransactionRequestOut]:
    """Pay Link Transaction

     Solana Pay transaction request: the unsigned transaction paying what the deposit still
    owes from ``account`` (its fee payer), for the wallet to sign and send. Paid into the
    deposit owner's balance, whoever pays. 422 ``invalid_account`` for an address that is not
    base58, custody's, or a program's.

    Args:
        token (str): The link's secret
        body (PayLinkIn): Solana Pay transaction request, POST (fields other than ``account`` are
            ignored).

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Problem | TransactionRequestOut]
    """

    kwargs = _get_kwargs(
        token=token,
        body=body,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    token: str,
    *,
    client: AuthenticatedClient | Client,
    body: PayLinkIn,
) -> Problem | TransactionRequestOut | None:
    """Pay Link Transaction

     Solana Pay transaction request: the unsigned transaction paying what the deposit still
    owes from ``account`` (its fee payer), for the wallet to sign and send. Paid into the
    deposit owner's balance, whoever pays. 422 ``invalid_account`` for an address that is not
    base58, custody's, or a program's.

    Args:
        token (str): The link's secret
        body (PayLinkIn): Solana Pay transaction request, POST (fields other than ``account`` are
            ignored).

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Problem | TransactionRequestOut
    """

    return sync_detailed(
        token=token,
        client=client,
        body=body,
    ).parsed


async def asyncio_detailed(
    token: str,
    *,
    client: AuthenticatedClient | Client,
    body: PayLinkIn,
) -> Response[Problem | TransactionRequestOut]:
    """Pay Link Transaction

     Solana Pay transaction request: the unsigned transaction paying what the deposit still
    owes from ``account`` (its fee payer), for the wallet to sign and send. Paid into the
    deposit owner's balance, whoever pays. 422 ``invalid_account`` for an address that is not
    base58, custody's, or a program's.

    Args:
        token (str): The link's secret
        body (PayLinkIn): Solana Pay transaction request, POST (fields other than ``account`` are
            ignored).

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Problem | TransactionRequestOut]
    """

    kwargs = _get_kwargs(
        token=token,
        body=body,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    token: str,
    *,
    client: AuthenticatedClient | Client,
    body: PayLinkIn,
) -> Problem | TransactionRequestOut | None:
    """Pay Link Transaction

     Solana Pay transaction request: the unsigned transaction paying what the deposit still
    owes from ``account`` (its fee payer), for the wallet to sign and send. Paid into the
    deposit owner's balance, whoever pays. 422 ``invalid_account`` for an address that is not
    base58, custody's, or a program's.

    Args:
        token (str): The link's secret
        body (PayLinkIn): Solana Pay transaction request, POST (fields other than ``account`` are
            ignored).

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Problem | TransactionRequestOut
    """

    return (
        await asyncio_detailed(
            token=token,
            client=client,
            body=body,
        )
    ).parsed
