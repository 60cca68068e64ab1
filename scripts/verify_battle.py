"""Recompute a settled battle's outcome from ECE's public endpoints alone, and check it.

    python scripts/verify_battle.py BATTLE_ID --url https://ece.example

It reads ``GET /api/v1/battles/{id}``, ``GET /api/v1/battles/{id}/proof`` and each staked card
(``GET /api/v1/cards/{id}``), checks ``sha256(seed)`` against the commitment published when the
battle opened and each staked card's company, rarity and power, then recomputes the deal
factors, scores, winner, fee, pools and every payout with its own copy of the formula
(README: *Battles, the outcome formula*; version ``ece-battle-v1``). It prints what it found
as JSON; the exit status is 0 when everything agrees with the server, 1 when anything does not.

Only the standard library: anyone can run it without ECE installed.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import sys
import urllib.request
from collections.abc import Callable
from decimal import Decimal
from typing import Any

FORMULA = "ece-battle-v1"
SIDES = ("acquirer", "target")
ECE_UNIT = 10**9
Getter = Callable[[str], dict[str, Any]]


def base_units(text: str) -> int:
    return int(Decimal(text) * ECE_UNIT)


def deal_factor(seed: bytes, side: str) -> int:
    return 800 + int.from_bytes(hashlib.sha256(seed + side.encode()).digest()[:8], "big") % 401


def pro_rata(amount: int, shares: list[tuple[str, int]]) -> dict[str, int]:
    """Floors, then one base unit each to the largest remainders (the earlier on a tie)."""
    total = sum(s for _, s in shares)
    if amount <= 0 or total <= 0:
        return {}
    out = {k: amount * s // total for k, s in shares}
    order = sorted(range(len(shares)), key=lambda i: (-(amount * shares[i][1] % total), i))
    for i in order[: amount - sum(out.values())]:
        out[shares[i][0]] += 1
    return {k: v for k, v in out.items() if v > 0}


def recompute(proof: dict[str, Any]) -> dict[str, Any]:
    """The outcome of ``proof``'s inputs: winner, scores and payouts as (user, kind, units)."""
    seed = bytes.fromhex(proof["seed"])
    terms = proof["terms"]
    mult = {k: int(v) for k, v in (p.split("=") for p in terms["rarity_multipliers"].split(","))}
    power = {
        e["entry_id"]: sum(c["power"] * mult[c["rarity"]] for c in e["cards"])
        for e in proof["entries"]
    }
    staked = {
        s: sum(power[e["entry_id"]] for e in proof["entries"] if e["side"] == s) for s in SIDES
    }
    weights = {s: sum(v["weight"] for v in proof["votes"] if v["side"] == s) for s in SIDES}
    all_votes = sum(weights.values())
    deals = {s: deal_factor(seed, s) for s in SIDES}
    scores = {
        s: staked[s] * deals[s]
        + (terms["vote_points"] * 10**6 * weights[s] // all_votes if all_votes else 0)
        for s in SIDES
    }
    entered = [s for s in SIDES if any(e["side"] == s for e in proof["entries"])]
    if not entered:
        winner = None
    elif len(entered) == 1:
        winner = entered[0]
    elif scores["acquirer"] == scores["target"]:
        winner = "acquirer" if hashlib.sha256(seed + b"tie").digest()[0] % 2 == 0 else "target"
    else:
        winner = max(SIDES, key=lambda s: scores[s])
    fees = base_units(terms["entry_fee"]) * len(proof["entries"])
    fee = fees * terms["fee_bps"] // 10_000
    pool = fees - fee + base_units(terms["sponsor"]) if winner else 0
    voters = [
        (v["user_id"], v["weight"]) for v in proof["votes"] if v["side"] == winner and v["weight"]
    ]
    voter_pool = pool * terms["voter_pool_bps"] // 10_000 if voters else 0
    winners = [
        (e["entry_id"], power[e["entry_id"]]) for e in proof["entries"] if e["side"] == winner
    ]
    if not any(s for _, s in winners):
        winners = [(k, 1) for k, _ in winners]
    owner = {e["entry_id"]: e["user_id"] for e in proof["entries"]}
    payouts = sorted(
        [(owner[k], "entry", v) for k, v in pro_rata(pool - voter_pool, winners).items()]
        + [(k, "vote", v) for k, v in pro_rata(voter_pool, voters).items()]
    )
    return {
        "winner": winner,
        "scores": scores,
        "deal_factors": deals,
        "platform_fee": fee,
        "pool": pool,
        "payouts": payouts,
    }


def _check_cards(battle: dict[str, Any], proof: dict[str, Any], get: Getter) -> list[str]:
    problems = []
    for entry in proof["entries"]:
        company = battle["sides"][entry["side"]]["company_id"]
        for staked in entry["cards"]:
            card = get(f"/api/v1/cards/{staked['card_id']}")
            seen = (card["company"]["id"], card["rarity"], card["attributes"]["power"])
            if seen != (company, staked["rarity"], staked["power"]):
                problems.append(f"card {staked['card_id']} is {seen}, the proof says otherwise")
    return problems


def verify(battle_id: str, get: Getter) -> dict[str, Any]:
    """Everything checked, with ``ok`` true only when all of it agrees with the server."""
    battle = get(f"/api/v1/battles/{battle_id}")
    proof = get(f"/api/v1/battles/{battle_id}/proof")
    problems: list[str] = []
    if battle["status"] != "settled" or proof["seed"] is None:
        return {"ok": False, "problems": [f"the battle is {battle['status']}, not settled"]}
    if proof["formula"] != FORMULA:
        problems.append(f"unknown formula {proof['formula']}")
    commitment = hashlib.sha256(bytes.fromhex(proof["seed"])).hexdigest()
    if commitment != battle["seed_commitment"] or commitment != proof["seed_commitment"]:
        problems.append("sha256(seed) does not match the published commitment")
    problems += _check_cards(battle, proof, get)
    mine = recompute(proof)
    server = battle["result"]
    theirs = sorted((p["user_id"], p["kind"], base_units(p["amount"])) for p in server["payouts"])
    for key in ("winner", "scores", "deal_factors"):
        if mine[key] != server[key]:
            problems.append(f"{key}: recomputed {mine[key]}, server {server[key]}")
    if mine["platform_fee"] != base_units(server["platform_fee"]):
        problems.append("platform fee differs")
    if [list(p) for p in mine["payouts"]] != [list(p) for p in theirs]:
        problems.append(f"payouts: recomputed {mine['payouts']}, server {theirs}")
    return {
        "ok": not problems,
        "battle_id": battle_id,
        "winner": mine["winner"],
        "scores": mine["scores"],
        "payouts": [[u, k, str(Decimal(v) / ECE_UNIT)] for u, k, v in mine["payouts"]],
        "problems": problems,
    }


def http_getter(base_url: str) -> Getter:
    if not base_url.startswith(("http://", "https://")):
        raise SystemExit("--url must be an http:// or https:// URL")

    def get(path: str) -> dict[str, Any]:
        url = base_url.rstrip("/") + path
        with urllib.request.urlopen(url, timeout=30) as response:  # noqa: S310 (http(s) only)
            body: dict[str, Any] = json.load(response)
            return body

    return get


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("battle_id")
    parser.add_argument("--url", required=True, help="ECE's base URL, e.g. https://ece.example")
    args = parser.parse_args(argv)
    report = verify(args.battle_id, http_getter(args.url))
    print(json.dumps(report, indent=2))
    return 0 if report["ok"] else 1


if __name__ == "__main__":
    sys.exit(main())
