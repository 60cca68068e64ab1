"""API shapes for listings, trades, sweeps and offers. Amounts are decimal strings."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any, Self

from pydantic import AwareDatetime, BaseModel, ConfigDict, Field, StrictInt, model_validator

from ece.cards.schemas import SolanaAddress
from ece.cards.service import OwnerKind, Rarity
from ece.core.money import AmountText, Asset, format_amount, parse_amount
from ece.core.pagination import Page
from ece.core.patterns import refused, shape
from ece.market.models import ListingStatus, OfferKind, OfferStatus
from ece.market.service import (
    MAX_BATCH,
    MAX_QUANTITY,
    MAX_SWEEP,
    BatchMode,
    ItemResult,
    ListingView,
    NewListing,
    OfferView,
    Quote,
    QuoteSide,
    SettledSale,
    SweepMode,
    SweepResult,
)

Id = Annotated[str, Field(min_length=1, max_length=32)]


class _In(BaseModel):
    # No whitespace stripping: a money string is taken exactly as sent or refused.
    model_config = ConfigDict(extra="forbid")


class _Priced(_In):
    price: AmountText
    currency: Asset

    @model_validator(mode="after")
    def _exact_price(self) -> Self:
        parse_amount(self.price, self.currency)  # InvalidAmount (a ValueError) → 422
        return self

    @property
    def base_units(self) -> int:
        return parse_amount(self.price, self.currency)


class ListingIn(_Priced):
    card_id: Id
    expires_at: AwareDatetime | None = Field(
        default=None, description="Default 30 days ahead; at most 180"
    )
    taker: SolanaAddress | None = Field(
        default=None, description="A private listing: only this wallet may buy"
    )


class ListingBatchIn(_In):
    items: list[ListingIn] = Field(
        min_length=1, max_length=MAX_BATCH, description=f"At most {MAX_BATCH} cards"
    )
    mode: BatchMode = Field(
        default=BatchMode.all_or_nothing,
        description="all_or_nothing: any refusal lists nothing (409 batch_failed); "
        "best_effort: list what passes and report the rest",
    )

    @model_validator(mode="after")
    def _distinct(self) -> Self:
        if len({i.card_id for i in self.items}) != len(self.items):
            raise ValueError("a card is named twice")
        return self

    def new_listings(self) -> list[NewListing]:
        return [
            NewListing(i.card_id, i.base_units, i.currency, i.expires_at, i.taker)
            for i in self.items
        ]


class ListingCancelBatchIn(_In):
    listing_ids: list[Id] = Field(min_length=1, max_length=MAX_BATCH)
    mode: BatchMode = BatchMode.all_or_nothing

    @model_validator(mode="after")
    def _distinct(self) -> Self:
        if len(set(self.listing_ids)) != len(self.listing_ids):
            raise ValueError("a listing is named twice")
        return self


class ListingPatch(_In):
    price: AmountText | None = Field(default=None, description="In the listing's currency")
    expires_at: AwareDatetime | None = None

    @model_validator(mode="after")
    def _something(self) -> Self:
        if self.price is None and self.expires_at is None:
            raise ValueError("give price or expires_at")
        return self


class BuyIn(_In):
    max_price: AmountText | None = Field(
        default=None, description="Refuse the buy (409 price_above_max) if the price is higher"
    )


class SweepIn(_In):
    model_config = ConfigDict(
        json_schema_extra=refused(
            shape(absent=["listing_ids", "company_id"]),
            shape(given=["listing_ids", "company_id"]),
            shape(given=["company_id"], absent=["count"]),
            shape(given=["listing_ids", "count"]),
            shape(given=["listing_ids", "rarity"]),
        )
    )

    listing_ids: list[Id] | None = Field(default=None, min_length=1, max_length=MAX_SWEEP)
    company_id: Id | None = None
    count: Annotated[StrictInt, Field(ge=1, le=MAX_SWEEP)] | None = None
    rarity: Rarity | None = None
    currency: Asset
    max_total: AmountText
    mode: SweepMode = SweepMode.all_or_nothing

    @model_validator(mode="after")
    def _shape(self) -> Self:
        if (self.listing_ids is None) == (self.company_id is None):
            raise ValueError("give listing_ids, or company_id with count")
        if self.company_id is not None and self.count is None:
            raise ValueError("a company sweep needs count")
        if self.listing_ids is not None and (self.count is not None or self.rarity is not None):
            raise ValueError("count and rarity go with company_id")
        parse_amount(self.max_total, self.currency)
        return self


class OfferFilterIn(_In):
    rarity: Rarity | None = None
    min_power: Annotated[StrictInt, Field(ge=0, le=100)] | None = None


class OfferIn(_Priced):
    model_config = ConfigDict(
        json_schema_extra=refused(
            shape(absent=["card_id", "company_id"]),
            shape(given=["card_id", "company_id"]),
            shape(given=["card_id", "filter"]),
            shape(given=["card_id"], quantity=1),
        )
    )

    card_id: Id | None = None
    company_id: Id | None = None
    quantity: Annotated[StrictInt, Field(ge=1, le=MAX_QUANTITY)] = 1
    filter: OfferFilterIn | None = None
    expires_at: AwareDatetime | None = Field(
        default=None, description="Default 3 days ahead; at most 6 (holds never go stale)"
    )

    @model_validator(mode="after")
    def _shape(self) -> Self:
        if (self.card_id is None) == (self.company_id is None):
            raise ValueError("give card_id (an offer on a card) or company_id (a collection)")
        if self.card_id is not None and (self.quantity != 1 or self.filter is not None):
            raise ValueError("quantity and filter go with company_id")
        return self


class AcceptIn(_In):
    card_id: Id | None = Field(default=None, description="Required for a collection offer")


class Party(BaseModel):
    kind: OwnerKind = Field(description="user, or issuer (a company's unsold inventory)")
    id: str
    address: str | None = Field(description="The user's wallet; null for an issuer")


class ListingOut(BaseModel):
    id: str
    card_id: str
    card_name: str
    company_id: str
    rarity: str
    seller: Party
    price: str
    currency: Asset
    taker: str | None
    status: ListingStatus = Field(description="active, filled, cancelled or expired")
    expires_at: datetime
    created_at: datetime
    updated_at: datetime

    @classmethod
    def of(cls, view: ListingView) -> ListingOut:
        x = view.listing
        currency = Asset(x.currency)
        return cls(
            id=x.id,
            card_id=x.card_id,
            card_name=view.card_name,
            company_id=x.company_id,
            rarity=x.rarity,
            seller=Party(
                kind=OwnerKind(x.seller_kind), id=x.seller_id, address=view.seller_address
            ),
            price=format_amount(x.price, currency),
            currency=currency,
            taker=x.taker_address,
            status=view.status,
            expires_at=x.expires_at,
            created_at=x.created_at,
            updated_at=x.updated_at,
        )


class ListingPage(Page[ListingOut]):
    pass


class BatchItemError(BaseModel):
    code: str = Field(description="The error code the single call would have returned")
    status: int = Field(description="The HTTP status the single call would have returned")
    detail: str


class ListingBatchItemOut(BaseModel):
    index: int = Field(description="Position in the request")
    card_id: str
    ok: bool
    listing: ListingOut | None
    error: BatchItemError | None


class ListingBatchOut(BaseModel):
    mode: BatchMode
    listed: int
    refused: int
    items: list[ListingBatchItemOut]

    @classmethod
    def of(cls, mode: BatchMode, results: list[ItemResult]) -> ListingBatchOut:
        items = [ListingBatchItemOut(card_id=r.ref, **_item_fields(r)) for r in results]
        listed = sum(r.ok for r in results)
        return cls(mode=mode, listed=listed, refused=len(results) - listed, items=items)


class ListingCancelBatchItemOut(BaseModel):
    index: int = Field(description="Position in the request")
    listing_id: str
    ok: bool
    listing: ListingOut | None
    error: BatchItemError | None


class ListingCancelBatchOut(BaseModel):
    mode: BatchMode
    cancelled: int
    refused: int
    items: list[ListingCancelBatchItemOut]

    @classmethod
    def of(cls, mode: BatchMode, results: list[ItemResult]) -> ListingCancelBatchOut:
        items = [ListingCancelBatchItemOut(listing_id=r.ref, **_item_fields(r)) for r in results]
        done = sum(r.ok for r in results)
        return cls(mode=mode, cancelled=done, refused=len(results) - done, items=items)


def _item_fields(result: ItemResult) -> dict[str, Any]:
    """What every batch item's answer carries, whichever id names it."""
    return {
        "index": result.index,
        "ok": result.ok,
        "listing": _listing_of(result),
        "error": _error_of(result),
    }


