from http import HTTPStatus
from typing import Any

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.login_in import LoginIn
from ...models.login_out import LoginOut
from ...models.problem import Problem
from ...types import Response


def _get_kwargs(
    *,
    body: LoginIn,
) -> dict[str, Any]:
    headers: dict[str, Any] = {}

    _kwargs: dict[str, Any] = {
        "method": "post",
        "url": "/api/v1/auth/login",
    }

    _kwargs["json"] = body.to_dict()

    headers["Content-Type"] = "application/json"

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> LoginOut | Problem | None:
    if response.status_code == 200:
        response_200 = LoginOut.from_dict(response.json())

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


def _build_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> Response[LoginOut | Problem]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient | Client,
    body: LoginIn,
) -> Response[LoginOut | Problem]:
    """Login

     Finish sign-in with the signed message text and its base58 signature, or with the
    wallet's ``SolanaSignInOutput`` (``output``): every field of the signed message is checked
    against the challenge, then the signature. A refused attempt leaves the challenge usable
    until one passes the signature check. Returns a bearer token and sets a session cookie. A
    deny-listed wallet is refused with 403 ``sanctioned``.

    Args:
        body (LoginIn): Either the signed message text with its base58 signature
            (``signMessage``), or the
            wallet's ``SolanaSignInOutput`` (``solana:signIn``).

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[LoginOut | Problem]
    """

    kwargs = _get_kwargs(
        body=body,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    *,
    client: AuthenticatedClient | Client,
    body: LoginIn,
) -> LoginOut | Problem | None:
    """Login

     Finish sign-in with the signed message text and its base58 signature, or with the
    wallet's ``SolanaSignInOutput`` (``output``): every field of the signed message is checked
    against the challenge, then the signature. A refused attempt leaves the challenge usable
    until one passes the signature check. Returns a bearer token and sets a session cookie. A
    deny-listed wallet is refused with 403 ``sanctioned``.

    Args:
        body (LoginIn): Either the signed message text with its base58 signature
            (``signMessage``), or the
            wallet's ``SolanaSignInOutput`` (``solana:signIn``).

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        LoginOut | Problem
    """

    return sync_detailed(
        client=client,
        body=body,
    ).parsed


async def asyncio_detailed(
    *,
    client: AuthenticatedClient | Client,
    body: LoginIn,
) -> Response[LoginOut | Problem]:
    """Login

     Finish sign-in with the signed message text and its base58 signature, or with the
    wallet's ``SolanaSignInOutput`` (``output``): every field of the signed message is checked
    against the challenge, then the signature. A refused attempt leaves the challenge usable
    until one passes the signature check. Returns a bearer token and sets a session cookie. A
    deny-listed wallet is refused with 403 ``sanctioned``.

    Args:
        body (LoginIn): Either the signed message text with its base58 signature
            (``signMessage``), or the
            wallet's ``SolanaSignInOutput`` (``solana:signIn``).

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[LoginOut | Problem]
    """

    kwargs = _get_kwargs(
        body=body,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    *,
    client: AuthenticatedClient | Client,
    body: LoginIn,
) -> LoginOut | Problem | None:
    """Login

     Finish sign-in with the signed message text and its base58 signature, or with the
    wallet's ``SolanaSignInOutput`` (``output``): every field of the signed message is checked
    against the challenge, then the signature. A refused attempt leaves the challenge usable
    until one passes the signature check. Returns a bearer token and sets a session cookie. A
    deny-listed wallet is refused with 403 ``sanctioned``.

    Args:
        body (LoginIn): Either the signed message text with its base58 signature
            (``signMessage``), or the
            wallet's ``SolanaSignInOutput`` (``solana:signIn``).

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        LoginOut | Problem
    """

    return (
        await asyncio_detailed(
            client=client,
            body=body,
        )
    ).parsed
