"""Attacks on entering, voting and cancelling: each refused cleanly (problem+json, a stable
code) with nothing locked, held or counted."""

from __future__ import annotations

from datetime import timedelta

import httpx
from fastapi import FastAPI

from ece.core.clock import utcnow
from ece.core.money import Asset
from tests.battles.support import (
    Arena,
    arena,
    ece,
    enter,
    open_battle,
    player,
    shown,
    to_voting,
    vote,
)
from tests.builders import SignedInUser
from tests.market.support import card_row, ledger_ok, list_card, user_balance


async def untouched(app: FastAPI, user: SignedInUser, cards: list[str], ece_total: str) -> None:
    """Nothing of the user's is locked or held."""
    for card_id in cards:
        assert (await card_row(app, card_id)).lock_kind is None
    balance = await user_balance(app, user.user["id"], Asset.ECE)
    assert (balance.held, balance.total) == (0, ece(ece_total))


def refused(response: httpx.Response, status: int, code: str) -> None:
    assert response.status_code == status, response.text
    assert response.headers["content-type"].startswith("application/problem+json")
    assert response.json()["code"] == code


async def setup(client: httpx.AsyncClient, app: FastAPI) -> tuple[Arena, str]:
    a = await arena(client, app)
    return a, str((await open_battle(client, a))["id"])


async def test_a_card_you_do_not_own_locks_nothing(app: FastAPI, client: httpx.AsyncClient) -> None:
    a, battle_id = await setup(client, app)
    alice, mine = await player(client, app, a.acquirer)
    bob, his = await player(client, app, a.acquirer)
    refused(await enter(client, alice, battle_id, "acquirer", [*mine, *his]), 403, "not_card_owner")
    await untouched(app, alice, mine, "100")
    await untouched(app, bob, his, "100")
    refused(await enter(client, alice, battle_id, "acquirer", ["nope"]), 404, "card_not_found")
    assert (await shown(client, battle_id))["participants"] == []


async def test_a_locked_card_locks_nothing_else(app: FastAPI, client: httpx.AsyncClient) -> None:
    a, battle_id = await setup(client, app)
    alice, cards = await player(client, app, a.acquirer, cards=2)
    await list_card(client, alice, cards[1], price="5")  # listed: locked by the listing
    refused(await enter(client, alice, battle_id, "acquirer", cards), 409, "card_locked")
    assert (await card_row(app, cards[0])).lock_kind is None
    assert (await card_row(app, cards[1])).lock_kind == "listing"
    assert (await user_balance(app, alice.user["id"], Asset.ECE)).held == 0


async def test_a_card_staked_in_one_battle_cannot_enter_another(
    app: FastAPI, client: httpx.AsyncClient
) -> None:
    a, first = await setup(client, app)
    second = str((await open_battle(client, a))["id"])
    alice, cards = await player(client, app, a.acquirer)
    assert (await enter(client, alice, first, "acquirer", cards)).status_code == 201
    refused(await enter(client, alice, second, "acquirer", cards), 409, "card_locked")
    assert (await user_balance(app, alice.user["id"], Asset.ECE)).held == ece("10")


async def test_wrong_company_duplicates_and_too_many_cards(
    app: FastAPI, client: httpx.AsyncClient
) -> None:
    a = await arena(client, app)
    battle_id = str((await open_battle(client, a, max_cards_per_user=2))["id"])
    alice, cards = await player(client, app, a.acquirer, cards=3)
    refused(await enter(client, alice, battle_id, "target", cards[:1]), 422, "wrong_company")
    refused(await enter(client, alice, battle_id, "acquirer", cards), 422, "invalid_cards")
    refused(
        await enter(client, alice, battle_id, "acquirer", [cards[0], cards[0]]),
        422,
        "invalid_cards",
    )
    refused(await enter(client, alice, battle_id, "acquirer", []), 422, "validation_error")
    await untouched(app, alice, cards, "100")


async def test_after_enrolment_and_twice_and_without_funds(
    app: FastAPI, client: httpx.AsyncClient
) -> None:
    a, battle_id = await setup(client, app)
    alice, cards = await player(client, app, a.acquirer, cards=2)
    poor, poor_cards = await player(client, app, a.target, ece_amount="9.999999999")
    refused(await enter(client, poor, battle_id, "target", poor_cards), 409, "insufficient_funds")
    await untouched(app, poor, poor_cards, "9.999999999")
    assert (await enter(client, alice, battle_id, "acquirer", cards[:1])).status_code == 201
    refused(await enter(client, alice, battle_id, "acquirer", cards[1:]), 409, "already_entered")
    assert (await card_row(app, cards[1])).lock_kind is None
    late, late_cards = await player(client, app, a.target)
    to_voting()
    refused(await enter(client, late, battle_id, "target", late_cards), 409, "enrolment_closed")
    await untouched(app, late, late_cards, "100")


