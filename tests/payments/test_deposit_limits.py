"""Open deposits are bounded: each one's reference is watched every run, so a user opening
thousands would make every watcher run scan thousands."""

from __future__ import annotations

import asyncio
from datetime import timedelta

import httpx
from fastapi import FastAPI

from ece.core.clock import clock
from ece.payments import jobs
from tests.builders import SignedInUser, sign_in
from tests.payments.support import faucet
from tests.payments.test_cards import user_with_card


async def withdrawn_card(client: httpx.AsyncClient, app: FastAPI) -> tuple[SignedInUser, str]:
    user, card = await user_with_card(client, app)
    out = await client.post(
        "/api/v1/withdrawals",
        json={"asset": "CARD", "card_id": card["id"], "destination": str(user.keypair.pubkey())},
        headers=user.headers,
    )
    assert out.status_code == 201, out.text
    await jobs.send_withdrawals(app.state.services)
    await faucet(client, user, "SOL", "1")
    return user, str(card["id"])


async def open_card_deposit(
    client: httpx.AsyncClient, user: SignedInUser, card_id: str
) -> httpx.Response:
    return await client.post(
        "/api/v1/deposits", json={"asset": "CARD", "card_id": card_id}, headers=user.headers
    )


async def open_coin_deposit(client: httpx.AsyncClient, user: SignedInUser) -> httpx.Response:
    return await client.post(
        "/api/v1/deposits", json={"asset": "USDC", "amount": "1"}, headers=user.headers
    )


async def test_one_open_deposit_per_card(client: httpx.AsyncClient, app: FastAPI) -> None:
    """Finding: one user opened 1,179 open deposits for one card in 100 s."""
    user, card_id = await withdrawn_card(client, app)
    first = await open_card_deposit(client, user, card_id)
    assert first.status_code == 201, first.text
    again = await open_card_deposit(client, user, card_id)
    assert (again.status_code, again.json()["code"]) == (409, "deposit_already_open")
    assert again.json()["deposit_id"] == first.json()["id"]
    listed = (await client.get("/api/v1/deposits", headers=user.headers)).json()["items"]
    assert [d["id"] for d in listed] == [first.json()["id"]]

    # Once the open one expires, the card can be deposited again.
    clock.advance(timedelta(seconds=app.state.services.settings.deposit_ttl_seconds + 1))
    await jobs.watch_deposits(app.state.services)
    assert (await open_card_deposit(client, user, card_id)).status_code == 201


async def test_two_card_deposits_at_once_one_wins(client: httpx.AsyncClient, app: FastAPI) -> None:
    user, card_id = await withdrawn_card(client, app)
    answers = await asyncio.gather(*(open_card_deposit(client, user, card_id) for _ in range(2)))
    assert sorted(a.status_code for a in answers) == [201, 409]
    listed = (await client.get("/api/v1/deposits", headers=user.headers)).json()["items"]
    assert len(listed) == 1


async def test_open_deposits_per_user_are_capped(client: httpx.AsyncClient, app: FastAPI) -> None:
    app.state.services.settings.deposit_max_open = 3
    user = await sign_in(client)
    for _ in range(3):
        assert (await open_coin_deposit(client, user)).status_code == 201
    over = await open_coin_deposit(client, user)
    assert (over.status_code, over.json()["code"]) == (409, "too_many_open_deposits")
    assert len((await client.get("/api/v1/deposits", headers=user.headers)).json()["items"]) == 3
    # Someone else's deposits are not this user's business.
    assert (await open_coin_deposit(client, await sign_in(client))).status_code == 201
    # Expired ones are not open.
    clock.advance(timedelta(seconds=app.state.services.settings.deposit_ttl_seconds + 1))
    await jobs.watch_deposits(app.state.services)
    assert (await open_coin_deposit(client, user)).status_code == 201


async def test_deposits_at_once_never_pass_the_cap(client: httpx.AsyncClient, app: FastAPI) -> None:
    app.state.services.settings.deposit_max_open = 2
    user = await sign_in(client)
    answers = await asyncio.gather(*(open_coin_deposit(client, user) for _ in range(5)))
    assert sorted(a.status_code for a in answers) == [201, 201, 409, 409, 409]
    assert {a.json()["code"] for a in answers if a.status_code == 409} == {"too_many_open_deposits"}
    assert len((await client.get("/api/v1/deposits", headers=user.headers)).json()["items"]) == 2
