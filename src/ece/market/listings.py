"""Listings: a card offered at a fixed price, locked while listed, bought in one transaction.

A listing is bought with one conditional ``UPDATE ... WHERE status = 'active' AND expires_at >
now ... RETURNING`` (which also takes its row lock), so of any number of simultaneous buyers
exactly one wins and the rest get 409 ``listing_unavailable``. An expired listing is never shown
nor bought, even before the expiry job releases its card.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum
from typing import Any, NoReturn

from solders.pubkey import Pubkey
from sqlalchemy import (
    ColumnElement,
    CursorResult,
    Executable,
    Row,
    Select,
    and_,
    or_,
    select,
    update,
)
from sqlalchemy.ext.asyncio import AsyncSession

from ece.auth.models import Role, User
from ece.cards import service as cards
from ece.cards.models import Card, Company, LockKind
from ece.cards.service import CardOwner, OwnerKind
from ece.chain.wallets import can_be_wallet
from ece.config import Settings
from ece.core.clock import seen_status, utcnow
from ece.core.errors import Conflict, Forbidden, NotFound, Unprocessable
from ece.core.money import MAX_AMOUNT, Asset, InvalidAmount, format_amount, parse_amount
from ece.core.outbox import emit
from ece.core.pagination import PageParams, SortKey, paginate
from ece.market.models import (
    Listing,
    ListingStatus,
    active_listing_filter,
    public_listing_filter,
)
from ece.settlement.service import SaleSource, Trade, addresses, settle_sale

__all__ = [
    "ListingFilters",
    "ListingSort",
    "ListingView",
    "active_listing_filter",
    "buy_listing",
    "cancel_listing",
    "create_listing",
    "expire_listing",
    "get_listing",
    "list_listings",
    "public_listing_filter",
    "update_listing",
    "visible_to",
]


# NOTIFY channel of the transactions that change what a listing page shows (migration 0008).
LISTINGS_CHANNEL = "ece_listings"


class ListingSort(StrEnum):
    price_asc = "price_asc"
    price_desc = "price_desc"
    newest = "newest"
    ending = "ending"  # soonest expiry first


@dataclass(frozen=True, slots=True)
class ListingFilters:
    company: str | None = None  # id or ticker
    rarity: str | None = None
    currency: Asset | None = None
    min_price: int | None = None  # base units of ``currency``
    max_price: int | None = None
    card_id: str | None = None
    sort: ListingSort = ListingSort.price_asc


@dataclass(frozen=True, slots=True)
class ListingView:
    listing: Listing
    card_name: str
    seller_address: str | None  # None for a company's issuer inventory

    @property
    def status(self) -> ListingStatus:
        """What a buyer sees: an active listing past its expiry is expired already."""
        return effective_status(self.listing)


def effective_status(listing: Listing, now: datetime | None = None) -> ListingStatus:
    return seen_status(ListingStatus, listing.status, listing.expires_at, now)


def parse_price(text: str, currency: Asset) -> int:
    """A decimal price in ``currency``; 422 ``invalid_amount`` (too many decimals, zero...)."""
    try:
        return parse_amount(text, currency)
    except InvalidAmount as exc:
        raise Unprocessable(str(exc), code="invalid_amount") from exc


async def rowcount(session: AsyncSession, stmt: Executable) -> int:
    result = await session.execute(stmt)
    assert isinstance(result, CursorResult)
    return int(result.rowcount)


def seller_for(card: Card, user: User) -> CardOwner:
    """Who sells ``card`` when ``user`` acts: its owner, or an admin for the issuer inventory
    (a primary sale). 403 ``not_card_owner`` otherwise."""
    owner = CardOwner.of(card)
    if owner.kind is OwnerKind.user and owner.id == user.id:
        return owner
    if owner.kind is OwnerKind.issuer and user.has_role(Role.admin):
        return owner
    raise Forbidden("You do not own this card.", code="not_card_owner")


def _may_act_for(listing: Listing, user: User) -> bool:
    if listing.seller_kind == OwnerKind.user.value:
        return listing.seller_id == user.id
    return user.has_role(Role.admin)


def visible_to(listing: Listing, viewer: User | None) -> bool:
    """A private listing exists only for its seller and its taker: to anyone else (anonymous
    included) it is ``listing_not_found``, on every route, like a listing that never was."""
    if listing.taker_address is None:
        return True
    return viewer is not None and (
        viewer.address == listing.taker_address or _may_act_for(listing, viewer)
    )


def _hidden_unless_visible(listing: Listing, viewer: User | None) -> None:
    if not visible_to(listing, viewer):
        raise NotFound("No such listing.", code="listing_not_found")


def check_expiry(expires_at: datetime | None, default: int, maximum: int) -> datetime:
    """The expiry to store: the default when none is given; 422 ``invalid_expiry`` when it is
    not in the future or beyond the maximum lifetime."""
    now = utcnow()
    if expires_at is None:
        return now + timedelta(seconds=min(default, maximum))
    if expires_at.tzinfo is None:
        raise Unprocessable("expires_at needs a time zone.", code="invalid_expiry")
    if expires_at <= now:
        raise Unprocessable("expires_at must be in the future.", code="invalid_expiry")
    if expires_at > now + timedelta(seconds=maximum):
        raise Unprocessable(
            f"expires_at is at most {maximum // 86400} days ahead.", code="invalid_expiry"
        )
    return expires_at


async def load_card(session: AsyncSession, card_id: str) -> Card:
    # populate_existing: ownership and lock columns change by conditional UPDATEs.
    card = await session.scalar(
        select(Card).where(Card.id == card_id).execution_options(populate_existing=True)
    )
    if card is None:
        raise NotFound("No such card.", code="card_not_found")
    return card


async def _show_price(session: AsyncSession, card_id: str, listing: Listing | None) -> None:
    """Keep the card's ``list_price`` (the catalog sorts by it, tiles show it) equal to its open
    public listing: a private listing's price is no one else's business."""
    if listing is not None and listing.taker_address is not None:
        listing = None
    await session.execute(
        update(Card)
        .where(Card.id == card_id)
        .values(
            list_price=listing.price if listing else None,
            list_asset=listing.currency if listing else None,
        )
        .execution_options(synchronize_session=False)
    )


async def _locked_listing(session: AsyncSession, listing_id: str) -> Listing:
    """The listing row, locked until the transaction ends (PostgreSQL; SQLite writers are
    serialized already): the first lock every listing change takes."""
    listing = await session.scalar(
        select(Listing)
        .where(Listing.id == listing_id)
        .with_for_update()
        .execution_options(populate_existing=True)
    )
    if listing is None:
        raise NotFound("No such listing.", code="listing_not_found")
    return listing


async def _close(session: AsyncSession, listing: Listing, status: ListingStatus) -> bool:
    """Move an active listing to ``status``; False when another transaction closed it first."""
    won = await rowcount(
        session,
        update(Listing)
        .where(Listing.id == listing.id, Listing.status == ListingStatus.active.value)
        .values(status=status.value, closed_at=utcnow(), updated_at=utcnow())
        .execution_options(synchronize_session=False),
    )
    if won == 1:
        listing.status = status.value
    return won == 1


async def expire_listing(session: AsyncSession, listing: Listing) -> bool:
    """Tidy an active listing past its expiry: release its card. False if nothing to do."""
    # Only a listing still marked active can be past its expiry (effective status "expired").
    if effective_status(listing) is not ListingStatus.expired or listing.status != "active":
        return False
    if not await _close(session, listing, ListingStatus.expired):
        return False
    await cards.unlock_card(session, listing.card_id, LockKind.listing, listing.id)
    await _show_price(session, listing.card_id, None)
    await emit(session, "listing.expired", listing.id, card_id=listing.card_id)
    return True


async def release_stale_listing(session: AsyncSession, card: Card) -> None:
    """If ``card`` is still locked by a listing that has expired, tidy it now, so the owner can
    list again or accept an offer without waiting for the expiry job."""
    if card.lock_kind != LockKind.listing.value or card.lock_ref is None:
        return
    listing = await _locked_listing(session, card.lock_ref)
    if await expire_listing(session, listing):
        await session.refresh(card)


def _viewed() -> Select[Listing, str, str | None]:
    """Listings with their card names and seller wallets (none for issuer inventory), in one
    statement: what every ``ListingView`` is built from."""
    return (
        select(Listing, Card.name, User.address)
        .join(Card, Card.id == Listing.card_id)
        .outerjoin(
            User,
            and_(Listing.seller_kind == OwnerKind.user.value, User.id == Listing.seller_id),
        )
    )


async def _view(session: AsyncSession, listing_id: str) -> ListingView:
    row = (await session.execute(_viewed().where(Listing.id == listing_id))).one_or_none()
    if row is None:
        raise NotFound("No such listing.", code="listing_not_found")
    return ListingView(*row)


def _check_taker(taker_address: str, user: User, seller: CardOwner) -> None:
    """A private listing's taker must be someone else who can sign in: a program, a sysvar or
    an off-curve address never can, and the card would stay locked for nobody."""
    if taker_address == user.address and seller.user_id:
        raise Unprocessable("A private listing is for someone else.", code="invalid_taker")
    try:
        taker = Pubkey.from_string(taker_address)
    except ValueError as exc:
        raise Unprocessable("The taker is not a Solana address.", code="invalid_taker") from exc
    if not can_be_wallet(taker):
        raise Unprocessable(
            "The taker is a program, sysvar or program-derived address: nobody can sign in as it.",
            code="invalid_taker",
        )


async def create_listing(
    session: AsyncSession,
    settings: Settings,
    user: User,
    card_id: str,
    price: int,
    currency: Asset,
    expires_at: datetime | None,
    taker_address: str | None,
) -> ListingView:
    """List a card the caller owns (an admin lists issuer inventory: a primary sale).

    Locks the card (409 ``card_locked`` if it is in an auction, battle, another listing...).
    """
    expiry = check_expiry(
        expires_at, settings.listing_default_ttl_seconds, settings.listing_max_ttl_seconds
    )
    card = await load_card(session, card_id)
    seller = seller_for(card, user)
    if taker_address is not None:
        _check_taker(taker_address, user, seller)
    await release_stale_listing(session, card)
    listing = Listing(
        card_id=card.id,
        company_id=card.company_id,
        rarity=card.rarity,
        seller_kind=seller.kind.value,
        seller_id=seller.id,
        price=price,
        currency=currency.value,
        taker_address=taker_address,
        status=ListingStatus.active.value,
        expires_at=expiry,
    )
    session.add(listing)
    await session.flush()
    await cards.lock_card(session, card.id, seller, LockKind.listing, listing.id)
    await _show_price(session, card.id, listing)
    await emit(
        session,
        "listing.created",
        listing.id,
        card_id=card.id,
        company_id=card.company_id,
        price=format_amount(price, currency),
        currency=currency.value,
        expires_at=expiry.isoformat(),
        private=taker_address is not None,
    )
    return await _view(session, listing.id)


async def get_listing(session: AsyncSession, listing_id: str, viewer: User | None) -> ListingView:
    """One listing as ``viewer`` (None: anonymous) may see it: 404 ``listing_not_found`` for a
    private listing unless they are its seller or taker."""
    view = await _view(session, listing_id)
    _hidden_unless_visible(view.listing, viewer)
    return view


_SORTS: dict[ListingSort, list[tuple[Any, bool]]] = {
    # Prices only compare within a currency: ECE listings first, then USDC, each by price.
    ListingSort.price_asc: [(Listing.currency, False), (Listing.price, False), (Listing.id, False)],
    ListingSort.price_desc: [(Listing.currency, False), (Listing.price, True), (Listing.id, False)],
    ListingSort.newest: [(Listing.created_at, True), (Listing.id, True)],
    ListingSort.ending: [(Listing.expires_at, False), (Listing.id, False)],
}


async def list_listings(
    session: AsyncSession, filters: ListingFilters, params: PageParams, viewer: User | None
) -> tuple[list[ListingView], str | None]:
    """Active listings only (expired ones never show). Private listings show only to their
    seller and their taker."""
    visible: ColumnElement[bool] = public_listing_filter()
    if viewer is not None:
        visible = or_(
            visible,
            active_listing_filter()
            & or_(Listing.taker_address == viewer.address, Listing.seller_id == viewer.id),
        )
    stmt = _viewed().where(visible)
    if filters.company:
        company_id = (
            select(Company.id)
            .where(or_(Company.id == filters.company, Company.ticker == filters.company.upper()))
            .limit(1)
            .scalar_subquery()
        )
        stmt = stmt.where(Listing.company_id == company_id)
    if filters.rarity:
        stmt = stmt.where(Listing.rarity == filters.rarity)
    if filters.currency:
        stmt = stmt.where(Listing.currency == filters.currency.value)
    if filters.min_price is not None:
        stmt = stmt.where(Listing.price >= filters.min_price)
    if filters.max_price is not None:
        stmt = stmt.where(Listing.price <= filters.max_price)
    if filters.card_id:
        stmt = stmt.where(Listing.card_id == filters.card_id)
    columns = _SORTS[filters.sort]
    rows: list[Row[Listing, str, str | None]]
    rows, cursor = await paginate(
        session,
        stmt,
        [SortKey(column, descending) for column, descending in columns],
        params,
        lambda row: [getattr(row[0], column.key) for column, _ in columns],
        rows=True,
    )
    return [ListingView(listing, name, address) for listing, name, address in rows], cursor


async def update_listing(
    session: AsyncSession,
    settings: Settings,
    user: User,
    listing_id: str,
    price: str | None,
    expires_at: datetime | None,
) -> ListingView:
    """Change an active listing's price or expiry (its seller only). A buyer who named a
    ``max_price`` is protected from a raise made at the same moment."""
    listing = await _locked_listing(session, listing_id)
    _hidden_unless_visible(listing, user)
    if not _may_act_for(listing, user):
        raise Forbidden("This is not your listing.", code="not_listing_owner")
    if effective_status(listing) is not ListingStatus.active:
        raise Conflict("The listing is no longer active.", code="listing_unavailable")
    changes: dict[str, Any] = {}
    if price is not None:
        changes["price"] = parse_price(price, Asset(listing.currency))
    if expires_at is not None:
        changes["expires_at"] = check_expiry(
            expires_at, settings.listing_default_ttl_seconds, settings.listing_max_ttl_seconds
        )
    if not changes:
        return await _view(session, listing.id)
    for name, value in changes.items():
        setattr(listing, name, value)
    listing.updated_at = utcnow()
    await session.flush()
    await _show_price(session, listing.card_id, listing)
    await emit(
        session,
        "listing.updated",
        listing.id,
        card_id=listing.card_id,
        price=format_amount(listing.price, Asset(listing.currency)),
        currency=listing.currency,
        expires_at=listing.expires_at.isoformat(),
    )
    return await _view(session, listing.id)


async def cancel_listing(session: AsyncSession, user: User, listing_id: str) -> ListingView:
    """Cancel an active listing (its seller only) and release its card. A listing already past
    its expiry is tidied as expired instead."""
    listing = await _locked_listing(session, listing_id)
    _hidden_unless_visible(listing, user)
    if not _may_act_for(listing, user):
        raise Forbidden("This is not your listing.", code="not_listing_owner")
    if await expire_listing(session, listing):
        return await _view(session, listing.id)
    if not await _close(session, listing, ListingStatus.cancelled):
        raise Conflict("The listing is no longer active.", code="listing_unavailable")
    await cards.unlock_card(session, listing.card_id, LockKind.listing, listing.id)
    await _show_price(session, listing.card_id, None)
    await emit(session, "listing.cancelled", listing.id, card_id=listing.card_id)
    return await _view(session, listing.id)


async def cancel_listing_for_sale(session: AsyncSession, card: Card, seller: CardOwner) -> None:
    """The seller accepts an offer on a card they had listed: the listing ends with the sale.
    Any other lock (auction, battle...) is left alone and the sale will be refused."""
    if card.lock_kind != LockKind.listing.value or card.lock_ref is None:
        return
    listing = await _locked_listing(session, card.lock_ref)
    if listing.seller_kind != seller.kind.value or listing.seller_id != seller.id:
        return
    if not await expire_listing(session, listing):
        if not await _close(session, listing, ListingStatus.cancelled):
            return
        await cards.unlock_card(session, listing.card_id, LockKind.listing, listing.id)
        await emit(session, "listing.cancelled", listing.id, card_id=listing.card_id, reason="sold")
    await _show_price(session, listing.card_id, None)
    await session.refresh(card)


async def _why_not_bought(
    session: AsyncSession, user: User, listing_id: str, now: datetime, limit: int | None
) -> NoReturn:
    """Raise the reason a buy's conditional UPDATE matched nothing."""
    listing = await session.get(Listing, listing_id, populate_existing=True)
    if listing is None:
        raise NotFound("No such listing.", code="listing_not_found")
    _hidden_unless_visible(listing, user)
    if effective_status(listing, now) is not ListingStatus.active:
        raise Conflict("The listing is no longer available.", code="listing_unavailable")
    if listing.seller_kind == OwnerKind.user.value and listing.seller_id == user.id:
        raise Conflict("You cannot buy your own listing.", code="own_listing")
    if listing.taker_address is not None and listing.taker_address != user.address:
        # Only an admin acting for an issuer's private listing gets here.
        raise Forbidden("This listing is reserved for another buyer.", code="private_listing")
    if limit is not None and listing.price > limit:
        raise Conflict(
            "The listing's price is above your max_price.",
            code="price_above_max",
            price=format_amount(listing.price, Asset(listing.currency)),
        )
    # It changed between the UPDATE and this read: another buyer won it.
    raise Conflict("The listing is no longer available.", code="listing_unavailable")