async def test_a_replayed_idempotency_key_enters_once(
    app: FastAPI, client: httpx.AsyncClient
) -> None:
    a, battle_id = await setup(client, app)
    alice, cards = await player(client, app, a.acquirer)
    key = {"Idempotency-Key": "enter-once"}
    first = await enter(client, alice, battle_id, "acquirer", cards, **key)
    again = await enter(client, alice, battle_id, "acquirer", cards, **key)
    assert first.status_code == again.status_code == 201
    assert first.json() == again.json()
    assert (await user_balance(app, alice.user["id"], Asset.ECE)).held == ece("10")
    assert len((await shown(client, battle_id))["participants"]) == 1


async def test_a_double_vote_counts_the_latest_once(
    app: FastAPI, client: httpx.AsyncClient
) -> None:
    a, battle_id = await setup(client, app)
    voter, _ = await player(client, app, a.target, cards=4)
    to_voting()
    first = await vote(client, voter, battle_id, "acquirer")
    assert first.json()["weight"] == 2_000_000  # sqrt(4) in millionths
    assert (await vote(client, voter, battle_id, "target")).status_code == 200
    assert (await vote(client, voter, battle_id, "target")).status_code == 200
    sides = (await shown(client, battle_id))["sides"]
    assert (sides["acquirer"]["votes"], sides["target"]["votes"]) == (0, 1)
    assert sides["target"]["vote_weight"] == 2_000_000
    proof = (await client.get(f"/api/v1/battles/{battle_id}/proof")).json()
    assert [(v["user_id"], v["side"]) for v in proof["votes"]] == [(voter.user["id"], "target")]


async def test_sybils_vote_with_no_weight_and_strangers_not_at_all(
    app: FastAPI, client: httpx.AsyncClient
) -> None:
    a, battle_id = await setup(client, app)
    fresh, _ = await player(client, app, a.target, cards=9, season=False)  # new, never traded
    stranger, _ = await player(client, app, a.target, cards=0 + 1)
    other = await arena(client, app)
    outsider, _ = await player(client, app, other.acquirer)
    to_voting()
    assert (await vote(client, fresh, battle_id, "target")).json()["weight"] == 0
    assert (await vote(client, stranger, battle_id, "target")).json()["weight"] == 1_000_000
    refused(await vote(client, outsider, battle_id, "target"), 403, "not_a_holder")
    refused(
        await client.post(f"/api/v1/battles/{battle_id}/vote", json={"side": "target"}),
        401,
        "not_authenticated",
    )


async def test_creation_refuses_bad_terms(app: FastAPI, client: httpx.AsyncClient) -> None:
    a = await arena(client, app)
    now = utcnow()
    for terms, code in (
        ({"entry_fee": "0"}, "validation_error"),
        ({"entry_fee": "-1"}, "validation_error"),
        ({"entry_fee": "0.0000000001"}, "validation_error"),  # below one base unit
        ({"target_company_id": a.acquirer}, "invalid_battle"),
        ({"enrol_until": (now + timedelta(seconds=30)).isoformat()}, "invalid_duration"),
        ({"vote_until": (now + timedelta(days=31)).isoformat()}, "invalid_duration"),
    ):
        response = await client.post(
            "/api/v1/battles",
            json={
                "title": "t",
                "acquirer_company_id": a.acquirer,
                "target_company_id": a.target,
                "entry_fee": "1",
                "enrol_until": (now + timedelta(minutes=5)).isoformat(),
                "vote_until": (now + timedelta(minutes=15)).isoformat(),
                **terms,
            },
            headers=a.admin.headers,
        )
        refused(response, 422, code)
    user, _ = await player(client, app, a.acquirer)
    response = await client.post(
        "/api/v1/battles",
        json={
            "title": "t",
            "acquirer_company_id": a.acquirer,
            "target_company_id": a.target,
            "entry_fee": "1",
            "enrol_until": now.isoformat(),
            "vote_until": now.isoformat(),
        },
        headers=user.headers,
    )
    refused(response, 403, "forbidden")
    assert (await client.get("/api/v1/battles")).json()["items"] == []


async def test_cancel_refunds_everything_and_only_admins_cancel(
    app: FastAPI, client: httpx.AsyncClient
) -> None:
    a, battle_id = await setup(client, app)
    alice, cards = await player(client, app, a.acquirer, cards=3)
    assert (await enter(client, alice, battle_id, "acquirer", cards)).status_code == 201
    refused(
        await client.delete(f"/api/v1/battles/{battle_id}", headers=alice.headers), 403, "forbidden"
    )
    cancelled = await client.delete(f"/api/v1/battles/{battle_id}", headers=a.admin.headers)
    assert cancelled.status_code == 200
    assert cancelled.json()["status"] == "cancelled" and cancelled.json()["seed"]
    await untouched(app, alice, cards, "100")
    refused(
        await client.delete(f"/api/v1/battles/{battle_id}", headers=a.admin.headers),
        409,
        "battle_over",
    )
    assert await ledger_ok(app)
