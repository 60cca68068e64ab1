"""Migration 0012: prices that open private listings left on their cards are cleared."""

from __future__ import annotations

import asyncio
from datetime import timedelta
from pathlib import Path
from types import SimpleNamespace

import pytest
from solders.keypair import Keypair
from sqlalchemy import text

from ece.cards.models import Card, Company
from ece.cards.search_repository import search_text_of
from ece.core.clock import utcnow
from ece.core.db import Database, new_id
from ece.core.migrate import upgrade
from ece.market.models import Listing

pytestmark = pytest.mark.db  # migrates a database of its own


def _card(company_id: str, owner_id: str, serial: int, listing_id: str) -> Card:
    return Card(
        company_id=company_id, name=f"Card {serial}", description="test", rarity="rare",
        serial_number=serial, edition_size=10, power=1, valuation=1, growth=1, innovation=1,
        influence=1, mint=str(Keypair().pubkey()), mint_signature="test", metadata_cid="test",
        image_cid="test", search_text=search_text_of("Card", "Test", "TEST", "Test"),
        owner_user_id=owner_id, lock_kind="listing", lock_ref=listing_id, locked_at=utcnow(),
        list_price=5_000_000, list_asset="USDC",
    )  # fmt: skip


def _listing(listing_id: str, card: Card, seller_id: str, taker: str | None) -> Listing:
    return Listing(
        id=listing_id, card_id=card.id, company_id=card.company_id, rarity="rare",
        seller_kind="user", seller_id=seller_id, price=5_000_000, currency="USDC",
        taker_address=taker, status="active", expires_at=utcnow() + timedelta(days=1),
    )  # fmt: skip


async def test_0012_clears_the_card_price_of_private_listings_only(tmp_path: Path) -> None:
    url = f"sqlite+aiosqlite:///{tmp_path / 'old.db'}"
    await asyncio.to_thread(upgrade, url, "0011")  # Alembic runs its own event loop
    db = Database(url)
    try:
        async with db.unit_of_work() as session:
            company = Company(
                name="Test", ticker="TST", sector="Tech", country="US", website="https://x.y",
                description="t", royalty_bps=500, payout_address=str(Keypair().pubkey()),
                color="#000000",
            )  # fmt: skip
            # The users table as of 0011 (the model has columns added since): a plain insert.
            seller = SimpleNamespace(id=new_id())
            await session.execute(
                text("INSERT INTO users (id, address, created_at) VALUES (:id, :address, :at)"),
                {"id": seller.id, "address": str(Keypair().pubkey()), "at": utcnow()},
            )
            session.add(company)
            await session.flush()
            private = _card(company.id, seller.id, 1, "l" * 32)
            public = _card(company.id, seller.id, 2, "p" * 32)
            session.add_all([private, public])
            await session.flush()
            session.add_all(
                [
                    _listing("l" * 32, private, seller.id, str(Keypair().pubkey())),
                    _listing("p" * 32, public, seller.id, None),
                ]
            )
            ids = (private.id, public.id)
        await asyncio.to_thread(upgrade, url)
        async with db.unit_of_work(write=False) as session:
            prices = [(await session.get(Card, card_id)) for card_id in ids]
            assert [(c.list_price, c.list_asset) for c in prices if c] == [
                (None, None),
                (5_000_000, "USDC"),
            ]
    finally:
        await db.dispose()
