"""The portfolio's public face: a user's cards with cost basis and P&L (exact totals over
every card held), the CSV exports, watchlists and price alerts (fired by the ``price_alerts``
job as ``price_alert.triggered`` events, which the notifications domain delivers).

The arithmetic is in ``rules``; the cards, sales and floors are asked of their own domains.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime

from sqlalchemy.ext.asyncio import AsyncSession

from ece.auth import service as auth
from ece.cards import service as cards
from ece.cards.service import CardMove, HeldCard
from ece.core.clock import utcnow
from ece.core.db import Database
from ece.core.errors import Conflict, NotFound, Unprocessable
from ece.core.money import Asset, format_amount
from ece.core.outbox import emit
from ece.core.pagination import PageParams, decode_cursor, encode_cursor
from ece.marketdata import service as marketdata
from ece.marketdata.service import MAX_CANDLES, Interval, candle_window
from ece.portfolio import repository, rules
from ece.portfolio.models import CollectorProfile, PriceAlert, WatchlistItem
from ece.portfolio.rules import (
    MAX_ALERTS,
    MAX_WATCHLIST,
    AlertStep,
    Book,
    Condition,
    Cost,
    Disposal,
    DisposalKind,
    Lot,
    Move,
    SaleMade,
    Totals,
    ValuePoint,
    Via,
)
from ece.settlement import service as settlement

__all__ = [
    "Condition",
    "Disposal",
    "DisposalKind",
    "Holding",
    "Interval",
    "PortfolioView",
    "Preferences",
    "PriceAlert",
    "Profile",
    "TaxRow",
    "Totals",
    "ValuePoint",
    "Via",
    "WatchlistItem",
    "add_to_watchlist",
    "check_alerts",
    "create_alert",
    "delete_alert",
    "every_holding",
    "history",
    "list_alerts",
    "portfolio",
    "preferences",
    "public_profile",
    "remove_from_watchlist",
    "set_preferences",
    "tax_report",
    "watchlist",
]


@dataclass(frozen=True, slots=True)
class Holding:
    """One held card: its lot (None when the history has none, e.g. a card from before
    histories were kept) and what it is worth in the view's currency."""

    card: HeldCard
    lot: Lot | None
    value_at_floor: int | None
    value_at_last_sale: int | None
    unrealized_pnl: int | None


@dataclass(frozen=True, slots=True)
class PortfolioView:
    currency: Asset
    items: list[Holding]
    totals: dict[Asset, Totals]
    held: int
    next_cursor: str | None


def _move(row: CardMove, user_id: str) -> Move:
    return Move(
        row.id,
        row.card_id,
        row.created_at,
        row.to_user_id == user_id,
        row.reason,
        row.ref,
        Cost(row.price, Asset(row.currency)) if row.price is not None and row.currency else None,
        Cost(row.value_hint, Asset(row.value_asset))
        if row.value_hint is not None and row.value_asset
        else None,
    )


async def _book(session: AsyncSession, user_id: str) -> Book:
    moves = [_move(row, user_id) for row in await cards.card_moves(session, user_id)]
    sales = [
        SaleMade(s.card_id, s.ref, s.price, s.fee, s.royalty, Asset(s.currency), s.executed_at)
        for s in await settlement.sold_by_user(session, user_id)
    ]
    return rules.book_of(moves, sales)


async def portfolio(
    session: AsyncSession, user_id: str, currency: Asset, params: PageParams
) -> PortfolioView:
    """The user's cards (a page, by card id) valued in ``currency``, and totals per currency
    over every card held and every disposal (no page cap)."""
    after = decode_cursor(params.cursor, 1, (str,))[0] if params.cursor else None
    held = await cards.held_cards(session, user_id)
    book = await _book(session, user_id)
    floors = await marketdata.floors(session, sorted({c.company_id for c in held}))
    valued = [(book.lots.get(c.id), floors.get(c.company_id, {})) for c in held]
    totals = rules.totals(valued, book.disposals)
    page = [c for c in held if after is None or c.id > after][: params.limit + 1]
    more = len(page) > params.limit
    items = [_holding(c, book.lots.get(c.id), floors.get(c.company_id, {}), currency) for c in page]
    items = items[: params.limit]
    cursor = encode_cursor([items[-1].card.id]) if more and items else None
    return PortfolioView(currency, items, totals, len(held), cursor)


