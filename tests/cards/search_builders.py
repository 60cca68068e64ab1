"""Catalog rows written straight to the database (no chain mint), for search and facet tests,
and the brute-force twin of the catalog's filters, sorts and facets to check them against."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import delete, insert
from sqlalchemy.ext.asyncio import AsyncSession

from ece.cards.models import Card, Company, SearchSuggestion
from ece.cards.rules import STAT_NAMES, CardFilters, CardSort, price_bucket
from ece.cards.search_repository import (
    add_card_names,
    search_for,
    search_text_of,
    set_company_suggestions,
)
from ece.core.money import Asset

BASE = datetime(2026, 11, 1, tzinfo=UTC)
COMPANIES = [
    ("Acme Rockets", "ACME", "Aerospace"),
    ("Aurora Quantum", "AURQ", "Technology"),
    ("Nordwind Energy", "NRDW", "Energy"),
]
_WORD = re.compile(r"[^\W_]+")


@dataclass
class Row:
    """One card as the test sees it."""

    id: str
    company: int
    name: str
    rarity: str
    stats: tuple[int, int, int, int, int]
    listed: tuple[str, int] | None = None  # (currency, price in base units)
    sold_at: datetime | None = None
    created_at: datetime = BASE
    extra: dict[str, Any] = field(default_factory=dict)

    def text(self) -> str:
        name, ticker, sector = COMPANIES[self.company]
        return search_text_of(self.name, name, ticker, sector)

    def stat(self, name: str) -> int:
        return self.stats[STAT_NAMES.index(name)]


def company_ids() -> list[str]:
    return [f"{i:032x}" for i in range(1, len(COMPANIES) + 1)]


async def write_catalog(session: AsyncSession, rows: Sequence[Row]) -> None:
    """Replace every company and card with these (and their search index and suggestions)."""
    await session.execute(delete(SearchSuggestion))
    await session.execute(delete(Card))
    await session.execute(delete(Company))
    ids = company_ids()
    companies = []
    for (name, ticker, sector), company_id in zip(COMPANIES, ids, strict=True):
        company = Company(
            id=company_id,
            name=name,
            ticker=ticker,
            sector=sector,
            country="US",
            website="https://example.com",
            description="",
            royalty_bps=250,
            payout_address="11111111111111111111111111111111",
            color="#336699",
        )
        session.add(company)
        companies.append(company)
    await session.flush()
    for company in companies:
        await set_company_suggestions(session, company)
    serials: Counter[tuple[int, str]] = Counter()
    values = []
    for row in rows:
        serials[(row.company, row.rarity)] += 1
        power, valuation, growth, innovation, influence = row.stats
        values.append(
            {
                "id": row.id,
                "company_id": ids[row.company],
                "name": row.name,
                "description": "",
                "rarity": row.rarity,
                "serial_number": serials[(row.company, row.rarity)],
                "edition_size": 1000,
                "power": power,
                "valuation": valuation,
                "growth": growth,
                "innovation": innovation,
                "influence": influence,
                "mint": f"mint-{row.id}",
                "mint_signature": "sig",
                "metadata_cid": "cid",
                "image_cid": "cid",
                "search_text": row.text(),
                "owner_company_id": ids[row.company],
                "list_price": row.listed[1] if row.listed else None,
                "list_asset": row.listed[0] if row.listed else None,
                "last_sale_price": 1_000_000 if row.sold_at else None,
                "last_sale_asset": "USDC" if row.sold_at else None,
                "last_sale_at": row.sold_at,
                "created_at": row.created_at,
            }
        )
    if values:
        await session.execute(insert(Card), values)
    await search_for(session).index(session, [row.id for row in rows])
    await add_card_names(session, [row.name for row in rows])


# --- the brute-force twin ----------------------------------------------------------------------


def matches(row: Row, f: CardFilters) -> bool:
    if f.rarity and row.rarity != f.rarity:
        return False
    if f.company and company_ids()[row.company] != f.company:
        return False
    if f.sector and COMPANIES[row.company][2].lower() != f.sector.lower():
        return False
    if f.listed is not None and (row.listed is not None) != f.listed:
        return False
    if f.currency is not None and (row.listed is None or row.listed[0] != f.currency.value):
        return False
    for stat, (low, high) in f.stat_ranges().items():
        if low is not None and row.stat(stat) < low:
            return False
        if high is not None and row.stat(stat) > high:
            return False
    if f.q is not None and f.q.strip():
        words = [w.lower() for w in _WORD.findall(row.text())]
        terms = [t.lower() for t in _WORD.findall(f.q)][:8]
        if not terms or not all(any(w.startswith(t) for w in words) for t in terms):
            return False
    return True


_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
_BIG = 2**63 - 1


def ordered(rows: Sequence[Row], sort: CardSort) -> list[Row]:
    if sort is CardSort.newest:
        return sorted(rows, key=lambda r: (r.created_at, r.id), reverse=True)
    if sort is CardSort.power:
        return sorted(rows, key=lambda r: (-r.stats[0], r.id))
    if sort is CardSort.price_asc:
        return sorted(rows, key=lambda r: (r.listed[1] if r.listed else _BIG, r.id))
    if sort is CardSort.price_desc:
        return sorted(rows, key=lambda r: (-(r.listed[1] if r.listed else -1), r.id))
    return sorted(rows, key=lambda r: (-(r.sold_at or _EPOCH).timestamp(), r.id))


def expected_facets(rows: Sequence[Row]) -> dict[str, Any]:
    """What ``CatalogFacetsOut`` should say for exactly these matching rows."""
    ids = company_ids()
    listed = [r for r in rows if r.listed]
    prices: Counter[tuple[str, int]] = Counter(
        (c, price_bucket(p, Asset(c))) for c, p in (r.listed for r in listed if r.listed)
    )
    return {
        "company": Counter(ids[r.company] for r in rows),
        "sector": Counter(COMPANIES[r.company][2] for r in rows),
        "rarity": Counter(r.rarity for r in rows),
        "listed": Counter("true" if r.listed else "false" for r in rows),
        "currency": Counter(r.listed[0] for r in listed if r.listed),
        "price": prices,
        "stats": {
            s: (
                min((r.stat(s) for r in rows), default=None),
                max((r.stat(s) for r in rows), default=None),
            )
            for s in STAT_NAMES
        },
    }


def day(n: int) -> datetime:
    return BASE + timedelta(days=n)
