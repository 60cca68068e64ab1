"""``scripts/verify_battle.py`` recomputes a settled battle from the public endpoints alone
(no credentials: an anonymous client) and agrees with the server; a tampered input makes it
disagree."""

from __future__ import annotations

import copy
import importlib.util
from pathlib import Path
from types import ModuleType
from typing import Any

import httpx
from fastapi import FastAPI

from tests.battles.support import (
    arena,
    enter,
    open_battle,
    past_voting,
    player,
    settle,
    to_voting,
    vote,
)

SCRIPT = Path(__file__).resolve().parents[2] / "scripts" / "verify_battle.py"


def load_script() -> ModuleType:
    spec = importlib.util.spec_from_file_location("verify_battle", SCRIPT)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


async def public_pages(app: FastAPI, battle_id: str) -> dict[str, dict[str, Any]]:
    """What an anonymous visitor reads: the battle, its proof and each staked card."""
    pages: dict[str, dict[str, Any]] = {}
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://ece.test") as anon:
        for path in (f"/api/v1/battles/{battle_id}", f"/api/v1/battles/{battle_id}/proof"):
            pages[path] = (await anon.get(path)).json()
        for entry in pages[f"/api/v1/battles/{battle_id}/proof"]["entries"]:
            for card in entry["cards"]:
                path = f"/api/v1/cards/{card['card_id']}"
                pages[path] = (await anon.get(path)).json()
    return pages


async def settled_battle(app: FastAPI, client: httpx.AsyncClient) -> str:
    a = await arena(client, app)
    battle_id = str((await open_battle(client, a, entry_fee="3.333333333"))["id"])
    for side, company, n in (
        ("acquirer", a.acquirer, 2),
        ("target", a.target, 3),
        ("target", a.target, 1),
    ):
        user, cards = await player(client, app, company, cards=n, power=17 * n, rarity="epic")
        assert (await enter(client, user, battle_id, side, cards)).status_code == 201
        to_vote = user
    to_voting()
    assert (await vote(client, to_vote, battle_id, "target")).status_code == 200
    past_voting()
    assert await settle(app) == 1
    return battle_id


async def test_the_script_agrees_with_the_server(app: FastAPI, client: httpx.AsyncClient) -> None:
    battle_id = await settled_battle(app, client)
    pages = await public_pages(app, battle_id)
    script = load_script()
    report = script.verify(battle_id, pages.__getitem__)
    assert report["ok"] is True, report["problems"]
    assert report["winner"] == pages[f"/api/v1/battles/{battle_id}"]["result"]["winner"]

    # A proof whose inputs were changed (a heavier vote, a stronger card) no longer agrees.
    proof_path = f"/api/v1/battles/{battle_id}/proof"
    tampered = copy.deepcopy(pages)
    tampered[proof_path]["entries"][0]["cards"][0]["power"] += 1
    assert script.verify(battle_id, tampered.__getitem__)["ok"] is False
    tampered = copy.deepcopy(pages)
    tampered[proof_path]["seed"] = "00" * 32
    assert script.verify(battle_id, tampered.__getitem__)["ok"] is False