async def every_holding(session: AsyncSession, user_id: str, currency: Asset) -> list[Holding]:
    """Every card the user holds, valued in ``currency`` (the portfolio CSV)."""
    held = await cards.held_cards(session, user_id)
    book = await _book(session, user_id)
    floors = await marketdata.floors(session, sorted({c.company_id for c in held}))
    return [_holding(c, book.lots.get(c.id), floors.get(c.company_id, {}), currency) for c in held]


def _holding(card: HeldCard, lot: Lot | None, floors: dict[Asset, int], asset: Asset) -> Holding:
    floor = floors.get(asset)
    last = card.last_sale_price if card.last_sale_asset == asset.value else None
    return Holding(
        card, lot, floor, last, rules.unrealized(lot.basis if lot else None, floor, asset)
    )


@dataclass(frozen=True, slots=True)
class TaxRow:
    disposal: Disposal
    label: str


async def tax_report(session: AsyncSession, user_id: str, year: int) -> list[TaxRow]:
    """Every disposal (sale or swap) the user made in ``year`` (UTC), in order, with the card's
    label."""
    start, end = datetime(year, 1, 1, tzinfo=UTC), datetime(year + 1, 1, 1, tzinfo=UTC)
    book = await _book(session, user_id)
    chosen = [d for d in book.disposals if start <= d.disposed_at < end]
    labels = await cards.card_labels(session, {d.card_id for d in chosen})
    return [TaxRow(d, labels.get(d.card_id, d.card_id)) for d in chosen]


async def history(
    session: AsyncSession,
    user_id: str,
    currency: Asset,
    interval: Interval,
    start: datetime | None,
    end: datetime | None,
) -> list[ValuePoint]:
    """The collection's value in ``currency`` at the end of each ``interval`` bucket from
    ``start`` to ``end`` (default: the last 30 buckets up to now): the cards held then, each at
    its company's latest candle close. 422 ``invalid_range`` for an end before the start, a
    start older than the candles kept (``MAX_CANDLES`` buckets) or more than 500 points."""
    now = utcnow()
    end = min(end or now, now)
    start = start or candle_window(end, interval, 30)
    first, last = candle_window(start, interval, 1), candle_window(end, interval, 1)
    count = (last - first) // interval.delta + 1
    oldest = candle_window(now, interval, MAX_CANDLES)
    if start > end or first < oldest or count > rules.MAX_HISTORY_POINTS:
        raise Unprocessable(
            f"The range must run forward, within the last {MAX_CANDLES} buckets.",
            code="invalid_range",
        )
    points = [min(first + interval.delta * (i + 1), now) for i in range(count)]
    moves = [_move(row, user_id) for row in await cards.card_moves(session, user_id)]
    holdings = await cards.card_holdings(session, sorted({m.card_id for m in moves}))
    company_of = {card_id: h.company_id for card_id, h in holdings.items()}
    closes = {
        company: [
            (c.start, c.close)
            for c in await marketdata.candles(session, company, currency, interval, MAX_CANDLES)
        ]
        for company in sorted(set(company_of.values()))
    }
    return rules.value_history(moves, company_of, closes, points)


# --- watchlist ------------------------------------------------------------------------------------


async def _target_exists(
    session: AsyncSession, company_id: str | None, card_id: str | None
) -> None:
    if company_id is not None:
        await cards.company_by_id(session, company_id)  # 404 company_not_found
    elif card_id is not None and await cards.find_card(session, card_id) is None:
        raise NotFound("No such card.", code="card_not_found")


def _target(company_id: str | None, card_id: str | None) -> str:
    return f"company:{company_id}" if company_id is not None else f"card:{card_id}"


async def watchlist(session: AsyncSession, user_id: str) -> Sequence[WatchlistItem]:
    return await repository.watchlist(session, user_id)


