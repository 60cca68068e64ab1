"""The SQL twins of the trade offer rules agree with the rules on the same rows: the claim's
conditional UPDATE with ``rules.claimable``, the inbox status filter with ``rules.status_of``."""

from __future__ import annotations

from datetime import timedelta
from itertools import product

import httpx
from fastapi import FastAPI

from ece.core.clock import utcnow
from ece.core.db import new_id
from ece.core.pagination import PageParams
from ece.trades import repository, rules
from ece.trades.models import TradeOffer, TradeStatus
from tests.builders import sign_in

OFFSETS = (timedelta(seconds=-30), timedelta(0), timedelta(seconds=30))


async def _offers(app: FastAPI, client: httpx.AsyncClient) -> list[TradeOffer]:
    maker, taker = await sign_in(client), await sign_in(client)
    now = utcnow()
    offers = []
    async with app.state.services.db.unit_of_work() as session:
        for status, offset in product(TradeStatus, OFFSETS):
            offer_id = new_id()
            offer = TradeOffer(
                id=offer_id,
                maker_user_id=maker.user["id"],
                taker_user_id=taker.user["id"],
                status=status.value,
                expires_at=now + offset,
                root_id=offer_id,
                created_at=now,
            )
            session.add(offer)
            offers.append(offer)
    return offers


async def test_the_inbox_status_filter_is_status_of(
    app: FastAPI, client: httpx.AsyncClient
) -> None:
    offers = await _offers(app, client)
    maker_id = offers[0].maker_user_id
    now = offers[0].created_at
    async with app.state.services.db.unit_of_work() as session:
        for status in TradeStatus:
            found, _ = await repository.page_of_offers(
                session, maker_id, rules.Box.sent, status, now, PageParams(limit=100, cursor=None)
            )
            expected = {o.id for o in offers if rules.status_of(o, now) is status}
            assert {o.id for o in found} == expected, status
            assert expected  # every status is seen on some row


async def test_the_claim_update_is_claimable(app: FastAPI, client: httpx.AsyncClient) -> None:
    offers = await _offers(app, client)
    cases = [(o, expired_ok) for o in offers for expired_ok in (False, True)]
    cases += [(o, True) for o in offers]  # a second claim never wins
    now = offers[0].created_at  # some offers expire exactly now: the boundary is pinned too
    async with app.state.services.db.unit_of_work() as session:
        for offer, expired_ok in cases:
            row = await repository.get_offer(session, offer.id)
            assert row is not None
            allowed = rules.claimable(row.status, row.expires_at, now, expired_ok=expired_ok)
            claimed = await repository.claim(
                session, offer.id, TradeStatus.cancelled, now, expired_ok=expired_ok
            )
            assert claimed == allowed, (row.status, row.expires_at - now, expired_ok)
