"""Settlement exactly once, truly at once: two workers (each its own transaction) settle the
same battle, twice over; entries racing for the same card and the same side limit. Runs on
SQLite (writers serialized) and PostgreSQL (row locks, SKIP LOCKED, conditional updates)."""

from __future__ import annotations

import asyncio

import httpx
from fastapi import FastAPI
from sqlalchemy import func, select

from ece.core.money import Asset
from ece.ledger.models import LedgerTransfer
from tests.battles.support import (
    arena,
    ece,
    enter,
    open_battle,
    past_voting,
    player,
    settle,
    shown,
    to_voting,
)
from tests.market.support import events, ledger_ok, user_balance


async def payout_transfers(app: FastAPI, battle_id: str) -> int:
    async with app.state.services.db.unit_of_work(write=False) as session:
        count = await session.scalar(
            select(func.count())
            .select_from(LedgerTransfer)
            .where(LedgerTransfer.id.like(f"battle:{battle_id}:payout:%"))
        )
        return int(count or 0)


async def test_two_workers_settle_a_battle_once(app: FastAPI, client: httpx.AsyncClient) -> None:
    a = await arena(client, app)
    battle_id = str((await open_battle(client, a))["id"])
    alice, a_cards = await player(client, app, a.acquirer, cards=2)
    bob, b_cards = await player(client, app, a.target, cards=2)
    assert (await enter(client, alice, battle_id, "acquirer", a_cards)).status_code == 201
    assert (await enter(client, bob, battle_id, "target", b_cards)).status_code == 201
    to_voting()
    past_voting()
    done = await asyncio.gather(settle(app), settle(app), settle(app))
    assert sorted(done) == [0, 0, 1]
    assert await settle(app) == 0
    assert len(await events(app, "battle.settled")) == 1
    assert await payout_transfers(app, battle_id) == 1  # one winner, paid once
    result = (await shown(client, battle_id))["result"]
    totals = [(await user_balance(app, u.user["id"], Asset.ECE)).total for u in (alice, bob)]
    assert sum(totals) == ece("200") - ece(result["platform_fee"])
    assert await ledger_ok(app)


async def test_one_card_races_into_two_battles(app: FastAPI, client: httpx.AsyncClient) -> None:
    a = await arena(client, app)
    first = str((await open_battle(client, a))["id"])
    second = str((await open_battle(client, a))["id"])
    alice, cards = await player(client, app, a.acquirer)
    answers = await asyncio.gather(
        enter(client, alice, first, "acquirer", cards),
        enter(client, alice, second, "acquirer", cards),
    )
    assert sorted(r.status_code for r in answers) == [201, 409]
    assert (await user_balance(app, alice.user["id"], Asset.ECE)).held == ece("10")


async def test_a_full_side_takes_no_more_entries_in_a_race(
    app: FastAPI, client: httpx.AsyncClient
) -> None:
    app.state.services.settings.battle_max_entries_per_side = 2
    a = await arena(client, app)
    battle_id = str((await open_battle(client, a))["id"])
    users = []
    for _ in range(4):
        await app.state.services.rate_limiter.reset()
        users.append(await player(client, app, a.target))
    answers = await asyncio.gather(*(enter(client, u, battle_id, "target", c) for u, c in users))
    assert sorted(r.status_code for r in answers) == [201, 201, 409, 409]
    assert {r.json()["code"] for r in answers if r.status_code == 409} == {"side_full"}
    assert (await shown(client, battle_id))["sides"]["target"]["entries"] == 2