async def add_to_watchlist(
    session: AsyncSession, user_id: str, company_id: str | None, card_id: str | None
) -> tuple[WatchlistItem, bool]:
    """Follow a company or a card; returns the item and whether it is new (adding twice returns
    the first). 404 for an unknown target, 409 ``watchlist_full`` past ``MAX_WATCHLIST``."""
    await _target_exists(session, company_id, card_id)
    target = _target(company_id, card_id)
    found = await repository.watched(session, user_id, target)
    if found is not None:
        return found, False
    if await repository.watchlist_count(session, user_id) >= MAX_WATCHLIST:
        raise Conflict(f"A watchlist holds at most {MAX_WATCHLIST} items.", code="watchlist_full")
    item = WatchlistItem(user_id=user_id, company_id=company_id, card_id=card_id, target=target)
    if not await repository.add_watched(session, item):
        found = await repository.watched(session, user_id, target)
        if found is None:  # pragma: no cover - removed between the two statements
            raise Conflict("The watchlist changed; try again.", code="watchlist_changed")
        return found, False
    return item, True


async def remove_from_watchlist(session: AsyncSession, user_id: str, item_id: str) -> None:
    """404 ``watchlist_item_not_found`` for an id that is not one of the user's items."""
    if not await repository.remove_watched(session, user_id, item_id):
        raise NotFound("No such watchlist item.", code="watchlist_item_not_found")


# --- price alerts ---------------------------------------------------------------------------------


async def list_alerts(session: AsyncSession, user_id: str) -> Sequence[PriceAlert]:
    return await repository.alerts(session, user_id)


async def create_alert(
    session: AsyncSession,
    user_id: str,
    *,
    company_id: str | None,
    card_id: str | None,
    condition: Condition,
    price: int,
    currency: Asset,
) -> PriceAlert:
    """An armed alert: it fires (``price_alert.triggered``) the first time the job sees its
    condition hold, then again only after the condition stopped holding. 404 for an unknown
    target, 409 ``alerts_full`` past ``MAX_ALERTS``."""
    if price <= 0:
        raise Unprocessable("The price must be greater than zero.", code="invalid_amount")
    await _target_exists(session, company_id, card_id)
    if await repository.alert_count(session, user_id) >= MAX_ALERTS:
        raise Conflict(f"At most {MAX_ALERTS} price alerts.", code="alerts_full")
    alert = PriceAlert(
        user_id=user_id,
        company_id=company_id,
        card_id=card_id,
        condition=condition.value,
        price=price,
        currency=currency.value,
        armed=True,
        fired_count=0,
    )
    session.add(alert)
    await session.flush()
    return alert


async def delete_alert(session: AsyncSession, user_id: str, alert_id: str) -> None:
    """404 ``alert_not_found`` for an id that is not one of the user's alerts."""
    if not await repository.remove_alert(session, user_id, alert_id):
        raise NotFound("No such price alert.", code="alert_not_found")


ALERT_BATCH = 500


async def check_alerts(db: Database) -> int:
    """Evaluate every alert against the floors as they are now, a batch per transaction:
    fire the armed ones whose condition holds (a conditional UPDATE, so two workers fire an
    alert once, and the event in the same transaction), re-arm the disarmed ones whose
    condition no longer holds. Returns how many fired."""
    fired, after = 0, ""
    while True:
        async with db.unit_of_work() as session:
            batch = await repository.alerts_page(session, after, ALERT_BATCH)
            if not batch:
                return fired
            fired += await _check_batch(session, batch)
            after = batch[-1][0]


