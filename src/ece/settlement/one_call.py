"""A listing's sale in one round trip: on PostgreSQL ``ece_settle_listing`` (migration 0034)
does on the server what ``sales.settle_sale`` does statement by statement for a buy, from the
listing's conditional UPDATE to the sale's one event, and returns what the API answers; on
SQLite ``one_hop`` runs the same steps as one function on the driver connection's thread and
returns the same row.

The Python path (``take_listing`` then ``settle_sale``) stays the one every other sale (sweeps,
offers, auctions) takes; ``tests/settlement/test_one_call.py`` holds it and the one call to the
same rows for the same inputs, on both databases. Everything the function decides from the
caller's side is computed here with the same rules: the sale id, its fee shard
(``rules.fee_purpose``), the wash window (``rules.WASH_WINDOW``) and the event's correlation and
trace ids.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession

from ece.cards import service as cards
from ece.cards.service import CardOwner, OwnerKind
from ece.core.db import new_id
from ece.core.errors import Conflict, DomainError
from ece.core.logging import request_id_var
from ece.core.outbox import written_in_database
from ece.core.tracing import traceparent, tracer
from ece.ledger import service as ledger
from ece.settlement import one_hop
from ece.settlement.models import Sale, SaleSource
from ece.settlement.rules import WASH_WINDOW, fee_purpose
from ece.settlement.sales import sale_event

_SETTLE = text(
    "SELECT * FROM ece_settle_listing(:listing_id, :buyer_id, :buyer_address, :now, :limit, "
    ":fee_bps, :sale_id, :fee_purpose, :wash_since, :correlation_id, :traceparent)"
)

SOLD = "sold"
UNMATCHED = "unmatched"  # the listing's conditional UPDATE matched nothing
SHORT = "short"  # the buyer lacks ``missing`` base units for the whole price
CARD = "card"  # the card did not move (its owner or lock is not the listing's)
OVERFLOW = "overflow"  # a balance would pass the largest amount


@dataclass(frozen=True, slots=True)
class ListingBuy:
    """What a buy of a listing asks: the buyer, the moment, the highest price they accept."""

    listing_id: str
    buyer_user_id: str
    buyer_address: str
    now: datetime
    limit: int | None
    fee_bps: int


@dataclass(frozen=True, slots=True)
class OneCallOutcome:
    outcome: str
    sale: Sale | None  # the sale's row as written (also on ``short``, ``card``: not committed)
    seller_address: str | None
    missing: int | None
    # Whether the listing was public (SQLite's one hop says; PostgreSQL's function does not:
    # None), so a process may remember it closed once the sale commits (``market.closed``).
    public: bool | None = None


def in_one_call(session: AsyncSession) -> bool:
    """Whether this database settles a buy in one call (PostgreSQL: the function exists;
    SQLite: ``one_hop``)."""
    return session.get_bind().dialect.name in ("postgresql", "sqlite")


async def _in_postgresql(session: AsyncSession, buy: ListingBuy, sale_id: str) -> one_hop.Row:
    params = {
        "listing_id": buy.listing_id,
        "buyer_id": buy.buyer_user_id,
        "buyer_address": buy.buyer_address,
        "now": buy.now,
        "limit": buy.limit,
        "fee_bps": buy.fee_bps,
        "sale_id": sale_id,
        "fee_purpose": fee_purpose(sale_id),
        "wash_since": buy.now - WASH_WINDOW,
        "correlation_id": request_id_var.get(),
        "traceparent": traceparent(),
    }
    return tuple((await session.execute(_SETTLE, params)).one())


async def settle_listing(session: AsyncSession, buy: ListingBuy) -> OneCallOutcome:
    """Take ``buy.listing_id`` and settle its sale in one statement; see the module. On any
    outcome but ``SOLD`` the caller raises and its transaction must be rolled back."""
    sale_id = new_id()
    with tracer.start_as_current_span(
        "settlement.sale",
        attributes={"ece.listing_id": buy.listing_id, "ece.source": SaleSource.listing.value},
    ):
        if session.get_bind().dialect.name == "sqlite":
            row = await one_hop.settle(
                session,
                one_hop.Request(
                    buy.listing_id,
                    buy.buyer_user_id,
                    buy.buyer_address,
                    buy.now,
                    buy.limit,
                    buy.fee_bps,
                    sale_id,
                    request_id_var.get(),
                    traceparent(),
                ),
            )
        else:
            row = await _in_postgresql(session, buy, sale_id)
    outcome, missing = row[0], row[1]
    if outcome == UNMATCHED:
        return OneCallOutcome(outcome, None, None, None)
    sale = Sale(
        id=sale_id,
        card_id=row[2],
        company_id=row[3],
        seller_kind=row[4],
        seller_id=row[5],
        buyer_user_id=buy.buyer_user_id,
        price=int(row[6]),
        currency=row[7],
        fee=int(row[8]),
        royalty=int(row[9]),
        source=SaleSource.listing.value,
        ref=buy.listing_id,
        executed_at=buy.now,
        wash_suspect=bool(row[11]),
    )
    if outcome == SOLD:
        written_in_database(session, [sale_event(sale)])
    public = bool(row[12]) if len(row) > 12 else None
    return OneCallOutcome(outcome, sale, row[10], None if missing is None else int(missing), public)


async def refusal(session: AsyncSession, done: OneCallOutcome) -> DomainError | None:
    """The error the Python path raises for the same outcome (``short``: the ledger's
    ``insufficient_funds`` for the whole price; ``card``: the card's own refusal; ``overflow``:
    ``balance_overflow``), or None for a sale."""
    if done.outcome == SOLD:
        return None
    assert done.sale is not None
    if done.outcome == SHORT:
        assert done.missing is not None
        return ledger.short_of_funds(done.sale.currency, done.missing)
    if done.outcome == CARD:
        seller = (
            CardOwner.user(done.sale.seller_id)
            if done.sale.seller_kind == OwnerKind.user.value
            else CardOwner.issuer(done.sale.seller_id)
        )
        return await cards.move_refusal(session, done.sale.card_id, seller)
    return Conflict("The sale overflows a balance.", code="balance_overflow")
