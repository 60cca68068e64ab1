from http import HTTPStatus
from typing import Any
from urllib.parse import quote

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.pay_link_out import PayLinkOut
from ...models.problem import Problem
from ...types import Response


def _get_kwargs(
    token: str,
) -> dict[str, Any]:

    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/pay/deposits/{token}".format(
            token=quote(str(token), safe=""),
        ),
    }

    return _kwargs


def _parse_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> PayLinkOut | Problem | None:
    if response.status_code == 200:
        response_200 = PayLinkOut.from_dict(response.json())

        return response_200

    if response.status_code == 404:
        response_404 = Problem.from_dict(response.json())

        return response_404

    if response.status_code == 409:
        response_409 = Problem.from_dict(response.json())

        return response_409

    if response.status_code == 410:
        response_410 = Problem.from_dict(response.json())

        return response_410

    if response.status_code == 422:
        response_422 = Problem.from_dict(response.json())

        return response_422

    if response.status_code == 500:
        response_500 = Problem.from_dict(response.json())

        return response_500

    if client.raise_on_unexpected_status:
        raise errors.UnexpectedStatus(response.status_code, response.content)
    else:
        return None


def _build_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> Response[PayLinkOut | Problem]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    token: str,
    *,
    client: AuthenticatedClient | Client,
) -> Response[PayLinkOut | Problem]:
    """Pay Link

     Solana Pay transaction request, first step: the label and icon a wallet shows. No
    sign-in: the unguessable link is the credential. 404 ``pay_link_not_found``, 409
    ``deposit_closed`` once credited, 410 ``deposit_expired``.

    Args:
        token (str): The link's secret

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[PayLinkOut | Problem]
    """

    kwargs = _get_kwargs(
        token=token,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    token: str,
    *,
    client: AuthenticatedClient | Client,
) -> PayLinkOut | Problem | None:
    """Pay Link

     Solana Pay transaction request, first step: the label and icon a wallet shows. No
    sign-in: the unguessable link is the credential. 404 ``pay_link_not_found``, 409
    ``deposit_closed`` once credited, 410 ``deposit_expired``.

    Args:
        token (str): The link's secret

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        PayLinkOut | Problem
    """

    return sync_detailed(
        token=token,
        client=client,
    ).parsed


async def asyncio_detailed(
    token: str,
    *,
    client: AuthenticatedClient | Client,
) -> Response[PayLinkOut | Problem]:
    """Pay Link

     Solana Pay transaction request, first step: the label and icon a wallet shows. No
    sign-in: the unguessable link is the credential. 404 ``pay_link_not_found``, 409
    ``deposit_closed`` once credited, 410 ``deposit_expired``.

    Args:
        token (str): The link's secret

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[PayLinkOut | Problem]
    """

    kwargs = _get_kwargs(
        token=token,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    token: str,
    *,
    client: AuthenticatedClient | Client,
) -> PayLinkOut | Problem | None:
    """Pay Link

     Solana Pay transaction request, first step: the label and icon a wallet shows. No
    sign-in: the unguessable link is the credential. 404 ``pay_link_not_found``, 409
    ``deposit_closed`` once credited, 410 ``deposit_expired``.

    Args:
        token (str): The link's secret

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        PayLinkOut | Problem
    """

    return (
        await asyncio_detailed(
            token=token,
            client=client,
        )
    ).parsed
