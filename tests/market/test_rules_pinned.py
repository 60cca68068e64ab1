"""The SQL pre-filters and the rules they repeat, run on the same rows: the buy's conditional
UPDATE (``repository.buyable``) refuses exactly the listings ``rules.buy_refusal`` refuses, and
``repository.matching_card`` finds exactly the offers ``rules.matches`` accepts."""

from __future__ import annotations

import itertools
from datetime import timedelta

import httpx
from fastapi import FastAPI
from sqlalchemy import select

from ece.cards.service import find_card
from ece.core.clock import utcnow
from ece.market import repository, rules
from ece.market.models import Listing, Offer
from ece.market.rules import Actor
from tests.builders import sign_in
from tests.market.support import open_market, quick_card


async def test_the_buy_filter_and_the_buy_rule_agree(
    client: httpx.AsyncClient, app: FastAPI
) -> None:
    market = await open_market(client, app)
    alice, bob, carol = [await sign_in(client) for _ in range(3)]
    actors = [Actor(u.user["id"], u.address) for u in (alice, bob, carol)] + [
        Actor(market.admin.user["id"], market.admin.address, admin=True)
    ]
    now = utcnow()
    grid = itertools.product(
        [("user", alice.user["id"]), ("issuer", market.company_id)],
        ["active", "filled", "cancelled", "expired"],
        [timedelta(hours=1), -timedelta(seconds=1)],
        [None, bob.address],
        [100, 250],
    )
    async with app.state.services.db.unit_of_work() as session:
        for (kind, seller), status, ahead, taker, price in grid:
            owner = seller if kind == "user" else None
            card_id = await quick_card(app, market.company_id, owner)
            session.add(
                Listing(
                    card_id=card_id, company_id=market.company_id, rarity="rare",
                    seller_kind=kind, seller_id=seller, price=price, currency="USDC",
                    taker_address=taker, status=status, expires_at=now + ahead,
                )
            )  # fmt: skip
    async with app.state.services.db.unit_of_work() as session:
        listings = list(await session.scalars(select(Listing)))
        assert len(listings) == 64
        for buyer, limit in itertools.product(actors, [None, 100, 249]):
            sql = set(
                await session.scalars(
                    select(Listing.id).where(repository.buyable(buyer, now, limit))
                )
            )
            rule = {
                listing.id
                for listing in listings
                if rules.buy_refusal(listing, buyer, now, limit) is None
            }
            assert sql == rule, (buyer, limit)
            assert rule  # every buyer can buy something: the grid covers both outcomes


async def test_the_offer_filter_and_the_matching_rule_agree(
    client: httpx.AsyncClient, app: FastAPI
) -> None:
    market = await open_market(client, app)
    other = await open_market(client, app)
    bob = await sign_in(client)
    now = utcnow()
    cards = [
        await quick_card(app, company.company_id, None, rarity=rarity, power=power)
        for company, rarity, power in itertools.product(
            [market, other], ["common", "rare"], [10, 50, 90]
        )
    ]
    async with app.state.services.db.unit_of_work() as session:
        for card_id in cards[:3]:
            session.add(
                Offer(
                    kind="card", buyer_user_id=bob.user["id"], card_id=card_id,
                    company_id=market.company_id, price=10, currency="USDC", quantity=1,
                    filled=0, status="active", expires_at=now + timedelta(hours=1), hold_seq=0,
                )
            )  # fmt: skip
        for rarity, min_power in itertools.product([None, "common", "rare"], [None, 10, 50, 91]):
            session.add(
                Offer(
                    kind="collection", buyer_user_id=bob.user["id"], card_id=None,
                    company_id=market.company_id, filter_rarity=rarity,
                    filter_min_power=min_power, price=10, currency="USDC", quantity=3,
                    filled=0, status="active", expires_at=now + timedelta(hours=1), hold_seq=0,
                )
            )  # fmt: skip
    async with app.state.services.db.unit_of_work() as session:
        offers = list(await session.scalars(select(Offer)))
        matched = 0
        for card_id in cards:
            card = await find_card(session, card_id)
            assert card is not None
            sql = set(await session.scalars(select(Offer.id).where(repository.matching_card(card))))
            rule = {offer.id for offer in offers if rules.matches(offer, card)}
            assert sql == rule, card_id
            matched += len(rule)
        assert 0 < matched < len(offers) * len(cards)