async def buy_listing(
    session: AsyncSession,
    settings: Settings,
    user: User,
    listing_id: str,
    max_price: str | None,
    source: SaleSource = SaleSource.listing,
    *,
    limit: int | None = None,
) -> Trade:
    """Buy an active listing at its price, if it is at most ``max_price`` (a decimal string in
    the listing's currency) and ``limit`` (base units). 409 ``own_listing``,
    ``listing_unavailable``, ``price_above_max``, ``insufficient_funds``; 404
    ``listing_not_found`` (also for a private listing reserved for someone else).

    One conditional UPDATE both checks and takes the listing: it is what makes one buyer win
    (of any number at once, on either backend), and it refuses a price the buyer did not
    accept. Only when it matches nothing is the listing read, to say why.
    """
    now = utcnow()
    if max_price is not None:
        currency = await session.scalar(select(Listing.currency).where(Listing.id == listing_id))
        if currency is None:
            raise NotFound("No such listing.", code="listing_not_found")
        limit = min(limit or MAX_AMOUNT, parse_price(max_price, Asset(currency)))
    taken = update(Listing).where(
        Listing.id == listing_id,
        Listing.status == ListingStatus.active.value,
        Listing.expires_at > now,
        or_(Listing.seller_kind != OwnerKind.user.value, Listing.seller_id != user.id),
        or_(Listing.taker_address.is_(None), Listing.taker_address == user.address),
    )
    if limit is not None:
        taken = taken.where(Listing.price <= limit)
    listing = await session.scalar(
        taken.values(status=ListingStatus.filled.value, closed_at=now, updated_at=now)
        .returning(Listing)
        .execution_options(populate_existing=True)
    )
    if listing is None:
        await _why_not_bought(session, user, listing_id, now, limit)
    card = await load_card(session, listing.card_id)
    # Read before settle_sale: once the money moves, the transaction only commits.
    seller_address = (
        (await addresses(session, [listing.seller_id])).get(listing.seller_id)
        if listing.seller_kind == OwnerKind.user.value
        else None
    )
    sale = await settle_sale(
        session,
        card,
        user.id,
        listing.price,
        Asset(listing.currency),
        source,
        listing.id,
        fee_bps=settings.platform_fee_bps,
    )
    await emit(session, "listing.filled", listing.id, card_id=listing.card_id, sale_id=sale.id)
    return Trade(sale, seller_address, user.address)
