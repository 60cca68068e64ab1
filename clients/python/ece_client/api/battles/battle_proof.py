from http import HTTPStatus
from typing import Any
from urllib.parse import quote

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.problem import Problem
from ...models.proof_out import ProofOut
from ...types import Response


def _get_kwargs(
    battle_id: str,
) -> dict[str, Any]:

    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/api/v1/battles/{battle_id}/proof".format(
            battle_id=quote(str(battle_id), safe=""),
        ),
    }

    return _kwargs


def _parse_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> Problem | ProofOut | None:
    if response.status_code == 200:
        response_200 = ProofOut.from_dict(response.json())

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


def _build_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> Response[Problem | ProofOut]:
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
) -> Response[Problem | ProofOut]:
    """Battle Proof

     Everything needed to recompute the outcome: the commitment, the seed (once settled),
    the frozen terms, every staked card and vote, and the outcome recomputed from them.

    Args:
        battle_id (str):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Problem | ProofOut]
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
) -> Problem | ProofOut | None:
    """Battle Proof

     Everything needed to recompute the outcome: the commitment, the seed (once settled),
    the frozen terms, every staked card and vote, and the outcome recomputed from them.

    Args:
        battle_id (str):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Problem | ProofOut
    """

    return sync_detailed(
        battle_id=battle_id,
        client=client,
    ).parsed


async def asyncio_detailed(
    battle_id: str,
    *,
    client: AuthenticatedClient | Client,
) -> Response[Problem | ProofOut]:
    """Battle Proof

     Everything needed to recompute the outcome: the commitment, the seed (once settled),
    the frozen terms, every staked card and vote, and the outcome recomputed from them.

    Args:
        battle_id (str):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Problem | ProofOut]
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
) -> Problem | ProofOut | None:
    """Battle Proof

     Everything needed to recompute the outcome: the commitment, the seed (once settled),
    the frozen terms, every staked card and vote, and the outcome recomputed from them.

    Args:
        battle_id (str):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Problem | ProofOut
    """

    return (
        await asyncio_detailed(
            battle_id=battle_id,
            client=client,
        )
    ).parsed
