from http import HTTPStatus
from typing import Any
from urllib.parse import quote

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.battle_out import BattleOut
from ...models.problem import Problem
from ...types import Response


def _get_kwargs(
    battle_id: str,
) -> dict[str, Any]:

    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/api/v1/battles/{battle_id}".format(
            battle_id=quote(str(battle_id), safe=""),
        ),
    }

    return _kwargs


def _parse_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> BattleOut | Problem | None:
    if response.status_code == 200:
        response_200 = BattleOut.from_dict(response.json())

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


def _build_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> Response[BattleOut | Problem]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    battle_id: str,
    *,
    client: AuthenticatedClient | Client,
) -> Response[BattleOut | Problem]:
    """Get Battle

     One battle: sides, participants and their staked cards, vote tallies, the pool, the
    phase times and, once settled, the result and the seed.

    Args:
        battle_id (str):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[BattleOut | Problem]
    """

    kwargs = _get_kwargs(
        battle_id=battle_id,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    battle_id: str,
    *,
    client: AuthenticatedClient | Client,
) -> BattleOut | Problem | None:
    """Get Battle

     One battle: sides, participants and their staked cards, vote tallies, the pool, the
    phase times and, once settled, the result and the seed.

    Args:
        battle_id (str):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        BattleOut | Problem
    """

    return sync_detailed(
        battle_id=battle_id,
        client=client,
    ).parsed


async def asyncio_detailed(
    battle_id: str,
    *,
    client: AuthenticatedClient | Client,
) -> Response[BattleOut | Problem]:
    """Get Battle

     One battle: sides, participants and their staked cards, vote tallies, the pool, the
    phase times and, once settled, the result and the seed.

    Args:
        battle_id (str):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[BattleOut | Problem]
    """

    kwargs = _get_kwargs(
        battle_id=battle_id,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    battle_id: str,
    *,
    client: AuthenticatedClient | Client,
) -> BattleOut | Problem | None:
    """Get Battle

     One battle: sides, participants and their staked cards, vote tallies, the pool, the
    phase times and, once settled, the result and the seed.

    Args:
        battle_id (str):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        BattleOut | Problem
    """

    return (
        await asyncio_detailed(
            battle_id=battle_id,
            client=client,
        )
    ).parsed
