from http import HTTPStatus
from typing import Any
from urllib.parse import quote

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.problem import Problem
from ...models.vote_in import VoteIn
from ...models.vote_out import VoteOut
from ...types import Response


def _get_kwargs(
    battle_id: str,
    *,
    body: VoteIn,
) -> dict[str, Any]:
    headers: dict[str, Any] = {}

    _kwargs: dict[str, Any] = {
        "method": "post",
        "url": "/api/v1/battles/{battle_id}/vote".format(
            battle_id=quote(str(battle_id), safe=""),
        ),
    }

    _kwargs["json"] = body.to_dict()

    headers["Content-Type"] = "application/json"

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> Problem | VoteOut | None:
    if response.status_code == 200:
        response_200 = VoteOut.from_dict(response.json())

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

    if response.status_code == 409:
        response_409 = Problem.from_dict(response.json())

        return response_409

    if response.status_code == 422:
        response_422 = Problem.from_dict(response.json())

        return response_422

    if response.status_code == 429:
        response_429 = Problem.from_dict(response.json())

        return response_429

    if response.status_code == 500:
        response_500 = Problem.from_dict(response.json())

        return response_500

    if response.status_code == 503:
        response_503 = Problem.from_dict(response.json())

        return response_503

    if client.raise_on_unexpected_status:
        raise errors.UnexpectedStatus(response.status_code, response.content)
    else:
        return None


def _build_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> Response[Problem | VoteOut]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    battle_id: str,
    *,
    client: AuthenticatedClient,
    body: VoteIn,
) -> Response[Problem | VoteOut]:
    """Vote

     Vote for a side during voting, or change your vote (the latest counts, once).

    Args:
        battle_id (str):
        body (VoteIn):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Problem | VoteOut]
    """

    kwargs = _get_kwargs(
        battle_id=battle_id,
        body=body,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    battle_id: str,
    *,
    client: AuthenticatedClient,
    body: VoteIn,
) -> Problem | VoteOut | None:
    """Vote

     Vote for a side during voting, or change your vote (the latest counts, once).

    Args:
        battle_id (str):
        body (VoteIn):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Problem | VoteOut
    """

    return sync_detailed(
        battle_id=battle_id,
        client=client,
        body=body,
    ).parsed


async def asyncio_detailed(
    battle_id: str,
    *,
    client: AuthenticatedClient,
    body: VoteIn,
) -> Response[Problem | VoteOut]:
    """Vote

     Vote for a side during voting, or change your vote (the latest counts, once).

    Args:
        battle_id (str):
        body (VoteIn):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Problem | VoteOut]
    """

    kwargs = _get_kwargs(
        battle_id=battle_id,
        body=body,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    battle_id: str,
    *,
    client: AuthenticatedClient,
    body: VoteIn,
) -> Problem | VoteOut | None:
    """Vote

     Vote for a side during voting, or change your vote (the latest counts, once).

    Args:
        battle_id (str):
        body (VoteIn):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Problem | VoteOut
    """

    return (
        await asyncio_detailed(
            battle_id=battle_id,
            client=client,
            body=body,
        )
    ).parsed
