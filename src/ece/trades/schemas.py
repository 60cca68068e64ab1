"""API shapes for trade offers. Token amounts are decimal strings in whole tokens."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Self

from pydantic import AwareDatetime, BaseModel, ConfigDict, Field, model_validator

from ece.core.money import AmountText, Asset, format_amount, parse_amount
from ece.core.pagination import Page
from ece.settlement.service import REFERENCE_SALES
from ece.trades.models import TradeSide
from ece.trades.rules import MAX_CARDS_PER_SIDE, OfferTerms, SideSpec, SideValue
from ece.trades.service import TradeDetail, TradeView

CardId = Annotated[str, Field(min_length=1, max_length=32)]


class TradeSideIn(BaseModel):
    """Cards and tokens on one side. ``"0"`` or an absent asset means none of it."""

    model_config = ConfigDict(extra="forbid")

    cards: list[CardId] = Field(default_factory=list, max_length=MAX_CARDS_PER_SIDE)
    ECE: AmountText | None = None
    USDC: AmountText | None = None

    @model_validator(mode="after")
    def _exact(self) -> Self:
        self.spec()  # InvalidAmount is a ValueError: Pydantic makes it a 422 field error
        return self

    def spec(self) -> SideSpec:
        tokens = tuple(
            (asset, parse_amount(text, asset, allow_zero=True))
            for asset, text in ((Asset.ECE, self.ECE), (Asset.USDC, self.USDC))
            if text is not None
        )
        return SideSpec(cards=tuple(self.cards), tokens=tokens)


class CounterIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    give: TradeSideIn = Field(default_factory=TradeSideIn, description="What you give")
    want: TradeSideIn = Field(default_factory=TradeSideIn, description="What you ask for")
    message: str | None = Field(default=None, max_length=500)
    expires_at: AwareDatetime | None = Field(
        default=None, description="Default and maximum lifetime are settings"
    )

    def terms(self) -> OfferTerms:
        return OfferTerms(self.give.spec(), self.want.spec(), self.message, self.expires_at)


class TradeOfferIn(CounterIn):
    to: str = Field(min_length=1, max_length=64, description="Receiver's user id or wallet")


class PartyOut(BaseModel):
    user_id: str
    address: str


class TradeSideOut(BaseModel):
    cards: list[str]
    ECE: str | None = None
    USDC: str | None = None


class TradeOfferOut(BaseModel):
    id: str
    status: str = Field(
        description="active | accepted | declined | cancelled | countered | expired"
    )
    maker: PartyOut = Field(description="The giver: its cards are locked and tokens held")
    taker: PartyOut = Field(description="The receiver, who may accept, decline or counter")
    give: TradeSideOut
    want: TradeSideOut
    message: str | None
    parent_id: str | None
    root_id: str
    expires_at: datetime
    created_at: datetime
    closed_at: datetime | None

    @classmethod
    def of(cls, view: TradeView) -> TradeOfferOut:
        offer = view.offer

        def side(which: TradeSide, cards: list[str]) -> TradeSideOut:
            amounts = {
                asset: getattr(offer, f"{which.value}_{asset.value.lower()}") for asset in Asset
            }
            return TradeSideOut(
                cards=cards,
                **{a.value: format_amount(n, a) for a, n in amounts.items() if n > 0},
            )

        return cls(
            id=offer.id,
            status=view.status.value,
            maker=PartyOut(user_id=offer.maker_user_id, address=view.maker_address),
            taker=PartyOut(user_id=offer.taker_user_id, address=view.taker_address),
            give=side(TradeSide.give, view.give_cards),
            want=side(TradeSide.want, view.want_cards),
            message=offer.message,
            parent_id=offer.parent_id,
            root_id=offer.root_id,
            expires_at=offer.expires_at,
            created_at=offer.created_at,
            closed_at=offer.closed_at,
        )


class SideValueOut(BaseModel):
    ECE: str
    USDC: str
    unpriced_cards: dict[str, list[str]] = Field(
        description="Per currency, cards with no reference price in it (not counted)"
    )

    @classmethod
    def of(cls, value: SideValue) -> SideValueOut:
        return cls(
            ECE=format_amount(value.value[Asset.ECE], Asset.ECE),
            USDC=format_amount(value.value[Asset.USDC], Asset.USDC),
            unpriced_cards={a.value: ids for a, ids in value.unpriced.items()},
        )


VALUE_METHOD = (
    "Per currency, never converted: tokens at face value, plus each card at its company's "
    "reference price in that currency, from evidence neither party of the offer made: the "
    "lowest live public listing by anyone else, else the median of the company's latest "
    f"{REFERENCE_SALES} market sales in which neither party sold nor bought (suspected wash "
    "trades, trade offers and private listings excluded). Cards without either are listed as "
    "unpriced. Rarity is not priced. A swap's price over several cards is split by the same "
    "reference."
)


class ValueHintOut(BaseModel):
    give: SideValueOut
    want: SideValueOut
    method: str = VALUE_METHOD


class TradeDetailOut(TradeOfferOut):
    chain: list[TradeOfferOut] = Field(
        description="Every version of this negotiation (ancestors and counters), oldest first"
    )
    value_hint: ValueHintOut = Field(description="Each side's value at recent market prices")


def detail_out(detail: TradeDetail) -> TradeDetailOut:
    return TradeDetailOut(
        **TradeOfferOut.of(detail.view).model_dump(),
        chain=[TradeOfferOut.of(v) for v in detail.chain],
        value_hint=ValueHintOut(
            give=SideValueOut.of(detail.hint[TradeSide.give]),
            want=SideValueOut.of(detail.hint[TradeSide.want]),
        ),
    )


class TradeOfferPage(Page[TradeOfferOut]):
    pass