def _listing_of(result: ItemResult) -> ListingOut | None:
    return ListingOut.of(result.listing) if result.listing is not None else None


def _error_of(result: ItemResult) -> BatchItemError | None:
    if result.ok:
        return None
    return BatchItemError(
        code=result.code or "bad_request", status=result.status or 400, detail=result.detail or ""
    )


class TradeOut(BaseModel):
    trade_id: str
    card_id: str
    company_id: str
    price: str
    fee: str = Field(description="Platform fee, taken from the price")
    royalty: str = Field(description="The company's royalty, taken from the price")
    seller_receives: str = Field(description="price - fee - royalty")
    currency: Asset
    seller: Party
    buyer: Party
    source: str = Field(description="listing, sweep, offer, collection_offer or trade_offer")
    executed_at: datetime

    @classmethod
    def of(cls, trade: SettledSale) -> TradeOut:
        sale = trade.sale
        currency = Asset(sale.currency)
        return cls(
            trade_id=sale.id,
            card_id=sale.card_id,
            company_id=sale.company_id,
            price=format_amount(sale.price, currency),
            fee=format_amount(sale.fee, currency),
            royalty=format_amount(sale.royalty, currency),
            seller_receives=format_amount(sale.price - sale.fee - sale.royalty, currency),
            currency=currency,
            seller=Party(
                kind=OwnerKind(sale.seller_kind), id=sale.seller_id, address=trade.seller_address
            ),
            buyer=Party(kind=OwnerKind.user, id=sale.buyer_user_id, address=trade.buyer_address),
            source=sale.source,
            executed_at=sale.executed_at,
        )


