import datetime
from http import HTTPStatus
from typing import Any, cast

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.problem import Problem
from ...types import UNSET, Response, Unset


def _get_kwargs(
    *,
    actor: None | str | Unset = UNSET,
    action: None | str | Unset = UNSET,
    object_type: None | str | Unset = UNSET,
    object_id: None | str | Unset = UNSET,
    from_: datetime.datetime | None | Unset = UNSET,
    to: datetime.datetime | None | Unset = UNSET,
) -> dict[str, Any]:

    params: dict[str, Any] = {}

    json_actor: None | str | Unset
    if isinstance(actor, Unset):
        json_actor = UNSET
    else:
        json_actor = actor
    params["actor"] = json_actor

    json_action: None | str | Unset
    if isinstance(action, Unset):
        json_action = UNSET
    else:
        json_action = action
    params["action"] = json_action

    json_object_type: None | str | Unset
    if isinstance(object_type, Unset):
        json_object_type = UNSET
    else:
        json_object_type = object_type
    params["object_type"] = json_object_type

    json_object_id: None | str | Unset
    if isinstance(object_id, Unset):
        json_object_id = UNSET
    else:
        json_object_id = object_id
    params["object_id"] = json_object_id

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
        "url": "/api/v1/audit.csv",
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


def _build_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> Response[Any | Problem]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient,
    actor: None | str | Unset = UNSET,
    action: None | str | Unset = UNSET,
    object_type: None | str | Unset = UNSET,
    object_id: None | str | Unset = UNSET,
    from_: datetime.datetime | None | Unset = UNSET,
    to: datetime.datetime | None | Unset = UNSET,
) -> Response[Any | Problem]:
    """Export Audit

     The entries matching the filters as CSV, newest first, streamed (no page limit).

    Args:
        actor (None | str | Unset): User id, `system`…
        action (None | str | Unset): e.g. `user.roles_set`
        object_type (None | str | Unset):
        object_id (None | str | Unset):
        from_ (datetime.datetime | None | Unset): Inclusive
        to (datetime.datetime | None | Unset): Exclusive

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Any | Problem]
    """

    kwargs = _get_kwargs(
        actor=actor,
        action=action,
        object_type=object_type,
        object_id=object_id,
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
    actor: None | str | Unset = UNSET,
    action: None | str | Unset = UNSET,
    object_type: None | str | Unset = UNSET,
    object_id: None | str | Unset = UNSET,
    from_: datetime.datetime | None | Unset = UNSET,
    to: datetime.datetime | None | Unset = UNSET,
) -> Any | Problem | None:
    """Export Audit

     The entries matching the filters as CSV, newest first, streamed (no page limit).

    Args:
        actor (None | str | Unset): User id, `system`…
        action (None | str | Unset): e.g. `user.roles_set`
        object_type (None | str | Unset):
        object_id (None | str | Unset):
        from_ (datetime.datetime | None | Unset): Inclusive
        to (datetime.datetime | None | Unset): Exclusive

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Any | Problem
    """

    return sync_detailed(
        client=client,
        actor=actor,
        action=action,
        object_type=object_type,
        object_id=object_id,
        from_=from_,
        to=to,
    ).parsed


async def asyncio_detailed(
    *,
    client: AuthenticatedClient,
    actor: None | str | Unset = UNSET,
    action: None | str | Unset = UNSET,
    object_type: None | str | Unset = UNSET,
    object_id: None | str | Unset = UNSET,
    from_: datetime.datetime | None | Unset = UNSET,
    to: datetime.datetime | None | Unset = UNSET,
) -> Response[Any | Problem]:
    """Export Audit

     The entries matching the filters as CSV, newest first, streamed (no page limit).

    Args:
        actor (None | str | Unset): User id, `system`…
        action (None | str | Unset): e.g. `user.roles_set`
        object_type (None | str | Unset):
        object_id (None | str | Unset):
        from_ (datetime.datetime | None | Unset): Inclusive
        to (datetime.datetime | None | Unset): Exclusive

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Any | Problem]
    """

    kwargs = _get_kwargs(
        actor=actor,
        action=action,
        object_type=object_type,
        object_id=object_id,
        from_=from_,
        to=to,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    *,
    client: AuthenticatedClient,
    actor: None | str | Unset = UNSET,
    action: None | str | Unset = UNSET,
    object_type: None | str | Unset = UNSET,
    object_id: None | str | Unset = UNSET,
    from_: datetime.datetime | None | Unset = UNSET,
    to: datetime.datetime | None | Unset = UNSET,
) -> Any | Problem | None:
    """Export Audit

     The entries matching the filters as CSV, newest first, streamed (no page limit).

    Args:
        actor (None | str | Unset): User id, `system`…
        action (None | str | Unset): e.g. `user.roles_set`
        object_type (None | str | Unset):
        object_id (None | str | Unset):
        from_ (datetime.datetime | None | Unset): Inclusive
        to (datetime.datetime | None | Unset): Exclusive

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Any | Problem
    """

    return (
        await asyncio_detailed(
            client=client,
            actor=actor,
            action=action,
            object_type=object_type,
            object_id=object_id,
            from_=from_,
            to=to,
        )
    ).parsed
