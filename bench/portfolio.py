"""Portfolio benchmark: one collector holding 500 cards (and 100 more bought and resold), the
portfolio's exact totals and first page, and the two CSV exports, timed in-process on SQLite and
PostgreSQL (the service call in a read transaction, as the route runs it).

    .venv/bin/python -m bench.portfolio [--cards 500] [--resold 100] [--runs 30]

Prints p50/p95 per backend and returns the figures for ``bench/run.py`` (``portfolio`` in
latest.json). The issue's goal: a 500-card portfolio in <= 100 ms on SQLite.
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from solders.keypair import Keypair  # noqa: E402

from bench.pg import app_url, drop_database, fresh_database  # noqa: E402
from ece import models  # noqa: E402, F401  (every table mapped)
from ece.auth.models import User  # noqa: E402
from ece.cards.models import Card, CardEvent, Company  # noqa: E402
from ece.core.db import Database, new_id  # noqa: E402
from ece.core.migrate import upgrade  # noqa: E402
from ece.core.money import Asset  # noqa: E402
from ece.core.pagination import PageParams  # noqa: E402
from ece.market.models import Listing  # noqa: E402
from ece.portfolio import service as portfolio  # noqa: E402
from ece.settlement.models import Sale  # noqa: E402

PG_DB = "ece_bench_portfolio"
UNIT = 1_000_000  # one USDC
T0 = datetime(2026, 3, 1, tzinfo=UTC)


def _card(company: Company, n: int, owner: str) -> Card:
    return Card(
        id=new_id(), company_id=company.id, name=f"{company.ticker} {n}", description="bench",
        rarity="rare", serial_number=n, edition_size=10_000, power=50, valuation=50, growth=50,
        innovation=50, influence=50, mint=str(Keypair().pubkey()), mint_signature="bench",
        metadata_cid="bench", image_cid="bench", search_text=f"{company.ticker} {n}",
        owner_user_id=owner,
    )  # fmt: skip


def _event(card: Card, company: Company, at: datetime, **moved: object) -> CardEvent:
    return CardEvent(card_id=card.id, created_at=at, **moved)  # type: ignore[arg-type]


async def seed(db: Database, cards: int, resold: int) -> str:
    """The collector's id, after 5 companies, ``cards`` held, ``resold`` bought and sold on,
    and one listing per company by someone else (the floors)."""
    async with db.unit_of_work() as session:
        collector = User(address=str(Keypair().pubkey()))
        other = User(address=str(Keypair().pubkey()))
        session.add_all([collector, other])
        companies = [
            Company(
                id=new_id(),
                name=f"Bench {i}",
                ticker=f"BP{i}",
                sector="tech",
                country="US",
                website="https://example.com",
                description="bench",
                royalty_bps=500,
                payout_address=str(Keypair().pubkey()),
                color="#123456",
            )
            for i in range(5)
        ]
        session.add_all(companies)
        await session.flush()
        rows: list[object] = []
        for n in range(cards + resold):
            company = companies[n % 5]
            held = n < cards
            card = _card(company, n, collector.id if held else other.id)
            at = T0 + timedelta(minutes=n)
            rows.append(card)
            rows.append(
                _event(
                    card,
                    company,
                    at,
                    kind="sale",
                    from_company_id=company.id,
                    to_user_id=collector.id,
                    price=(5 + n % 7) * UNIT,
                    currency="USDC",
                    reason="listing",
                    ref=f"buy-{n}",
                )
            )
            if not held:
                price = (3 + n % 11) * UNIT
                rows.append(
                    _event(
                        card,
                        company,
                        at + timedelta(days=1),
                        kind="sale",
                        from_user_id=collector.id,
                        to_user_id=other.id,
                        price=price,
                        currency="USDC",
                        reason="listing",
                        ref=f"sell-{n}",
                    )
                )
                rows.append(
                    Sale(
                        card_id=card.id,
                        company_id=company.id,
                        seller_kind="user",
                        seller_id=collector.id,
                        buyer_user_id=other.id,
                        price=price,
                        currency="USDC",
                        fee=price // 40,
                        royalty=price // 20,
                        source="listing",
                        ref=f"sell-{n}",
                        executed_at=at + timedelta(days=1),
                    )
                )
        for i, company in enumerate(companies):
            card = _card(company, 90_000 + i, other.id)
            rows.append(card)
            rows.append(
                Listing(
                    card_id=card.id,
                    company_id=company.id,
                    rarity="rare",
                    seller_kind="user",
                    seller_id=other.id,
                    price=(8 + i) * UNIT,
                    currency="USDC",
                    expires_at=datetime(2099, 1, 1, tzinfo=UTC),
                )
            )
        session.add_all(rows)  # type: ignore[arg-type]
        return collector.id


async def timed(db: Database, runs: int, call: object) -> dict[str, float]:
    samples = []
    for _ in range(runs):
        began = time.perf_counter()
        async with db.unit_of_work(write=False) as session:
            await call(session)  # type: ignore[operator]
        samples.append((time.perf_counter() - began) * 1000)
    samples.sort()
    return {
        "p50_ms": round(statistics.median(samples), 1),
        "p95_ms": round(samples[max(0, int(len(samples) * 0.95) - 1)], 1),
    }


async def measure(url: str, cards: int, resold: int, runs: int) -> dict[str, object]:
    db = Database(url)
    try:
        user_id = await seed(db, cards, resold)
        first = PageParams(limit=50, cursor=None)

        async def view(session: object) -> None:
            found = await portfolio.portfolio(session, user_id, Asset.USDC, first)  # type: ignore[arg-type]
            assert found.held == cards and found.totals[Asset.USDC].cards == cards

        async def holdings(session: object) -> None:
            assert len(await portfolio.every_holding(session, user_id, Asset.USDC)) == cards  # type: ignore[arg-type]

        async def taxes(session: object) -> None:
            assert len(await portfolio.tax_report(session, user_id, 2026)) == resold  # type: ignore[arg-type]

        await timed(db, 3, view)  # warm caches and the pool
        return {
            "cards": cards,
            "resold": resold,
            "runs": runs,
            "portfolio": await timed(db, runs, view),
            "portfolio_csv": await timed(db, runs, holdings),
            "tax_report_csv": await timed(db, runs, taxes),
        }
    finally:
        await db.dispose()


def run_both(cards: int = 500, resold: int = 100, runs: int = 30) -> dict[str, object]:
    out: dict[str, object] = {}
    with tempfile.TemporaryDirectory() as tmp:
        url = f"sqlite+aiosqlite:///{Path(tmp) / 'portfolio.db'}"
        upgrade(url)  # Alembic runs its own event loop: before ours
        out["sqlite"] = asyncio.run(measure(url, cards, resold, runs))
    if asyncio.run(fresh_database(PG_DB)):
        try:
            upgrade(app_url(PG_DB))
            out["postgresql"] = asyncio.run(measure(app_url(PG_DB), cards, resold, runs))
        finally:
            asyncio.run(drop_database(PG_DB))
    return out


def print_figures(figures: dict[str, object]) -> None:
    print(f"{'backend':<11}{'call':<16}{'p50 ms':>9}{'p95 ms':>9}")
    for backend, body in figures.items():
        assert isinstance(body, dict)
        for call in ("portfolio", "portfolio_csv", "tax_report_csv"):
            f = body[call]
            print(f"{backend:<11}{call:<16}{f['p50_ms']:>9}{f['p95_ms']:>9}")


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--cards", type=int, default=500)
    parser.add_argument("--resold", type=int, default=100)
    parser.add_argument("--runs", type=int, default=30)
    args = parser.parse_args()
    print_figures(run_both(args.cards, args.resold, args.runs))


if __name__ == "__main__":
    main()
