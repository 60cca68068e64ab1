from http import HTTPStatus
from typing import Any
from urllib.parse import quote

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.custody_card_credit_in import CustodyCardCreditIn
from ...models.custody_card_credit_out import CustodyCardCreditOut
from ...models.problem import Problem
from ...types import UNSET, Response, Unset


def _get_kwargs(
    card_id: str,
    *,
    body: CustodyCardCreditIn,
    idempotency_key: None | str | Unset = UNSET,
) -> dict[str, Any]:
    headers: dict[str, Any] = {}
    if not isinstance(idempotency_key, Unset):
        headers["Idempotency-Key"] = idempotency_key

    _kwargs: dict[str, Any] = {
        "method": "post",
        "url": "/api/v1/admin/custody/cards/{card_id}/credit".format(
            card_id=quote(str(card_id), safe=""),
        ),
    }

    _kwargs["json"] = body.to_dict()

    headers["Content-Type"] = "application/json"

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> CustodyCardCreditOut | Problem | None:
    if response.status_code == 200:
        response_200 = CustodyCardCreditOut.from_dict(response.json())

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

    if client.raise_on_unexpected_status:
        raise errors.UnexpectedStatus(response.status_code, response.content)
    else:
        return None


def _build_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> Response[CustodyCardCreditOut | Problem]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    card_id: str,
    *,
    client: AuthenticatedClient,
    body: CustodyCardCreditIn,
    idempotency_key: None | str | Unset = UNSET,
) -> Response[CustodyCardCreditOut | Problem]:
    """Admin Credit Custody Card

     A card custody holds on chain that the platform counts as withdrawn (sent with no open
    deposit's reference): back on the platform, owned by ``user_id``. 409 ``card_not_withdrawn``,
    ``card_not_in_custody`` or ``card_unclaimed`` (resolve that item instead).

    Args:
        card_id (str):
        idempotency_key (None | str | Unset): Same key and body within 24 h returns the first
            answer again
        body (CustodyCardCreditIn): The user a card custody holds (and the platform counts as
            withdrawn) is credited to.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[CustodyCardCreditOut | Problem]
    """

    kwargs = _get_kwargs(
        card_id=card_id,
        body=body,
        idempotency_key=idempotency_key,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    card_id: str,
    *,
    client: AuthenticatedClient,
    body: CustodyCardCreditIn,
    idempotency_key: None | str | Unset = UNSET,
) -> CustodyCardCreditOut | Problem | None:
    """Admin Credit Custody Card

     A card custody holds on chain that the platform counts as withdrawn (sent with no open
    deposit's reference): back on the platform, owned by ``user_id``. 409 ``card_not_withdrawn``,
    ``card_not_in_custody`` or ``card_unclaimed`` (resolve that item instead).

    Args:
        card_id (str):
        idempotency_key (None | str | Unset): Same key and body within 24 h returns the first
            answer again
        body (CustodyCardCreditIn): The user a card custody holds (and the platform counts as
            withdrawn) is credited to.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        CustodyCardCreditOut | Problem
    """

    return sync_detailed(
        card_id=card_id,
        client=client,
        body=body,
        idempotency_key=idempotency_key,
    ).parsed


async def asyncio_detailed(
    card_id: str,
    *,
    client: AuthenticatedClient,
    body: CustodyCardCreditIn,
    idempotency_key: None | str | Unset = UNSET,
) -> Response[CustodyCardCreditOut | Problem]:
    """Admin Credit Custody Card

     A card custody holds on chain that the platform counts as withdrawn (sent with no open
    deposit's reference): back on the platform, owned by ``user_id``. 409 ``card_not_withdrawn``,
    ``card_not_in_custody`` or ``card_unclaimed`` (resolve that item instead).

    Args:
        card_id (str):
        idempotency_key (None | str | Unset): Same key and body within 24 h returns the first
            answer again
        body (CustodyCardCreditIn): The user a card custody holds (and the platform counts as
            withdrawn) is credited to.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[CustodyCardCreditOut | Problem]
    """

    kwargs = _get_kwargs(
        card_id=card_id,
        body=body,
        idempotency_key=idempotency_key,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    card_id: str,
    *,
    client: AuthenticatedClient,
    body: CustodyCardCreditIn,
    idempotency_key: None | str | Unset = UNSET,
) -> CustodyCardCreditOut | Problem | None:
    """Admin Credit Custody Card

     A card custody holds on chain that the platform counts as withdrawn (sent with no open
    deposit's reference): back on the platform, owned by ``user_id``. 409 ``card_not_withdrawn``,
    ``card_not_in_custody`` or ``card_unclaimed`` (resolve that item instead).

    Args:
        card_id (str):
        idempotency_key (None | str | Unset): Same key and body within 24 h returns the first
            answer again
        body (CustodyCardCreditIn): The user a card custody holds (and the platform counts as
            withdrawn) is credited to.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        CustodyCardCreditOut | Problem
    """

    return (
        await asyncio_detailed(
            card_id=card_id,
            client=client,
            body=body,
            idempotency_key=idempotency_key,
        )
    ).parsed
