from http import HTTPStatus
from typing import Any

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.best_offers_out import BestOffersOut
from ...models.problem import Problem
from ...types import UNSET, Response, Unset


def _get_kwargs(
    *,
    card: None | str | Unset = UNSET,
    company: None | str | Unset = UNSET,
) -> dict[str, Any]:

    params: dict[str, Any] = {}

    json_card: None | str | Unset
    if isinstance(card, Unset):
        json_card = UNSET
    else:
        json_card = card
    params["card"] = json_card

    json_company: None | str | Unset
    if isinstance(company, Unset):
        json_company = UNSET
    else:
        json_company = company
    params["company"] = json_company

    params = {k: v for k, v in params.items() if v is not UNSET and v is not None}

    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/api/v1/offers/best",
        "params": params,
    }

    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> BestOffersOut | Problem | None:
    if response.status_code == 200:
        response_200 = BestOffersOut.from_dict(response.json())

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


def _build_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> Response[BestOffersOut | Problem]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient | Client,
    card: None | str | Unset = UNSET,
    company: None | str | Unset = UNSET,
) -> Response[BestOffersOut | Problem]:
    """Best Offers

     The best open offer per currency for a card (its own and matching collection offers)
    or for a company (its collection offers).

    Args:
        card (None | str | Unset): Card id; give card or company (neither: 422)
        company (None | str | Unset): Company id; give card or company

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[BestOffersOut | Problem]
    """

    kwargs = _get_kwargs(
        card=card,
        company=company,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    *,
    client: AuthenticatedClient | Client,
    card: None | str | Unset = UNSET,
    company: None | str | Unset = UNSET,
) -> BestOffersOut | Problem | None:
    """Best Offers

     The best open offer per currency for a card (its own and matching collection offers)
    or for a company (its collection offers).

    Args:
        card (None | str | Unset): Card id; give card or company (neither: 422)
        company (None | str | Unset): Company id; give card or company

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        BestOffersOut | Problem
    """

    return sync_detailed(
        client=client,
        card=card,
        company=company,
    ).parsed


async def asyncio_detailed(
    *,
    client: AuthenticatedClient | Client,
    card: None | str | Unset = UNSET,
    company: None | str | Unset = UNSET,
) -> Response[BestOffersOut | Problem]:
    """Best Offers

     The best open offer per currency for a card (its own and matching collection offers)
    or for a company (its collection offers).

    Args:
        card (None | str | Unset): Card id; give card or company (neither: 422)
        company (None | str | Unset): Company id; give card or company

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[BestOffersOut | Problem]
    """

    kwargs = _get_kwargs(
        card=card,
        company=company,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    *,
    client: AuthenticatedClient | Client,
    card: None | str | Unset = UNSET,
    company: None | str | Unset = UNSET,
) -> BestOffersOut | Problem | None:
    """Best Offers

     The best open offer per currency for a card (its own and matching collection offers)
    or for a company (its collection offers).

    Args:
        card (None | str | Unset): Card id; give card or company (neither: 422)
        company (None | str | Unset): Company id; give card or company

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        BestOffersOut | Problem
    """

    return (
        await asyncio_detailed(
            client=client,
            card=card,
            company=company,
        )
    ).parsed
