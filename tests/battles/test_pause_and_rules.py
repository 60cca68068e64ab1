"""The ``battles`` pause stops entering and voting (and the settlement job waits); the pure
formula: exact splits, the deal factor's range, the tie-break and a dust entry fee."""

from __future__ import annotations

import hashlib
import random

import httpx
from fastapi import FastAPI

from ece.battles import jobs as battle_jobs
from ece.battles import rules
from ece.battles.rules import EntryInput, Side, StakedCard, Terms, VoteInput
from ece.notifications.rules import Kind, drafts_for
from ece.realtime.rules import channels_for, resolve
from tests.battles.support import (
    arena,
    ece,
    enter,
    open_battle,
    past_voting,
    player,
    shown,
    to_voting,
    vote,
)
from tests.controls.support import pause, refused, resume
from tests.market.support import ledger_ok

MULT = rules.parse_multipliers("common=1000,rare=1250,epic=1500,legendary=2000")


async def test_the_battles_pause_stops_entering_voting_and_settling(
    app: FastAPI, client: httpx.AsyncClient
) -> None:
    a = await arena(client, app)
    battle_id = str((await open_battle(client, a))["id"])
    alice, cards = await player(client, app, a.acquirer)
    await pause(client, a.admin, "battles")
    assert refused(await enter(client, alice, battle_id, "acquirer", cards), "battles")
    await resume(client, a.admin, "battles")
    assert (await enter(client, alice, battle_id, "acquirer", cards)).status_code == 201
    to_voting()
    await pause(client, a.admin, "battles")
    assert refused(await vote(client, alice, battle_id, "acquirer"), "battles")
    past_voting()
    await battle_jobs.settle_battles(app.state.services)
    assert (await shown(client, battle_id))["status"] == "reveal"
    await resume(client, a.admin, "battles")
    await battle_jobs.settle_battles(app.state.services)
    assert (await shown(client, battle_id))["status"] == "settled"
    assert await ledger_ok(app)


def test_split_is_exact_and_pro_rata() -> None:
    rng = random.Random(20)
    for _ in range(2000):
        shares = [(f"e{i}", rng.randint(0, 10_000)) for i in range(rng.randint(1, 12))]
        amount = rng.randint(0, 10**12)
        paid = rules.split(amount, shares)
        total = sum(s for _, s in shares)
        if total == 0 or amount == 0:
            assert paid == {}
            continue
        assert sum(paid.values()) == amount
        for key, share in shares:
            assert amount * share // total <= paid.get(key, 0) <= amount * share // total + 1
    # The leftover goes to the largest remainders, the earlier first on a tie.
    assert rules.split(10, [("a", 1), ("b", 1), ("c", 1)]) == {"a": 4, "b": 3, "c": 3}
    assert rules.split(2, [("a", 1), ("b", 2), ("c", 1)]) == {"b": 1, "a": 1}


def test_deal_factor_tie_break_and_commitment_are_deterministic() -> None:
    seed = "ab" * 32
    assert rules.deal_factor(seed, Side.acquirer) == rules.deal_factor(seed, Side.acquirer)
    factors = {rules.deal_factor(rules.new_seed(), s) for s in Side for _ in range(200)}
    assert min(factors) >= 800 and max(factors) <= 1200 and len(factors) > 50
    assert rules.commitment_of(seed) == hashlib.sha256(bytes.fromhex(seed)).hexdigest()
    ties = {rules.tie_winner(rules.new_seed()) for _ in range(64)}
    assert ties == {Side.acquirer, Side.target}


def _entries(power: int) -> list[EntryInput]:
    return [
        EntryInput("a1", "u1", Side.acquirer, (StakedCard("c1", "rare", power),)),
        EntryInput("t1", "u2", Side.target, (StakedCard("c2", "rare", power),)),
    ]


def test_equal_scores_go_to_the_seeds_side_and_dust_fees_stay_exact() -> None:
    terms = Terms(1, 0, 500, 1000, 100, MULT)  # an entry fee of one base unit
    tied = [
        seed
        for seed in (f"{i:064x}" for i in range(6000))
        if rules.deal_factor(seed, Side.acquirer) == rules.deal_factor(seed, Side.target)
    ]
    assert {rules.tie_winner(seed) for seed in tied} == {Side.acquirer, Side.target}
    for seed in tied:
        out = rules.outcome(seed, terms, _entries(10), [])
        assert out.tie and out.winner is rules.tie_winner(seed)
    out = rules.outcome("cd" * 32, terms, _entries(10), [VoteInput("u9", Side.target, 10**6)])
    assert out.platform_fee == 0 and out.fees == 2
    assert sum(out.payouts.values()) + out.platform_fee == out.fees


def test_quadratic_weight_and_anti_sybil() -> None:
    assert rules.vote_weight(1, True, True) == 1_000_000
    assert rules.vote_weight(100, True, True) == 10_000_000  # 100 cards weigh 10, not 100
    assert rules.vote_weight(2, True, True) == 1_414_213
    assert rules.vote_weight(9, False, True) == 0
    assert rules.vote_weight(9, True, False) == 0


def test_a_lone_side_wins_and_nobody_entered_pays_nothing() -> None:
    terms = Terms(ece("5"), ece("2"), 500, 1000, 100, MULT)
    lone = [EntryInput("t1", "u2", Side.target, (StakedCard("c2", "common", 1),))]
    votes = [VoteInput("u7", Side.acquirer, 10**9)]
    out = rules.outcome("ef" * 32, terms, lone, votes)
    assert out.winner is Side.target and out.voter_pool == 0
    assert out.payouts == {"t1": ece("5") - ece("5") * 500 // 10_000 + ece("2")}
    empty = rules.outcome("ef" * 32, terms, [], votes)
    assert empty.winner is None and empty.payouts == {} and empty.pool == 0


def test_a_battle_result_notifies_its_user_and_reaches_the_battle_channel() -> None:
    payload = {"user_id": "u1", "battle_id": "b1", "winner": "target", "payout": "3.5"}
    drafts = drafts_for("battle.result", "b1", payload)
    assert [(d.user_id, d.kind) for d in drafts] == [("u1", Kind.battle_result)]
    assert drafts[0].data["payout"] == "3.5" and drafts[0].data["battle_id"] == "b1"
    assert channels_for("battle.settled", "b1", {"winner": "target"}) == ["battle:b1"]
    assert channels_for("battle.result", "b1", payload) == ["user:u1"]  # private
    assert resolve(["battle:b1"], None) == {"battle:b1": "battle:b1"}
