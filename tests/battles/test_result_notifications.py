"""A settled battle, driven through the API, tells each participant and voter the winner and
what they were paid: an in-app ``battle_result`` and ``battle.result`` on their own socket
channel. A bystander watching the battle's public channel and their own hears the settlement,
never anyone's result."""

from __future__ import annotations

import httpx
from fastapi import FastAPI

from ece.battles import service as battles
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
    vote,
)
from tests.builders import SignedInUser, sign_in
from tests.notifications.support import notifications, relay
from tests.realtime.support import Socket, open_socket, serve_here


async def results(client: httpx.AsyncClient, user: SignedInUser) -> list[dict[str, object]]:
    items = (await notifications(client, user))["items"]
    return [n["data"] for n in items if n["type"] == "battle_result"]


async def signed_in(ws: Socket, user: SignedInUser, *channels: str) -> None:
    await ws.send(op="auth", token=user.token)
    assert (await ws.next())["type"] == "authenticated"
    assert (await ws.subscribe(*channels))["type"] == "subscribed"


async def test_a_settled_battle_notifies_its_participants_and_voters_only(
    app: FastAPI, client: httpx.AsyncClient
) -> None:
    a = await arena(client, app)
    battle_id = (await open_battle(client, a, entry_fee="10"))["id"]
    strong, strong_cards = await player(client, app, a.acquirer, power=90)
    weak, weak_cards = await player(client, app, a.target, power=10)
    voter = (await player(client, app, a.acquirer, ece_amount="0"))[0]
    bystander = await sign_in(client)
    for user, side, cards in ((strong, "acquirer", strong_cards), (weak, "target", weak_cards)):
        entered = await enter(client, user, battle_id, side, cards)
        assert entered.status_code == 201, entered.text
    to_voting()
    assert await battles.announce_voting(app.state.services.db) == 1
    for user, side in ((strong, "acquirer"), (weak, "target"), (voter, "acquirer")):
        voted = await vote(client, user, battle_id, side)
        assert voted.status_code == 200, voted.text
    await relay(app)
    for user in (strong, weak, voter, bystander):
        assert await results(client, user) == []  # nothing before it settles

    async with (
        serve_here(app) as url,
        open_socket(url) as winner_socket,
        open_socket(url) as watcher,
    ):
        await signed_in(winner_socket, strong, "user")
        await signed_in(watcher, bystander, "user", f"battle:{battle_id}", "market")
        past_voting()
        assert await settle(app) == 1
        await relay(app)

        done = await shown(client, battle_id)
        winner = done["result"]["winner"]
        assert winner is not None
        # What each was paid: their entry's share and their vote's, in one figure.
        paid: dict[str, int] = {}
        for p in done["result"]["payouts"]:
            paid[p["user_id"]] = paid.get(p["user_id"], 0) + ece(p["amount"])
        for user in (strong, weak):
            [note] = await results(client, user)
            assert (note["ref"], note["battle_id"]) == (battle_id, battle_id)
            assert note["winner"] == winner
            assert ece(str(note["payout"])) == paid.get(user.user["id"], 0)
            assert note["asset"] == "ECE"
        [voted_note] = await results(client, voter)
        assert voted_note["winner"] == winner
        assert ece(str(voted_note["payout"])) == paid.get(voter.user["id"], 0)
        assert await results(client, bystander) == []
        await relay(app)  # a second run makes no second copy
        assert len(await results(client, strong)) == 1

        [heard] = await winner_socket.events(1)
        assert (heard["event"], heard["channel"]) == ("battle.result", "user")
        assert heard["data"]["user_id"] == strong.user["id"]
        watched = await watcher.events(1)
        assert [(m["event"], m["channel"]) for m in watched] == [
            ("battle.settled", f"battle:{battle_id}")
        ]
        assert await watcher.quiet()
        assert await winner_socket.quiet()
