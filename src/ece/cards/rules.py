"""The cards domain's decisions, with no I/O: who owns a card, what state it is in, why it cannot
be locked or moved, editions and serials, and the catalog's query vocabulary.

The repository's conditional UPDATEs pre-filter with the same conditions (``can_lock``,
``can_move``) so that of two racing writers exactly one wins; when an UPDATE matches nothing, the
reason given to the caller comes from ``why_not`` here (tests/cards/test_rules_sql.py pins the
SQL and these rules together).
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from typing import Final, Protocol

from ece.core.errors import Conflict, DomainError, Forbidden, Unprocessable
from ece.core.money import MAX_AMOUNT, Asset

# --- vocabulary -------------------------------------------------------------------------------


class Rarity(StrEnum):
    COMMON = "common"
    RARE = "rare"
    EPIC = "epic"
    LEGENDARY = "legendary"


class LockKind(StrEnum):
    listing = "listing"
    auction = "auction"
    trade = "trade"
    battle = "battle"
    withdrawal = "withdrawal"


class CardStatus(StrEnum):
    available = "available"
    listed = "listed"
    in_auction = "in_auction"
    in_trade = "in_trade"
    in_battle = "in_battle"
    withdrawn = "withdrawn"


class CardEventKind(StrEnum):
    mint = "mint"
    transfer = "transfer"
    sale = "sale"
    withdraw = "withdraw"
    deposit = "deposit"


class OwnerKind(StrEnum):
    user = "user"
    issuer = "issuer"  # the company's own inventory of cards not yet sold


# A withdrawal in flight already shows as withdrawn: the card is leaving the platform.
STATUS_OF_LOCK: Final[Mapping[LockKind, CardStatus]] = {
    LockKind.listing: CardStatus.listed,
    LockKind.auction: CardStatus.in_auction,
    LockKind.trade: CardStatus.in_trade,
    LockKind.battle: CardStatus.in_battle,
    LockKind.withdrawal: CardStatus.withdrawn,
}


class CardState(Protocol):
    """The columns of a card the ownership rules read (a ``Card`` row, or a test's stand-in)."""

    @property
    def owner_user_id(self) -> str | None: ...
    @property
    def owner_company_id(self) -> str | None: ...
    @property
    def lock_kind(self) -> str | None: ...
    @property
    def lock_ref(self) -> str | None: ...
    @property
    def withdrawn_at(self) -> datetime | None: ...


@dataclass(frozen=True, slots=True)
class CardHolding:
    """Who holds a card and whether it can move: its row as it is now (for other domains'
    checks, e.g. a trade offer's wanted cards)."""

    id: str
    company_id: str
    owner_user_id: str | None
    withdrawn_at: datetime | None
    lock_kind: str | None


@dataclass(frozen=True, slots=True)
class HeldCard:
    """A card a user holds on the platform, with the prices a portfolio values it by."""

    id: str
    name: str
    company_id: str
    rarity: str
    serial_number: int
    edition_size: int
    list_price: int | None
    list_asset: str | None
    last_sale_price: int | None
    last_sale_asset: str | None


@dataclass(frozen=True, slots=True)
class CardMove:
    """A card history row that brings a card to a user (``to_user_id``) or takes it away."""

    id: int
    card_id: str
    from_user_id: str | None
    to_user_id: str | None
    price: int | None
    currency: str | None
    reason: str
    ref: str | None
    value_hint: int | None
    value_asset: str | None
    created_at: datetime


@dataclass(frozen=True, slots=True)
class CardOwner:
    kind: OwnerKind
    id: str

    @classmethod
    def user(cls, user_id: str) -> CardOwner:
        return cls(OwnerKind.user, user_id)

    @classmethod
    def issuer(cls, company_id: str) -> CardOwner:
        return cls(OwnerKind.issuer, company_id)

    @classmethod
    def of(cls, card: CardState) -> CardOwner:
        if card.owner_user_id is not None:
            return cls.user(card.owner_user_id)
        assert card.owner_company_id is not None  # CHECK exactly_one_owner
        return cls.issuer(card.owner_company_id)

    @property
    def user_id(self) -> str | None:
        return self.id if self.kind is OwnerKind.user else None

    @property
    def company_id(self) -> str | None:
        return self.id if self.kind is OwnerKind.issuer else None


@dataclass(frozen=True, slots=True)
class Price:
    amount: int  # base units of ``asset``
    asset: Asset


@dataclass(frozen=True, slots=True)
class CardLock:
    card_id: str
    kind: LockKind
    ref: str


# --- status and custody decisions -------------------------------------------------------------


def status_of(lock_kind: str | None, withdrawn_at: datetime | None) -> CardStatus:
    """What the catalog shows for a card (the SQL twin is ``catalog_repository.status_is``)."""
    if withdrawn_at is not None:
        return CardStatus.withdrawn
    if lock_kind is not None:
        return STATUS_OF_LOCK[LockKind(lock_kind)]
    return CardStatus.available


def can_lock(card: CardState, owner: CardOwner) -> bool:
    """An on-platform card of ``owner`` that carries no lock (``repository.lock_if_free``)."""
    return card.withdrawn_at is None and CardOwner.of(card) == owner and card.lock_kind is None


def can_move(card: CardState, owner: CardOwner, ref: str) -> bool:
    """A card of ``owner`` moves when free, or when ``ref`` holds its lock (``repository.move``)."""
    return (
        card.withdrawn_at is None
        and CardOwner.of(card) == owner
        and (card.lock_kind is None or card.lock_ref == ref)
    )


def why_not(card: CardState, owner: CardOwner | None) -> DomainError:
    """The error that explains why a lock or move of ``card`` for ``owner`` was refused."""
    if card.withdrawn_at is not None:
        return Conflict("The card has been withdrawn from the platform.", code="card_unavailable")
    if owner is not None and CardOwner.of(card) != owner:
        return Forbidden("You do not own this card.", code="not_card_owner")
    if card.lock_kind is not None:
        return Conflict(
            f"The card is locked by a {card.lock_kind}.", code="card_locked", lock=card.lock_kind
        )
    return Conflict("The card cannot be changed right now.", code="card_unavailable")


def lock_not_held(kind: LockKind) -> Conflict:
    return Conflict(f"This {kind.value} does not hold the card's lock.", code="lock_not_held")


def check_lock_ref(ref: str) -> None:
    if not 1 <= len(ref) <= 64:
        raise Unprocessable("A lock reference is 1 to 64 characters.", code="invalid_lock_ref")


def check_transfer(
    from_owner: CardOwner, to_owner: CardOwner, reason: str, ref: str, price: Price | None
) -> None:
    """422 ``invalid_transfer`` (or ``invalid_lock_ref``) for a move that can never be valid."""
    check_lock_ref(ref)
    if from_owner == to_owner:
        raise Unprocessable("A card cannot be transferred to its owner.", code="invalid_transfer")
    if not 1 <= len(reason) <= 32:
        raise Unprocessable("A transfer reason is 1 to 32 characters.", code="invalid_transfer")
    if price is not None and not 0 <= price.amount <= MAX_AMOUNT:
        raise Unprocessable("The price is out of range.", code="invalid_transfer")


def moved_event_kind(price: Price | None) -> CardEventKind:
    """A move that carries a price is a sale; without one, a transfer."""
    return CardEventKind.sale if price is not None else CardEventKind.transfer


# --- editions, metadata and companies -----------------------------------------------------------

# Serials are per company and rarity, out of a fixed edition size: "#7/50" is the 7th epic.
EDITION_SIZES: Final[Mapping[Rarity, int]] = {
    Rarity.COMMON: 1000,
    Rarity.RARE: 250,
    Rarity.EPIC: 50,
    Rarity.LEGENDARY: 10,
}


def serial_label(serial_number: int, edition_size: int) -> str:
    return f"#{serial_number}/{edition_size}"


def check_serial(serial_number: int, rarity: Rarity, ticker: str) -> None:
    """409 ``edition_sold_out`` once a rarity's edition of a company is used up."""
    if serial_number > EDITION_SIZES[rarity]:
        raise Conflict(
            f"Not enough {rarity.value} cards left in the edition of {ticker} "
            f"({EDITION_SIZES[rarity]}).",
            code="edition_sold_out",
        )


def default_description(card_name: str, rarity: Rarity, company_name: str, ticker: str) -> str:
    return f"{card_name}: a {rarity.value} card of {company_name} ({ticker})."


# The five stats every card carries, in the order they are shown.
STAT_NAMES: Final = ("power", "valuation", "growth", "innovation", "influence")
STAT_MIN: Final = 0
STAT_MAX: Final = 100


def checked_stats(stats: Mapping[str, int]) -> dict[str, int]:
    """The five card stats in display order; ValueError unless each is an int in 0..100."""
    if set(stats) != set(STAT_NAMES):
        raise ValueError(f"card stats must be exactly {', '.join(STAT_NAMES)}")
    for name in STAT_NAMES:
        value = stats[name]
        # bool is an int subclass; True is not a stat.
        if type(value) is not int or not STAT_MIN <= value <= STAT_MAX:
            raise ValueError(f"stat {name} must be an integer from {STAT_MIN} to {STAT_MAX}")
    return {name: stats[name] for name in STAT_NAMES}


def default_color(ticker: str) -> str:
    """A stable colour from the ticker, mid-bright so both black and white text can read on it."""
    digest = hashlib.sha256(ticker.encode()).digest()
    return "#" + "".join(f"{64 + b % 160:02x}" for b in digest[:3])


SEARCHED_COMPANY_FIELDS: Final = frozenset({"name", "sector"})


def like_pattern(text: str) -> str:
    """A case-folded ``LIKE`` pattern for "contains ``text``", its wildcards escaped with ``\\``."""
    escaped = text.lower().replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


# --- the catalog's query vocabulary ------------------------------------------------------------


class CardSort(StrEnum):
    newest = "newest"
    power = "power"
    price_asc = "price_asc"  # by the open listing's price; unlisted cards last
    price_desc = "price_desc"
    last_sale = "last_sale"  # most recently sold first; never-sold cards last


@dataclass(frozen=True)
class CardFilters:
    company: str | None = None  # company id or ticker
    rarity: Rarity | None = None
    owner: str | None = None  # user id or wallet address
    q: str | None = None
    status: CardStatus | None = None
    min_power: int | None = None
    sort: CardSort = CardSort.newest
    sector: str | None = None  # exact, any case
    listed: bool | None = None  # has an open public listing (a list price)
    currency: Asset | None = None  # the open listing's currency
    max_power: int | None = None
    min_valuation: int | None = None
    max_valuation: int | None = None
    min_growth: int | None = None
    max_growth: int | None = None
    min_innovation: int | None = None
    max_innovation: int | None = None
    min_influence: int | None = None
    max_influence: int | None = None

    def stat_ranges(self) -> dict[str, tuple[int | None, int | None]]:
        """The bounds given, by stat name (inclusive)."""
        ranges = {s: (getattr(self, f"min_{s}"), getattr(self, f"max_{s}")) for s in STAT_NAMES}
        return {s: r for s, r in ranges.items() if r != (None, None)}


def check_stat_ranges(filters: CardFilters) -> None:
    """422 ``invalid_range`` when a minimum is above its maximum."""
    for stat, (low, high) in filters.stat_ranges().items():
        if low is not None and high is not None and low > high:
            raise Unprocessable(f"min_{stat} is above max_{stat}.", code="invalid_range")


class Facet(StrEnum):
    """What ``GET /api/v1/cards?facets=`` can count beside the filters."""

    company = "company"
    sector = "sector"
    rarity = "rarity"
    listed = "listed"
    currency = "currency"
    price = "price"
    stats = "stats"  # min and max of each of the five stats


# Price buckets in whole units of the listing's currency: [0, 1), [1, 10), ... [10000, inf).
PRICE_BUCKET_BOUNDS: Final = (1, 10, 100, 1_000, 10_000)


def price_bucket(price: int, asset: Asset) -> int:
    """Index of the bucket ``price`` (base units of ``asset``) falls in."""
    for index, bound in enumerate(PRICE_BUCKET_BOUNDS):
        if price < bound * asset.unit:
            return index
    return len(PRICE_BUCKET_BOUNDS)


# --- content served by the gateway -------------------------------------------------------------

IMAGE_MIME_TYPE: Final = "image/svg+xml"


def sniff_content_type(data: bytes) -> str:
    """Like an IPFS gateway: raw blocks carry no type, so it is sniffed from the bytes."""
    head = data.lstrip()[:256]
    if head.startswith(b"<svg") or (head.startswith(b"<?xml") and b"<svg" in data[:1024]):
        return IMAGE_MIME_TYPE
    try:
        json.loads(data)
    except ValueError:
        return "application/octet-stream"
    return "application/json"
