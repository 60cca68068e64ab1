"""The battle pages render from the server: the list, the arena in each phase (enter form
with the viewer's cards, vote form, result and proof), and the battle history on the card and
company pages. (The browser flow is in tests/web/test_battle_flow.py.)"""

from __future__ import annotations

import re

import httpx
from fastapi import FastAPI
from sqlalchemy import select

from ece.core.outbox import OutboxEvent
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


async def page(client: httpx.AsyncClient, path: str, token: str | None = None) -> str:
    client.cookies.clear()
    if token:
        client.cookies.set("ece_session", token)
    response = await client.get(path)
    client.cookies.clear()
    assert response.status_code == 200, response.text
    return response.text


async def test_battle_pages_follow_the_phases(app: FastAPI, client: httpx.AsyncClient) -> None:
    a = await arena(client, app)
    created = await open_battle(client, a)
    battle_id = created["id"]
    alice, cards = await player(client, app, a.acquirer, cards=2)
    html = await page(client, "/battles")
    assert (
        'href="/battles"' in html and f"/battles/{battle_id}" in html and "Hostile takeover" in html
    )
    shown = await page(client, f"/battles/{battle_id}", alice.token)
    assert 'id="enter-form"' in shown and cards[0] in shown and created["seed_commitment"] in shown
    assert (await enter(client, alice, battle_id, "acquirer", cards)).status_code == 201
    shown = await page(client, f"/battles/{battle_id}", alice.token)
    assert 'id="enter-form"' not in shown and "You are in this battle." in shown
    to_voting()
    form = await page(client, f"/battles/{battle_id}", alice.token)
    # No side is chosen for the voter: a page reloaded by a live event while they choose can
    # only leave the form unsubmittable, never vote for a side they did not pick.
    assert 'id="vote-form"' in form and _chosen(form, "f-vote-side") == ""
    assert (await vote(client, alice, battle_id, "target")).status_code == 200
    form = await page(client, f"/battles/{battle_id}", alice.token)
    assert _chosen(form, "f-vote-side") == "target"
    past_voting()
    assert await settle(app) == 1
    done = await page(client, f"/battles/{battle_id}")
    assert 'data-testid="battle-result"' in done and "acquirer</span> wins" in done
    seed = (await client.get(f"/api/v1/battles/{battle_id}")).json()["seed"]
    assert seed in done
    assert f"/battles/{battle_id}" in await page(client, f"/cards/{cards[0]}")
    assert f"/battles/{battle_id}" in await page(client, f"/companies/{a.acquirer}")
    assert "No battles yet." in await page(
        client, f"/cards/{(await player(client, app, a.target))[1][0]}"
    )


async def _newest_event(app: FastAPI) -> tuple[int, str]:
    async with app.state.services.db.unit_of_work(write=False) as session:
        row = (await session.execute(select(OutboxEvent.id, OutboxEvent.type))).all()
    return max((int(i), str(t)) for i, t in row)


def _chosen(html: str, select_id: str) -> str:
    """The value of the option a <select> shows first: the one marked selected."""
    found = re.search(rf'<select id="{select_id}"[^>]* required>(.*?)</select>', html, re.S)
    assert found, f"no required select #{select_id}"
    chosen = re.findall(r'<option value="([^"]*)"[^>]*\bselected\b', found.group(1))
    assert len(chosen) == 1, chosen
    return chosen[0]


def _live_from(html: str) -> int:
    found = re.search(r'<body[^>]* data-live-from="(\d+)"', html)
    assert found, "the page does not say which event it reflects"
    return int(found.group(1))


async def test_the_arena_says_the_newest_event_it_reflects(
    app: FastAPI, client: httpx.AsyncClient
) -> None:
    """live.js subscribes from it, so an event committed while the page loads is replayed."""
    a = await arena(client, app)
    battle_id = (await open_battle(client, a))["id"]
    alice, cards = await player(client, app, a.acquirer, cards=1)
    newest, _ = await _newest_event(app)
    assert _live_from(await page(client, f"/battles/{battle_id}", alice.token)) == newest
    assert (await enter(client, alice, battle_id, "acquirer", cards)).status_code == 201
    entered, kind = await _newest_event(app)
    assert entered > newest and kind == "battle.entered"
    assert _live_from(await page(client, f"/battles/{battle_id}")) == entered
