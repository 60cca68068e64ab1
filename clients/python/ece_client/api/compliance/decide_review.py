from http import HTTPStatus
from typing import Any
from urllib.parse import quote

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.problem import Problem
from ...models.review_decision_in import ReviewDecisionIn
from ...models.review_out import ReviewOut
from ...types import UNSET, Response, Unset


def _get_kwargs(
    review_id: str,
    *,
    body: ReviewDecisionIn,
    idempotency_key: None | str | Unset = UNSET,
) -> dict[str, Any]:
    headers: dict[str, Any] = {}
    if not isinstance(idempotency_key, Unset):
        headers["Idempotency-Key"] = idempotency_key

    _kwargs: dict[str, Any] = {
        "method": "post",
        "url": "/api/v1/compliance/reviews/{review_id}/decision".format(
            review_id=quote(str(review_id), safe=""),
        ),
    }

    _kwargs["json"] = body.to_dict()

    headers["Content-Type"] = "application/json"

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> Problem | ReviewOut | None:
    if response.status_code == 200:
        response_200 = ReviewOut.from_dict(response.json())

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


def _build_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> Response[Problem | ReviewOut]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    review_id: str,
    *,
    client: AuthenticatedClient,
    body: ReviewDecisionIn,
    idempotency_key: None | str | Unset = UNSET,
) -> Response[Problem | ReviewOut]:
    """Decide Review

     Approve (the withdrawal is sent) or reject (its hold is released), once. Whoever
    requested the action cannot approve it (403 ``four_eyes``); deciding again is 409. Accepts
    ``Idempotency-Key``: a retried request gets the first answer again.

    Args:
        review_id (str):
        idempotency_key (None | str | Unset): Same key and body within 24 h returns the first
            answer again
        body (ReviewDecisionIn):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Problem | ReviewOut]
    """

    kwargs = _get_kwargs(
        review_id=review_id,
        body=body,
        idempotency_key=idempotency_key,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    review_id: str,
    *,
    client: AuthenticatedClient,
    body: ReviewDecisionIn,
    idempotency_key: None | str | Unset = UNSET,
) -> Problem | ReviewOut | None:
    """Decide Review

     Approve (the withdrawal is sent) or reject (its hold is released), once. Whoever
    requested the action cannot approve it (403 ``four_eyes``); deciding again is 409. Accepts
    ``Idempotency-Key``: a retried request gets the first answer again.

    Args:
        review_id (str):
        idempotency_key (None | str | Unset): Same key and body within 24 h returns the first
            answer again
        body (ReviewDecisionIn):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Problem | ReviewOut
    """

    return sync_detailed(
        review_id=review_id,
        client=client,
        body=body,
        idempotency_key=idempotency_key,
    ).parsed


async def asyncio_detailed(
    review_id: str,
    *,
    client: AuthenticatedClient,
    body: ReviewDecisionIn,
    idempotency_key: None | str | Unset = UNSET,
) -> Response[Problem | ReviewOut]:
    """Decide Review

     Approve (the withdrawal is sent) or reject (its hold is released), once. Whoever
    requested the action cannot approve it (403 ``four_eyes``); deciding again is 409. Accepts
    ``Idempotency-Key``: a retried request gets the first answer again.

    Args:
        review_id (str):
        idempotency_key (None | str | Unset): Same key and body within 24 h returns the first
            answer again
        body (ReviewDecisionIn):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Problem | ReviewOut]
    """

    kwargs = _get_kwargs(
        review_id=review_id,
        body=body,
        idempotency_key=idempotency_key,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    review_id: str,
    *,
    client: AuthenticatedClient,
    body: ReviewDecisionIn,
    idempotency_key: None | str | Unset = UNSET,
) -> Problem | ReviewOut | None:
    """Decide Review

     Approve (the withdrawal is sent) or reject (its hold is released), once. Whoever
    requested the action cannot approve it (403 ``four_eyes``); deciding again is 409. Accepts
    ``Idempotency-Key``: a retried request gets the first answer again.

    Args:
        review_id (str):
        idempotency_key (None | str | Unset): Same key and body within 24 h returns the first
            answer again
        body (ReviewDecisionIn):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Problem | ReviewOut
    """

    return (
        await asyncio_detailed(
            review_id=review_id,
            client=client,
            body=body,
            idempotency_key=idempotency_key,
        )
    ).parsed
