"""API shapes for auctions and bids. Amounts are decimal strings in the auction's currency;
the reserve and bidders' maxes are never shown to anyone but their owner."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Literal, Self

from pydantic import AwareDatetime, BaseModel, ConfigDict, Field, model_validator

from ece.auctions.service import (
    AuctionKind,
    AuctionState,
    AuctionStatus,
    AuctionView,
    BidResult,
    MyBid,
    PublicBid,
)
from ece.core.money import AmountText, Asset, format_amount, parse_amount
from ece.core.pagination import Page

Id = Annotated[str, Field(min_length=1, max_length=32)]


def _amount(text: str | None, currency: Asset) -> int | None:
    return None if text is None else parse_amount(text, currency)


class AuctionIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    type: AuctionKind
    card_id: Id
    currency: Asset
    start_price: AmountText
    end_price: AmountText | None = Field(default=None, description="Dutch only")
    reserve_price: AmountText | None = Field(
        default=None, description="English only; hidden (the public sees reserve_met)"
    )
    buy_now_price: AmountText | None = Field(default=None, description="English only")
    starts_at: AwareDatetime | None = Field(default=None, description="Default: now")
    ends_at: AwareDatetime = Field(
        description="After starts_at by ECE_AUCTION_MIN_DURATION_S to ECE_AUCTION_MAX_DURATION_S "
        "(1 hour to 30 days by default; else 422 invalid_duration)"
    )

    @model_validator(mode="after")
    def _exact_amounts(self) -> Self:
        for text in (self.start_price, self.end_price, self.reserve_price, self.buy_now_price):
            _amount(text, self.currency)  # InvalidAmount (a ValueError) → 422
        return self

    def amounts(self) -> tuple[int, int | None, int | None, int | None]:
        start = parse_amount(self.start_price, self.currency)
        return (
            start,
            _amount(self.end_price, self.currency),
            _amount(self.reserve_price, self.currency),
            _amount(self.buy_now_price, self.currency),
        )


class BidIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    max_amount: AmountText = Field(description="The most you would pay, in the auction's currency")


class AuctionOut(BaseModel):
    id: str
    type: AuctionKind
    card_id: str
    company_id: str
    seller_address: str | None = Field(description="None when the company's inventory sells")
    currency: Asset
    status: AuctionStatus
    result: Literal["sold", "unsold"] | None = Field(description="Once settled")
    start_price: str
    end_price: str | None
    buy_now_price: str | None
    current_price: str = Field(description="English: the visible price; Dutch: the price now")
    min_next_bid: str | None
    bid_count: int
    high_bidder: str | None
    reserve_met: bool
    has_reserve: bool
    buy_now_available: bool
    starts_at: datetime
    ends_at: datetime
    winner: str | None
    sale_id: str | None
    created_at: datetime

    @classmethod
    def of(cls, view: AuctionView) -> AuctionOut:
        a = view.auction
        cur = Asset(a.currency)
        settled = a.state in (AuctionState.sold.value, AuctionState.unsold.value)
        return cls(
            id=a.id,
            type=AuctionKind(a.kind),
            card_id=a.card_id,
            company_id=a.company_id,
            seller_address=view.seller_address,
            currency=cur,
            status=view.status,
            result="sold" if a.state == "sold" else "unsold" if settled else None,
            start_price=format_amount(a.start_price, cur),
            end_price=None if a.end_price is None else format_amount(a.end_price, cur),
            buy_now_price=None if a.buy_now_price is None else format_amount(a.buy_now_price, cur),
            current_price=format_amount(view.current_price, cur),
            min_next_bid=None
            if view.min_next_bid is None
            else format_amount(view.min_next_bid, cur),
            bid_count=a.bid_count,
            high_bidder=view.high_bidder,
            reserve_met=view.reserve_met,
            has_reserve=a.reserve_price is not None,
            buy_now_available=view.buy_now_available,
            starts_at=a.starts_at,
            ends_at=a.ends_at,
            winner=view.winner,
            sale_id=a.sale_id,
            created_at=a.created_at,
        )


class AuctionPage(Page[AuctionOut]):
    pass


class BidOut(BaseModel):
    bid_id: str
    status: Literal["winning", "outbid"]
    current_price: str
    min_next_bid: str
    ends_at: datetime

    @classmethod
    def of(cls, result: BidResult, currency: str) -> BidOut:
        cur = Asset(currency)
        return cls(
            bid_id=result.bid.id,
            status="winning" if result.bid.status == "winning" else "outbid",
            current_price=format_amount(result.current_price, cur),
            min_next_bid=format_amount(result.min_next_bid, cur),
            ends_at=result.ends_at,
        )


class PublicBidOut(BaseModel):
    bid_id: str
    bidder: str = Field(description="The bidder's wallet address")
    price: str = Field(description="The visible price this bid made (never the bidder's max)")
    currency: Asset
    placed_at: datetime

    @classmethod
    def of(cls, bid: PublicBid) -> PublicBidOut:
        return cls(
            bid_id=bid.id,
            bidder=bid.bidder,
            price=format_amount(bid.price, bid.currency),
            currency=bid.currency,
            placed_at=bid.placed_at,
        )


class PublicBidPage(Page[PublicBidOut]):
    pass


class MyBidOut(BaseModel):
    bid_id: str
    auction_id: str
    card_id: str
    max_amount: str
    price_after: str = Field(description="The visible price right after this bid")
    currency: Asset
    status: str = Field(
        description="winning, outbid, raised (replaced by your higher max), won or lost"
    )
    auction_status: AuctionState
    ends_at: datetime
    placed_at: datetime

    @classmethod
    def of(cls, mine: MyBid) -> MyBidOut:
        cur = Asset(mine.auction.currency)
        return cls(
            bid_id=mine.bid.id,
            auction_id=mine.auction.id,
            card_id=mine.auction.card_id,
            max_amount=format_amount(mine.bid.max_amount, cur),
            price_after=format_amount(mine.bid.price_after, cur),
            currency=cur,
            status=mine.bid.status,
            auction_status=AuctionState(mine.auction.state),
            ends_at=mine.auction.ends_at,
            placed_at=mine.bid.created_at,
        )


class MyBidPage(Page[MyBidOut]):
    pass
