"""Reading listings: one listing or a page of them, as the caller may see them (a private
listing exists only for its seller and its taker), and who the caller is to the rules."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from sqlalchemy import ColumnElement, or_
from sqlalchemy.ext.asyncio import AsyncSession

from ece.auth import service as auth
from ece.auth.service import User
from ece.cards import service as cards
from ece.core.money import Asset
from ece.core.pagination import PageParams
from ece.market import repository, rules
from ece.market.models import Listing, ListingStatus, active_listing_filter, public_listing_filter
from ece.market.rules import Actor


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
        return rules.listing_status(self.listing)


def actor(user: User) -> Actor:
    return Actor(user.id, user.address, auth.is_admin(user))


def viewer_of(user: User | None) -> Actor | None:
    return None if user is None else actor(user)


def visible_to(listing: Listing, viewer: User | None) -> bool:
    return rules.visible_to(listing, viewer_of(viewer))


async def view(session: AsyncSession, listing_id: str) -> ListingView:
    row = await repository.viewed_listing(session, listing_id)
    if row is None:
        raise rules.listing_not_found()
    return ListingView(*row)


async def get_listing(session: AsyncSession, listing_id: str, viewer: User | None) -> ListingView:
    """One listing as ``viewer`` (None: anonymous) may see it: 404 ``listing_not_found`` for a
    private listing unless they are its seller or taker."""
    found = await view(session, listing_id)
    if not visible_to(found.listing, viewer):
        raise rules.listing_not_found()
    return found


def _conditions(filters: ListingFilters, viewer: User | None) -> list[ColumnElement[bool]]:
    visible: ColumnElement[bool] = public_listing_filter()
    if viewer is not None:
        visible = or_(
            visible,
            active_listing_filter()
            & or_(Listing.taker_address == viewer.address, Listing.seller_id == viewer.id),
        )
    conditions = [visible]
    if filters.company:
        conditions.append(Listing.company_id == cards.company_id_of(filters.company))
    if filters.rarity:
        conditions.append(Listing.rarity == filters.rarity)
    if filters.currency:
        conditions.append(Listing.currency == filters.currency.value)
    if filters.min_price is not None:
        conditions.append(Listing.price >= filters.min_price)
    if filters.max_price is not None:
        conditions.append(Listing.price <= filters.max_price)
    if filters.card_id:
        conditions.append(Listing.card_id == filters.card_id)
    return conditions


async def list_listings(
    session: AsyncSession, filters: ListingFilters, params: PageParams, viewer: User | None
) -> tuple[list[ListingView], str | None]:
    """Active listings only (expired ones never show). Private listings show only to their
    seller and their taker."""
    rows, cursor = await repository.listing_page(
        session, _conditions(filters, viewer), filters.sort.value, params
    )
    return [ListingView(listing, name, address) for listing, name, address in rows], cursor
