from http import HTTPStatus
from typing import Any

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.challenge_in import ChallengeIn
from ...models.challenge_out import ChallengeOut
from ...models.problem import Problem
from ...types import UNSET, Response, Unset


def _get_kwargs(
    *,
    body: ChallengeIn | None | Unset = UNSET,
) -> dict[str, Any]:
    headers: dict[str, Any] = {}

    _kwargs: dict[str, Any] = {
        "method": "post",
        "url": "/api/v1/auth/challenge",
    }

    if isinstance(body, ChallengeIn):
        _kwargs["json"] = body.to_dict()
    else:
        _kwargs["json"] = body

    headers["Content-Type"] = "application/json"

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> ChallengeOut | Problem | None:
    if response.status_code == 200:
        response_200 = ChallengeOut.from_dict(response.json())

        return response_200

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
) -> Response[ChallengeOut | Problem]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient | Client,
    body: ChallengeIn | None | Unset = UNSET,
) -> Response[ChallengeOut | Problem]:
    """Challenge

     Start Sign-In With Solana. With an ``address``: the message text for ``signMessage`` (and
    the same as ``input``). Without one (or with no body): a Wallet Standard
    ``SolanaSignInInput`` for ``solana:signIn``, where the wallet adds its own account.

    Args:
        body (ChallengeIn | None | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ChallengeOut | Problem]
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
    body: ChallengeIn | None | Unset = UNSET,
) -> ChallengeOut | Problem | None:
    """Challenge

     Start Sign-In With Solana. With an ``address``: the message text for ``signMessage`` (and
    the same as ``input``). Without one (or with no body): a Wallet Standard
    ``SolanaSignInInput`` for ``solana:signIn``, where the wallet adds its own account.

    Args:
        body (ChallengeIn | None | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ChallengeOut | Problem
    """

    return sync_detailed(
        client=client,
        body=body,
    ).parsed


async def asyncio_detailed(
    *,
    client: AuthenticatedClient | Client,
    body: ChallengeIn | None | Unset = UNSET,
) -> Response[ChallengeOut | Problem]:
    """Challenge

     Start Sign-In With Solana. With an ``address``: the message text for ``signMessage`` (and
    the same as ``input``). Without one (or with no body): a Wallet Standard
    ``SolanaSignInInput`` for ``solana:signIn``, where the wallet adds its own account.

    Args:
        body (ChallengeIn | None | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ChallengeOut | Problem]
    """

    kwargs = _get_kwargs(
        body=body,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    *,
    client: AuthenticatedClient | Client,
    body: ChallengeIn | None | Unset = UNSET,
) -> ChallengeOut | Problem | None:
    """Challenge

     Start Sign-In With Solana. With an ``address``: the message text for ``signMessage`` (and
    the same as ``input``). Without one (or with no body): a Wallet Standard
    ``SolanaSignInInput`` for ``solana:signIn``, where the wallet adds its own account.

    Args:
        body (ChallengeIn | None | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ChallengeOut | Problem
    """

    return (
        await asyncio_detailed(
            client=client,
            body=body,
        )
    ).parsed
