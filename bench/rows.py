"""Company and card rows in the shape the services write them, inserted in bulk.

Both seeding benchmarks (``bench.seed`` for the HTTP run, ``bench.catalog`` for catalog search)
build their catalog from these, so a new column on ``companies`` or ``cards`` is filled in one
place. Cards are rows only: no chain mint, placeholder mint address and CIDs.
"""

from __future__ import annotations

import random
from datetime import datetime
from typing import Any

from sqlalchemy import insert
from sqlalchemy.ext.asyncio import AsyncSession

from ece.cards.metadata import Rarity
from ece.cards.models import Card, Company
from ece.cards.search_repository import search_for, search_text_of
from ece.core.db import new_id

SECTORS = ["Technology", "Biotech", "Energy", "Finance", "Aerospace", "Consumer", "Media"]


def company_row(
    rng: random.Random, i: int, words: list[str], *, ticker: str, royalty_bps: int, at: datetime
) -> dict[str, Any]:
    return {
        "id": new_id(),
        "name": f"{rng.choice(words)} {rng.choice(['Labs', 'Corp', 'Systems'])} {i}",
        "ticker": ticker,
        "sector": SECTORS[i % len(SECTORS)],
        "country": "US",
        "website": "https://example.com",
        "description": "",
        "royalty_bps": royalty_bps,
        "payout_address": "11111111111111111111111111111111",
        "color": "#336699",
        "created_at": at,
        "updated_at": at,
    }


# The columns ``CardRows.base`` fills, in its order; ``CardRows.row`` adds the owner and time.
BASE_COLUMNS = (
    "id", "company_id", "name", "description", "rarity", "serial_number", "edition_size",
    "power", "valuation", "growth", "innovation", "influence",
    "mint", "mint_signature", "metadata_cid", "image_cid", "search_text",
)  # fmt: skip
_RARITIES = [r.value for r in Rarity]
_STATS = range(101)


class CardRows:
    """Cards of random rarity and stats; serial numbers count per company and rarity."""

    def __init__(self, rng: random.Random, words: list[str]) -> None:
        self.rng = rng
        self.words = words
        self.serials: dict[tuple[str, str], int] = {}
        self._names: dict[str, list[tuple[str, str]]] = {}

    def _names_of(self, company: dict[str, Any]) -> list[tuple[str, str]]:
        """Every (card name, search text) a card of ``company`` can have, built once."""
        names = self._names.get(company["id"])
        if names is None:
            names = self._names[company["id"]] = []
            for first in self.words:
                for second in self.words:
                    name = f"{company['ticker']} {first} {second}"[:32]
                    names.append(
                        (
                            name,
                            search_text_of(
                                name, company["name"], company["ticker"], company["sector"]
                            ),
                        )
                    )
        return names

    def base(self, company: dict[str, Any]) -> tuple[Any, ...]:
        """One card of ``company`` as a tuple of ``BASE_COLUMNS`` (a bulk load adds its own
        owner and time columns: no dict per row)."""
        rng = self.rng
        rarity = rng.choice(_RARITIES)
        key = (company["id"], rarity)
        serial = self.serials[key] = self.serials.get(key, 0) + 1
        names = self._names_of(company)
        name, search_text = names[rng.randrange(len(names))]
        card_id = new_id()
        return (
            card_id, company["id"], name, "", rarity, serial, 100_000,
            *rng.choices(_STATS, k=5),
            f"bench-mint-{card_id}", "bench", "bench", "bench", search_text,
        )  # fmt: skip

    def row(self, company: dict[str, Any], *, created_at: datetime, **owner: Any) -> dict[str, Any]:
        """One card of ``company``; ``owner`` gives ``owner_user_id`` or ``owner_company_id``
        and any further columns."""
        return {
            **dict(zip(BASE_COLUMNS, self.base(company), strict=True)),
            "owner_company_id": None,
            "owner_user_id": None,
            "created_at": created_at,
            **owner,
        }


async def insert_catalog(
    session: AsyncSession, companies: list[dict[str, Any]], cards: list[dict[str, Any]]
) -> None:
    """The rows, then the cards' search index, as the services keep it."""
    await session.execute(insert(Company), companies)
    for chunk in range(0, len(cards), 1000):
        await session.execute(insert(Card), cards[chunk : chunk + 1000])
    await search_for(session).index(session, [row["id"] for row in cards])