async def _check_batch(
    session: AsyncSession,
    batch: Sequence[tuple[str, str | None, str | None, str, int, str, bool]],
) -> int:
    company_ids = sorted({c for _, c, *_ in batch if c is not None})
    card_ids = sorted({k for _, _, k, *_ in batch if k is not None})
    floors = await marketdata.floors(session, company_ids)
    listed = await cards.listed_prices(session, card_ids)
    now, fired = utcnow(), 0
    for alert_id, company_id, card_id, condition, price, currency, armed in batch:
        if company_id is not None:
            floor = floors.get(company_id, {}).get(Asset(currency))
        else:
            shown = listed.get(card_id or "")
            floor = shown[0] if shown and shown[1] == currency else None
        holds = rules.condition_holds(Condition(condition), price, floor)
        step = rules.alert_step(armed, holds)
        if step is AlertStep.rearm:
            await repository.rearm(session, alert_id)
        elif step is AlertStep.fire:
            user_id = await repository.disarm(session, alert_id, now)
            if user_id is None:
                continue  # another worker fired it first
            fired += 1
            await emit(
                session, "price_alert.triggered", alert_id, user_id=user_id,
                company_id=company_id, card_id=card_id, condition=condition,
                price=format_amount(price, Asset(currency)),
                floor=format_amount(floor, Asset(currency)) if floor is not None else None,
                currency=currency,
            )  # fmt: skip
    return fired


# --- preferences and the public profile ----------------------------------------------------------

MAX_SHOWCASE = 6
RECENT_SALES = 10


@dataclass(frozen=True, slots=True)
class Preferences:
    display_currency: Asset
    theme: str
    hide_collection: bool
    showcase: list[str]


def _preferences(row: CollectorProfile | None) -> Preferences:
    if row is None:
        return Preferences(Asset.USDC, "system", False, [])
    return Preferences(
        Asset(row.display_currency), row.theme, row.hide_collection, list(row.showcase)
    )


async def preferences(session: AsyncSession, user_id: str) -> Preferences:
    return _preferences(await repository.profile(session, user_id))


async def set_preferences(session: AsyncSession, user_id: str, wanted: Preferences) -> Preferences:
    """Save all of them at once. The showcase is up to ``MAX_SHOWCASE`` distinct cards the user
    holds now: 422 ``invalid_showcase`` otherwise (a card sold later drops out of the shown
    profile by itself)."""
    showcase = list(dict.fromkeys(wanted.showcase))
    if len(showcase) != len(wanted.showcase) or len(showcase) > MAX_SHOWCASE:
        raise Unprocessable(
            f"A showcase is up to {MAX_SHOWCASE} distinct cards.", code="invalid_showcase"
        )
    holdings = await cards.card_holdings(session, showcase)
    if any(
        (h := holdings.get(c)) is None or h.owner_user_id != user_id or h.withdrawn_at
        for c in showcase
    ):
        raise Unprocessable("A showcase shows only cards you hold.", code="invalid_showcase")
    row = CollectorProfile(
        user_id=user_id,
        display_currency=wanted.display_currency.value,
        theme=wanted.theme,
        hide_collection=wanted.hide_collection,
        showcase=showcase,
        updated_at=utcnow(),
    )
    return _preferences(await repository.save_profile(session, row))


@dataclass(frozen=True, slots=True)
class Profile:
    address: str
    display_name: str | None
    hidden: bool
    showcase: list[HeldCard]
    cards: int | None
    companies: int | None
    sales: int | None
    recent_sales: list[SaleMade]


async def public_profile(session: AsyncSession, address: str) -> Profile:
    """What anyone sees of a collector: name, and unless they hid their collection, the
    showcase (cards still held), how many cards and companies they hold, how many sales they
    made and the latest ``RECENT_SALES``. 404 ``user_not_found``."""
    user = await auth.user_by_address(session, address)
    if user is None:
        raise NotFound("No such collector.", code="user_not_found")
    chosen = _preferences(await repository.profile(session, user.id))
    if chosen.hide_collection:
        return Profile(user.address, user.display_name, True, [], None, None, None, [])
    held = await cards.held_cards(session, user.id)
    by_id = {c.id: c for c in held}
    sold = await settlement.sold_by_user(session, user.id)
    recent = [
        SaleMade(s.card_id, s.ref, s.price, s.fee, s.royalty, Asset(s.currency), s.executed_at)
        for s in reversed(sold[-RECENT_SALES:])
    ]
    return Profile(
        user.address,
        user.display_name,
        False,
        [by_id[c] for c in chosen.showcase if c in by_id],
        len(held),
        len({c.company_id for c in held}),
        len(sold),
        recent,
    )
