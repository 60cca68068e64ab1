"""A full battle through the API on a moved clock: six users stake cards and pay fees, ten
vote, the phases advance, the winning side is paid pro rata exactly, every card comes back,
the ledger checks out and the proof recomputes the same result."""

from __future__ import annotations

import hashlib

import httpx
from fastapi import FastAPI

from ece.battles import service as battles
from ece.core.money import Asset
from ece.ledger.models import OwnerType
from tests.battles.support import (
    Arena,
    arena,
    ece,
    enter,
    open_battle,
    past_voting,
    player,
    settle,
    shown,
    to_voting,
    vote,
)
from tests.builders import SignedInUser
from tests.market.support import account_total, card_row, events, ledger_ok, user_balance


async def _entered(
    client: httpx.AsyncClient, app: FastAPI, a: Arena, battle_id: str
) -> list[tuple[SignedInUser, str, list[str]]]:
    """Three players a side, 1 to 3 cards each, of different rarities and powers."""
    players = []
    layout = [
        ("acquirer", a.acquirer, 1, 40, "common"),
        ("acquirer", a.acquirer, 2, 55, "rare"),
        ("acquirer", a.acquirer, 3, 61, "epic"),
        ("target", a.target, 2, 70, "legendary"),
        ("target", a.target, 1, 33, "rare"),
        ("target", a.target, 3, 47, "common"),
    ]
    for side, company, count, power, rarity in layout:
        await app.state.services.rate_limiter.reset()
        user, cards = await player(client, app, company, cards=count, power=power, rarity=rarity)
        response = await enter(
            client, user, battle_id, side, cards, **{"Idempotency-Key": f"k-{user.user['id']}"}
        )
        assert response.status_code == 201, response.text
        players.append((user, side, cards))
    return players


async def test_a_full_battle_pays_the_winners_exactly_and_returns_every_card(
    app: FastAPI, client: httpx.AsyncClient
) -> None:
    a = await arena(client, app)
    created = await open_battle(client, a, entry_fee="10", sponsor="7.5")
    battle_id = created["id"]
    assert created["status"] == "enrolment"
    assert len(created["seed_commitment"]) == 64 and created["seed"] is None
    players = await _entered(client, app, a, battle_id)
    for user, _, cards in players:
        held = await user_balance(app, user.user["id"], Asset.ECE)
        assert (held.held, held.available) == (ece("10"), ece("90"))
        for card_id in cards:
            assert (await card_row(app, card_id)).lock_kind == "battle"

    # Ten voters: the six players and four holders who did not enter; one changes side.
    await app.state.services.rate_limiter.reset()
    outsiders = [
        (await player(client, app, a.target, cards=n, ece_amount="0"))[0] for n in (1, 4, 9, 2)
    ]
    early = await vote(client, outsiders[0], battle_id, "target")
    assert early.status_code == 409 and early.json()["code"] == "voting_closed"
    to_voting()
    assert await battles.announce_voting(app.state.services.db) == 1
    assert await battles.announce_voting(app.state.services.db) == 0
    voters = [p[0] for p in players] + outsiders
    for n, voter in enumerate(voters):
        response = await vote(client, voter, battle_id, "acquirer" if n % 3 else "target")
        assert response.status_code == 200, response.text
        assert response.json()["weight"] > 0
    changed = await vote(client, outsiders[2], battle_id, "target")  # was acquirer (n=8)
    assert changed.status_code == 200
    live = await shown(client, battle_id)
    assert live["status"] == "voting"
    assert live["sides"]["acquirer"]["votes"] + live["sides"]["target"]["votes"] == 10

    past_voting()
    assert await settle(app) == 1
    assert await settle(app) == 0  # once
    done = await shown(client, battle_id)
    assert done["status"] == "settled"
    assert hashlib.sha256(bytes.fromhex(done["seed"])).hexdigest() == created["seed_commitment"]
    result = done["result"]
    winner = result["winner"]
    fees, fee = ece("60"), ece("60") * 500 // 10_000
    assert ece(result["platform_fee"]) == fee
    paid = sum(ece(p["amount"]) for p in result["payouts"])
    assert paid + fee == fees + ece("7.5")  # sum of payouts + fee = pool, exactly

    # Pro rata to staked power among the winners (the voters' share apart).
    entrants = [p for p in done["participants"] if p["side"] == winner]
    share = ece(result["pool"]) - ece(result["voter_pool"])
    total = sum(p["staked_power"] for p in entrants)
    for p in entrants:
        exact = share * p["staked_power"] / total
        assert abs(ece(p["payout"]) - exact) < 1  # floor, or floor + 1 by the remainder rule
    assert sum(ece(p["payout"]) for p in entrants) == share
    assert all(ece(p["payout"]) == 0 for p in done["participants"] if p["side"] != winner)

    for user, _side, cards in players:
        for card_id in cards:
            row = await card_row(app, card_id)
            assert row.lock_kind is None and row.owner_user_id == user.user["id"]
        balance = await user_balance(app, user.user["id"], Asset.ECE)
        payout = next(
            ece(p["payout"]) for p in done["participants"] if p["user_id"] == user.user["id"]
        )
        voted = sum(
            ece(p["amount"])
            for p in result["payouts"]
            if p["kind"] == "vote" and p["user_id"] == user.user["id"]
        )
        assert balance.held == 0
        assert balance.total == ece("90") + payout + voted
    assert await account_total(app, OwnerType.escrow, battle_id, Asset.ECE, "battle") == 0
    assert await ledger_ok(app)

    proof = (await client.get(f"/api/v1/battles/{battle_id}/proof")).json()
    assert proof["commitment_ok"] is True and proof["matches_settlement"] is True
    assert proof["recomputed"] == result
    assert len(proof["votes"]) == 10
    assert len(await events(app, "battle.settled")) == 1
    assert len(await events(app, "battle.voting")) == 1
    results = await events(app, "battle.result")
    assert {e.payload["user_id"] for e in results} == {v.user["id"] for v in voters}