class SkippedOut(BaseModel):
    listing_id: str
    reason: str = Field(description="The error code a single buy would have returned")


class SweepOut(BaseModel):
    currency: Asset
    total: str
    trades: list[TradeOut]
    skipped: list[SkippedOut]

    @classmethod
    def of(cls, result: SweepResult) -> SweepOut:
        return cls(
            currency=result.currency,
            total=format_amount(result.total, result.currency),
            trades=[TradeOut.of(t) for t in result.trades],
            skipped=[SkippedOut(listing_id=s.listing_id, reason=s.reason) for s in result.skipped],
        )


class OfferFilterOut(BaseModel):
    rarity: str | None
    min_power: int | None


class OfferOut(BaseModel):
    id: str
    kind: OfferKind
    buyer: Party
    card_id: str | None
    company_id: str
    filter: OfferFilterOut | None
    price: str = Field(description="Per card")
    currency: Asset
    quantity: int
    filled: int
    remaining: int
    held: str = Field(description="Funds the offer holds now: price * remaining while open")
    status: OfferStatus
    expires_at: datetime
    created_at: datetime

    @classmethod
    def of(cls, view: OfferView) -> OfferOut:
        o = view.offer
        currency = Asset(o.currency)
        status = view.status
        held = o.price * o.remaining if o.status == OfferStatus.active.value else 0
        return cls(
            id=o.id,
            kind=OfferKind(o.kind),
            buyer=Party(kind=OwnerKind.user, id=o.buyer_user_id, address=view.buyer_address),
            card_id=o.card_id,
            company_id=o.company_id,
            filter=(
                OfferFilterOut(rarity=o.filter_rarity, min_power=o.filter_min_power)
                if o.kind == OfferKind.collection.value
                else None
            ),
            price=format_amount(o.price, currency),
            currency=currency,
            quantity=o.quantity,
            filled=o.filled,
            remaining=o.remaining if status is OfferStatus.active else 0,
            held=format_amount(held, currency),
            status=status,
            expires_at=o.expires_at,
            created_at=o.created_at,
        )


class OfferPage(Page[OfferOut]):
    pass


class BestOffersOut(BaseModel):
    items: list[OfferOut] = Field(description="The best open offer in each currency")


class QuoteOut(BaseModel):
    """A cost preview by the rule settlement applies: the buyer pays ``price``; the platform
    fee and the company's royalty come out of it, and the seller receives the rest."""

    side: QuoteSide
    currency: Asset
    price: str
    fee: str = Field(description="Platform fee, part of the price (paid out of the seller's side)")
    royalty: str = Field(description="The company's royalty, part of the price")
    fee_bps: int
    royalty_bps: int
    you_pay: str | None = Field(default=None, description="side=buy: what leaves your balance")
    you_receive: str | None = Field(default=None, description="side=sell: what you are credited")

    @classmethod
    def of(cls, q: Quote) -> QuoteOut:
        def amount(value: int) -> str:
            return format_amount(value, q.currency)

        return cls(
            side=q.side,
            currency=q.currency,
            price=amount(q.price),
            fee=amount(q.fee),
            royalty=amount(q.royalty),
            fee_bps=q.fee_bps,
            royalty_bps=q.royalty_bps,
            you_pay=amount(q.you_pay) if q.side is QuoteSide.BUY else None,
            you_receive=amount(q.you_receive) if q.side is QuoteSide.SELL else None,
        )
