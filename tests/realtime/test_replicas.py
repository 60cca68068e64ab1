"""Two server replicas on PostgreSQL + Redis: an event relayed on one reaches sockets on the
other through Redis pub/sub (the embedded fan-out could not)."""

from __future__ import annotations

import pytest

from ece.config import Settings
from tests.builders import api_client, cluster_platform, served, sign_in
from tests.market.support import buyer, list_card, open_market, quick_card
from tests.notifications.support import relay
from tests.realtime.support import open_socket, serve_here


@pytest.mark.pg
async def test_a_trade_on_replica_a_reaches_a_socket_on_replica_b(
    blank_settings: Settings,
) -> None:
    assert blank_settings.redis_url, "the PostgreSQL pass runs with Redis"
    async with (
        cluster_platform(blank_settings) as cluster,
        served(cluster.settings) as replica_a,
        served(cluster.settings) as replica_b,
        api_client(replica_a) as client,
    ):
        market = await open_market(client, replica_a)
        seller = await sign_in(client)
        card_id = await quick_card(replica_a, market.company_id, seller.user["id"])
        listing = await list_card(client, seller, card_id)
        alice = await buyer(client, replica_a, "100")
        async with serve_here(replica_b) as url, open_socket(url) as ws:
            await ws.subscribe("market")
            bought = await client.post(
                f"/api/v1/listings/{listing['id']}/buy", headers=alice.headers, json={}
            )
            assert bought.status_code == 201, bought.text
            await relay(replica_a)  # the relay runs beside replica A
            # The listing's creation and the sale's one event (no listing.filled repeats it).
            heard = [await ws.next() for _ in range(2)]
            trades = [m for m in heard if m["event"] == "trade.executed"]
            assert len(trades) == 1
            assert trades[0]["data"]["card_id"] == card_id
            assert trades[0]["data"]["buyer_user_id"] == alice.user["id"]
