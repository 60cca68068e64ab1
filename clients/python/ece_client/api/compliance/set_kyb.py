from http import HTTPStatus
from typing import Any
from urllib.parse import quote

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.kyb_in import KybIn
from ...models.kyb_out import KybOut
from ...models.problem import Problem
from ...types import Response


def _get_kwargs(
    company_id: str,
    *,
    body: KybIn,
) -> dict[str, Any]:
    headers: dict[str, Any] = {}

    _kwargs: dict[str, Any] = {
        "method": "put",
        "url": "/api/v1/compliance/companies/{company_id}/kyb".format(
            company_id=quote(str(company_id), safe=""),
        ),
    }

    _kwargs["json"] = body.to_dict()

    headers["Content-Type"] = "application/json"

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> KybOut | Problem | None:
    if response.status_code == 200:
        response_200 = KybOut.from_dict(response.json())

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


def _build_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> Response[KybOut | Problem]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    company_id: str,
    *,
    client: AuthenticatedClient,
    body: KybIn,
) -> Response[KybOut | Problem]:
    """Set Kyb

     Set a company's KYB status (by id or ticker): unverified, verified or rejected.

    Args:
        company_id (str):
        body (KybIn):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[KybOut | Problem]
    """

    kwargs = _get_kwargs(
        company_id=company_id,
        body=body,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    company_id: str,
    *,
    client: AuthenticatedClient,
    body: KybIn,
) -> KybOut | Problem | None:
    """Set Kyb

     Set a company's KYB status (by id or ticker): unverified, verified or rejected.

    Args:
        company_id (str):
        body (KybIn):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        KybOut | Problem
    """

    return sync_detailed(
        company_id=company_id,
        client=client,
        body=body,
    ).parsed


async def asyncio_detailed(
    company_id: str,
    *,
    client: AuthenticatedClient,
    body: KybIn,
) -> Response[KybOut | Problem]:
    """Set Kyb

     Set a company's KYB status (by id or ticker): unverified, verified or rejected.

    Args:
        company_id (str):
        body (KybIn):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[KybOut | Problem]
    """

    kwargs = _get_kwargs(
        company_id=company_id,
        body=body,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    company_id: str,
    *,
    client: AuthenticatedClient,
    body: KybIn,
) -> KybOut | Problem | None:
    """Set Kyb

     Set a company's KYB status (by id or ticker): unverified, verified or rejected.

    Args:
        company_id (str):
        body (KybIn):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        KybOut | Problem
    """

    return (
        await asyncio_detailed(
            company_id=company_id,
            client=client,
            body=body,
        )
    ).parsed
