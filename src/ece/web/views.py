"""What the public market pages show, gathered from the same services the API calls.

Each function reads one page's data in the caller's session and returns the API's own shapes
(``CardOut``, ``ListingOut``...) plus small display records; templates only lay them out.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from ece.auth import service as auth
from ece.auth.service import User
from ece.cards import service as cards
from ece.cards.schemas import CardEventOut, CardOut, CompanyOut
from ece.cards.service import Card, CardStatus, Company, Rarity
from ece.core.errors import NotFound
from ece.core.money import Asset, InvalidAmount, format_amount, parse_amount
from ece.core.pagination import PageParams
from ece.market import service as market
from ece.market.schemas import ListingOut, OfferOut
from ece.market.service import ListingFilters, ListingSort, OfferFilters
from ece.marketdata import service as marketdata
from ece.marketdata.schemas import ActivityOut, CompanyStatsOut, CompanySummaryOut

PAGE_SIZE = 24
ALL_COMPANIES = PageParams(limit=200, cursor=None)


def image_url(card_id: str) -> str:
    # Relative on purpose: the page may be served under another host name than ECE_DOMAIN, and
    # the CSP only allows images from the page's own origin.
    return f"/api/v1/cards/{card_id}/image.svg"


@dataclass(frozen=True)
class CardTile:
    """A card as a tile: art, name, rarity, status and its listing price if listed."""

    id: str
    name: str
    serial: str
    rarity: str
    ticker: str
    status: str
    price: str | None
    currency: str | None
    image_url: str

    @classmethod
    def of(cls, card: Card) -> CardTile:
        price = currency = None
        if card.list_price is not None and card.list_asset in ("ECE", "USDC"):
            asset = Asset(str(card.list_asset))
            price, currency = format_amount(card.list_price, asset), asset.value
        return cls(
            id=card.id,
            name=card.name,
            serial=card.serial,
            rarity=card.rarity,
            ticker=card.company.ticker,
            status=card.status.value,
            price=price,
            currency=currency,
            image_url=image_url(card.id),
        )


@dataclass(frozen=True)
class FeedRow:
    """One line of market activity with the names a reader needs."""

    item: ActivityOut
    card_name: str | None
    ticker: str | None
    serial: str | None = None
    from_address: str | None = None  # the seller, lister, bidder or sender (a user)
    to_address: str | None = None  # the buyer or receiver (a user)


async def companies_by_id(session: AsyncSession) -> dict[str, Company]:
    found, _ = await cards.list_companies(session, ALL_COMPANIES, sector=None, q=None)
    return {c.id: c for c in found}


async def feed_rows(session: AsyncSession, items: Sequence[marketdata.Activity]) -> list[FeedRow]:
    card_ids = list({c for i in items for c in [i.card_id, *i.card_ids] if c})
    found = {c.id: c for c in await cards.cards_by_id(session, card_ids)}
    tickers = {cid: c.ticker for cid, c in (await companies_by_id(session)).items()}
    users = {u for i in items for u in (i.from_user_id, i.to_user_id) if u}
    addresses = await auth.addresses(session, users)
    rows = []
    for item in items:
        card_id = item.card_id or (item.card_ids[0] if item.card_ids else None)
        card = found.get(card_id) if card_id else None
        rows.append(
            FeedRow(
                item=ActivityOut.of(item),
                card_name=card.name if card else None,
                ticker=tickers.get(item.company_id or ""),
                serial=card.serial if card else None,
                from_address=addresses.get(item.from_user_id or ""),
                to_address=addresses.get(item.to_user_id or ""),
            )
        )
    return rows


# --- home -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class HomePage:
    top: list[CompanySummaryOut]
    sales: list[FeedRow]
    new_listings: list[ListingOut]
    legendary: list[CardTile]


async def home(session: AsyncSession, viewer: User | None) -> HomePage:
    top = await marketdata.summary(session, Asset.USDC, 8)
    sales, _ = await marketdata.activity(
        session, marketdata.ActivityFilters(type=marketdata.ActivityType.sale), PageParams(8, None)
    )
    newest, _ = await market.list_listings(
        session, ListingFilters(sort=ListingSort.newest), PageParams(8, None), viewer
    )
    legendary, _ = await cards.list_cards(
        session,
        cards.CardFilters(rarity=Rarity.LEGENDARY, sort=cards.CardSort.power),
        PageParams(6, None),
    )
    return HomePage(
        top=[CompanySummaryOut.of(row) for row in top],
        sales=await feed_rows(session, sales),
        new_listings=[ListingOut.of(v) for v in newest],
        legendary=[CardTile.of(c) for c in legendary],
    )


# --- all companies ----------------------------------------------------------------------------

COMPANY_SORTS = ("volume", "floor", "change", "name")


@dataclass(frozen=True)
class CompanyRow:
    company: Company
    stats: CompanyStatsOut
    # Sort keys in the page's currency (None: nothing to sort by, listed last).
    volume: int
    floor: int | None
    change: float | None


@dataclass(frozen=True)
class CompaniesPage:
    rows: list[CompanyRow]
    sort: str
    currency: str


def _sort_companies(rows: list[CompanyRow], sort: str) -> list[CompanyRow]:
    if sort == "name":
        return sorted(rows, key=lambda r: r.company.name)
    if sort == "floor":  # cheapest first; no listing last
        return sorted(rows, key=lambda r: (r.floor is None, r.floor or 0, r.company.name))
    if sort == "change":  # biggest rise first; no price a day ago last
        return sorted(rows, key=lambda r: (r.change is None, -(r.change or 0), r.company.name))
    return sorted(rows, key=lambda r: (-r.volume, r.company.name))


async def companies_page(session: AsyncSession, sort: str, currency: str) -> CompaniesPage:
    """Every company with its floor, volumes, 24 h change, holders and listings, sorted by
    7 d volume, floor, change or name, in one currency (amounts are never added across)."""
    asset = Asset(currency) if currency in Asset.__members__ else Asset.USDC
    sort = sort if sort in COMPANY_SORTS else "volume"
    rows = []
    for found in (await companies_by_id(session)).values():
        stats = await marketdata.company_stats(session, found.id)
        change = stats.change_24h.get(asset)
        rows.append(
            CompanyRow(
                company=found,
                stats=CompanyStatsOut.of(stats),
                volume=stats.volume_7d.get(asset, 0),
                floor=stats.floor.get(asset),
                change=float(change) if change is not None else None,
            )
        )
    return CompaniesPage(_sort_companies(rows, sort), sort, asset.value)


# --- explore ----------------------------------------------------------------------------------

CATALOG_SORTS = {s.value for s in cards.CardSort}
# A price range is answered from listings, whose sorts differ; the nearest one stands in.
LISTING_SORT_OF = {
    "price_asc": ListingSort.price_asc,
    "price_desc": ListingSort.price_desc,
    "newest": ListingSort.newest,
}


@dataclass
class ExploreQuery:
    q: str = ""
    company: str = ""
    sector: str = ""
    rarity: str = ""
    listed: bool = False
    currency: str = "USDC"
    min_price: str = ""
    max_price: str = ""
    sort: str = "newest"
    cursor: str | None = None
    # Attribute ranges as typed: "min_power" -> "40" (0 to 100, inclusive).
    stats: dict[str, str] = field(default_factory=dict)
    errors: dict[str, str] = field(default_factory=dict)

    def stat_bounds(self) -> dict[str, Any]:
        """The attribute bounds given (``CardFilters``' ``min_power``... fields, as numbers); a
        bad one is noted in ``errors``."""
        bounds: dict[str, Any] = {}
        for name, text in self.stats.items():
            if not text:
                continue
            if not text.isdigit() or not 0 <= int(text) <= 100:
                self.errors[name] = "A whole number from 0 to 100."
                continue
            bounds[name] = int(text)
        return bounds

    def cleaned(self) -> ExploreQuery:
        """Unknown choices fall back to "any", so a hand-edited URL still shows a page."""
        self.rarity = self.rarity if self.rarity in {r.value for r in Rarity} else ""
        self.sort = self.sort if self.sort in CATALOG_SORTS else "newest"
        self.currency = self.currency if self.currency in Asset.__members__ else "USDC"
        return self


@dataclass(frozen=True)
class ExplorePage:
    query: ExploreQuery
    tiles: list[CardTile]
    next_cursor: str | None
    companies: list[Company]
    sectors: list[str]
    by_price: bool  # answered from listings (a price range was given)
    # Catalog counts beside the filters: facet -> value -> cards (empty when by price).
    counts: dict[str, dict[str, int]] = field(default_factory=dict)
    total: int | None = None
    total_estimate: int | None = None


def _price_bound(query: ExploreQuery, name: str) -> int | None:
    text: str = getattr(query, name)
    if not text:
        return None
    try:
        return parse_amount(text, Asset(query.currency), allow_zero=True)
    except InvalidAmount as exc:
        query.errors[name] = str(exc)
        return None


STAT_FIELDS = [f"{edge}_{stat}" for stat in cards.STAT_NAMES for edge in ("min", "max")]
EXPLORE_FACETS = {cards.Facet.company, cards.Facet.sector, cards.Facet.rarity, cards.Facet.listed}


async def explore(session: AsyncSession, query: ExploreQuery, viewer: User | None) -> ExplorePage:
    query.cleaned()
    every = list((await companies_by_id(session)).values())
    sectors = sorted({c.sector for c in every})
    shown = [c for c in every if not query.sector or c.sector == query.sector]
    params = PageParams(PAGE_SIZE, query.cursor)
    low, high = _price_bound(query, "min_price"), _price_bound(query, "max_price")
    by_price = low is not None or high is not None
    stat_bounds = query.stat_bounds()
    if query.errors:
        return ExplorePage(query, [], None, shown, sectors, by_price)
    if by_price:
        views, cursor = await market.list_listings(
            session,
            ListingFilters(
                company=query.company or None,
                rarity=query.rarity or None,
                currency=Asset(query.currency),
                min_price=low,
                max_price=high,
                sort=LISTING_SORT_OF.get(query.sort, ListingSort.price_asc),
            ),
            params,
            viewer,
        )
        found = await cards.cards_by_id(session, [v.listing.card_id for v in views])
        return ExplorePage(query, [CardTile.of(c) for c in found], cursor, shown, sectors, True)
    filters = cards.CardFilters(
        company=query.company or None,
        rarity=Rarity(query.rarity) if query.rarity else None,
        q=query.q or None,
        sector=query.sector or None,
        status=CardStatus.listed if query.listed else None,
        sort=cards.CardSort(query.sort),
        **stat_bounds,
    )
    found, cursor = await cards.list_cards(session, filters, params)
    counted = await cards.catalog_facets(session, filters, EXPLORE_FACETS)
    counts = {
        facet.value: {bucket.value: bucket.count for bucket in buckets}
        for facet, buckets in counted.buckets.items()
    }
    tiles = [CardTile.of(c) for c in found]
    return ExplorePage(
        query, tiles, cursor, shown, sectors, False, counts, counted.total, counted.total_estimate
    )


# --- company ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class CompanyPage:
    company: CompanyOut
    stats: CompanyStatsOut
    currency: str  # of the price chart, drawn in the browser from the candles API
    tiles: list[CardTile]
    listings: list[ListingOut]
    best_offers: list[OfferOut]


async def company(
    session: AsyncSession, id_or_ticker: str, currency: str, viewer: User | None
) -> CompanyPage:
    found = await cards.get_company(session, id_or_ticker)
    asset = Asset(currency) if currency in Asset.__members__ else Asset.USDC
    stats = await marketdata.company_stats(session, found.id)
    tiles, _ = await cards.list_cards(
        session,
        cards.CardFilters(company=found.id, sort=cards.CardSort.price_asc),
        PageParams(PAGE_SIZE, None),
    )
    open_listings, _ = await market.list_listings(
        session, ListingFilters(company=found.id), PageParams(10, None), viewer
    )
    best = await market.best_offers(session, company_id=found.id)
    return CompanyPage(
        company=CompanyOut.of(found),
        stats=CompanyStatsOut.of(stats),
        currency=asset.value,
        tiles=[CardTile.of(c) for c in tiles],
        listings=[ListingOut.of(v) for v in open_listings],
        best_offers=[OfferOut.of(v) for v in best],
    )


# --- card -------------------------------------------------------------------------------------


EVENT_LABELS = {
    ("sale", "sale"): "Sale",
    ("listing", "listing"): "Listed",
    ("cancel", "listing"): "Listing ended",
    ("offer", "offer"): "Offer",
    ("cancel", "offer"): "Offer ended",
    ("price_change", "listing"): "Price changed",
    ("transfer", "card_event"): "Transfer",
}
CARD_HISTORY = 50


@dataclass(frozen=True)
class HistoryRow:
    """One line of a card's history: a listing, a price change, an offer, a sale, a transfer."""

    event: str
    row: FeedRow
    at: datetime


def card_history_rows(rows: Sequence[FeedRow]) -> list[HistoryRow]:
    """The card's market activity, newest first: listings, every price change of them (old
    and new price), offers, sales, cancellations and transfers."""
    out = []
    for r in rows:
        label = EVENT_LABELS.get((r.item.type, r.item.subject), r.item.type.capitalize())
        if r.item.type == "transfer" and r.item.source:
            label = f"Transfer ({r.item.source.replace('_', ' ')})"
        out.append(HistoryRow(label, r, r.item.at))
    return out


def sale_points(history: Sequence[CardEventOut], currency: str) -> list[tuple[str, str]]:
    """The card's sales in ``currency`` for its price chart: (ISO time, price), oldest first."""
    return [
        (e.at.isoformat(), e.price.price)
        for e in sorted(history, key=lambda e: e.at)
        if e.kind == "sale" and e.price is not None and e.price.currency == currency
    ]


@dataclass(frozen=True)
class CardPage:
    card: CardOut
    tile: CardTile
    listing: ListingOut | None
    history: list[HistoryRow]
    chart_currency: str
    chart_points: list[tuple[str, str]]
    offers: list[OfferOut]
    mine: bool  # the viewer owns it
    auction_id: str | None  # the auction it is in, if any
    can_buy: bool
    can_trade: bool  # its owner is a user the viewer may propose a trade to
    floor: str  # the company's lowest live listing per currency ("12.5 USDC · 30 ECE"), or ""
    listing_days: int  # how long a new listing stays open
    offer_days: int  # how long a new offer stays open (its amount held until then)


async def card(
    session: AsyncSession,
    card_id: str,
    base_url: str,
    viewer: User | None,
    listing_ttl_seconds: int,
    offer_ttl_seconds: int,
) -> CardPage:
    found = await cards.get_card(session, card_id)
    floors = (await marketdata.floors(session, [found.company_id])).get(found.company_id, {})
    out = CardOut.of(found, base_url, await cards.wallets_of_owners(session, [found]))
    active, _ = await market.list_listings(
        session, ListingFilters(card_id=card_id), PageParams(1, None), viewer
    )
    listing = ListingOut.of(active[0]) if active else None
    events, _ = await cards.card_history(session, card_id, PageParams(CARD_HISTORY, None))
    wallets = await cards.wallets_in_history(session, events)
    history = [CardEventOut.of(e, wallets) for e in events]
    feed, _ = await marketdata.activity(
        session, marketdata.ActivityFilters(card_id=card_id), PageParams(CARD_HISTORY, None)
    )
    chart_currency = listing.currency.value if listing else (found.last_sale_asset or "USDC")
    card_offers, _ = await market.list_offers(
        session, OfferFilters(card_id=card_id), PageParams(20, None), viewer
    )
    mine = viewer is not None and found.owner_user_id == viewer.id
    return CardPage(
        card=out,
        tile=CardTile.of(found),
        listing=listing,
        history=card_history_rows(await feed_rows(session, feed)),
        chart_currency=chart_currency,
        chart_points=sale_points(history, chart_currency),
        offers=[OfferOut.of(v) for v in card_offers],
        mine=mine,
        auction_id=found.lock_ref if found.status is CardStatus.in_auction else None,
        can_buy=listing is not None and not mine,
        can_trade=viewer is not None and not mine and found.owner_user_id is not None,
        floor=" · ".join(f"{format_amount(p, a)} {a.value}" for a, p in sorted(floors.items())),
        listing_days=listing_ttl_seconds // 86_400,
        offer_days=offer_ttl_seconds // 86_400,
    )


# --- auctions ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class AuctionsPage:
    """The auctions page's filters; the auctions themselves are read in the browser from the
    JSON API, which keeps them fresh while the page is open."""

    companies: list[Company]
    company: str
    currency: str


async def auctions_page(session: AsyncSession, company: str, currency: str) -> AuctionsPage:
    every = sorted((await companies_by_id(session)).values(), key=lambda c: c.name)
    known = {c.id for c in every}
    return AuctionsPage(
        companies=every,
        company=company if company in known else "",
        currency=currency if currency in Asset.__members__ else "",
    )


# --- activity ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class ActivityPage:
    rows: list[FeedRow]
    next_cursor: str | None
    type: str
    company: str
    companies: list[Company]


async def activity(
    session: AsyncSession, type_: str, company_id: str, cursor: str | None
) -> ActivityPage:
    kind = marketdata.ActivityType(type_) if type_ in marketdata.ActivityType.__members__ else None
    every = list((await companies_by_id(session)).values())
    if company_id and company_id not in {c.id for c in every}:
        raise NotFound("No such company.", code="company_not_found")
    items, next_cursor = await marketdata.activity(
        session,
        marketdata.ActivityFilters(type=kind, company_id=company_id or None),
        PageParams(30, cursor),
    )
    return ActivityPage(
        rows=await feed_rows(session, items),
        next_cursor=next_cursor,
        type=kind.value if kind else "",
        company=company_id,
        companies=every,
    )
