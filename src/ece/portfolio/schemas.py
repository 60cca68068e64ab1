"""API shapes of the portfolio: amounts are decimal strings of their currency."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Final, Literal, Self

from pydantic import BaseModel, ConfigDict, Field, model_validator

from ece.core.money import AmountText, Asset, format_amount, parse_amount
from ece.core.patterns import refused, shape
from ece.portfolio.service import (
    Condition,
    Holding,
    PortfolioView,
    Preferences,
    PriceAlert,
    Profile,
    TaxRow,
    Totals,
    ValuePoint,
    Via,
    WatchlistItem,
)

Id = Annotated[str, Field(min_length=1, max_length=32)]


def _amount(value: int | None, asset: Asset) -> str | None:
    return None if value is None else format_amount(value, asset)


class CostBasisOut(BaseModel):
    amount: str
    currency: Asset


class PortfolioCardOut(BaseModel):
    id: str
    name: str
    company_id: str
    rarity: str
    serial: str = Field(description="e.g. #7/50")


class PortfolioItemOut(BaseModel):
    card: PortfolioCardOut
    acquired_at: datetime | None
    acquired_via: Via | None = Field(
        description="buy, offer, auction, trade, deposit, mint or battle; null if unknown"
    )
    cost_basis: CostBasisOut | None = Field(
        description="What was paid; null when the card has no basis (a deposit, a gift)"
    )
    currency: Asset = Field(description="The currency of the three values below")
    value_at_floor: str | None = Field(description="The company's floor; null if none")
    value_at_last_sale: str | None = Field(description="The card's last sale in this currency")
    unrealized_pnl: str | None = Field(
        description="value_at_floor - cost_basis, when both are known in this currency"
    )

    @classmethod
    def of(cls, h: Holding, asset: Asset) -> PortfolioItemOut:
        basis = h.lot.basis if h.lot else None
        card = h.card
        return cls(
            card=PortfolioCardOut(
                id=card.id,
                name=card.name,
                company_id=card.company_id,
                rarity=card.rarity,
                serial=f"#{card.serial_number}/{card.edition_size}",
            ),
            acquired_at=h.lot.acquired_at if h.lot else None,
            acquired_via=h.lot.via if h.lot else None,
            cost_basis=CostBasisOut(
                amount=format_amount(basis.amount, basis.asset), currency=basis.asset
            )
            if basis
            else None,
            currency=asset,
            value_at_floor=_amount(h.value_at_floor, asset),
            value_at_last_sale=_amount(h.value_at_last_sale, asset),
            unrealized_pnl=_amount(h.unrealized_pnl, asset),
        )


class PortfolioTotalsOut(BaseModel):
    cost: str = Field(description="Sum of the cost bases in this currency")
    value_at_floor: str = Field(description="Sum of the floors of every held card")
    unrealized_pnl: str = Field(description="floor - basis over cards with both")
    realized_pnl: str = Field(description="Sum of the gains of every disposal")
    cards: int = Field(description="Held cards with a floor in this currency")

    @classmethod
    def of(cls, t: Totals, asset: Asset) -> PortfolioTotalsOut:
        return cls(
            cost=format_amount(t.cost, asset),
            value_at_floor=format_amount(t.value_at_floor, asset),
            unrealized_pnl=format_amount(t.unrealized_pnl, asset),
            realized_pnl=format_amount(t.realized_pnl, asset),
            cards=t.cards,
        )


class PortfolioOut(BaseModel):
    items: list[PortfolioItemOut]
    totals: dict[Asset, PortfolioTotalsOut] = Field(
        description="Per currency, over every card held and every disposal (no page cap)"
    )
    held: int = Field(description="Cards held on the platform")
    next_cursor: str | None = None

    @classmethod
    def of(cls, view: PortfolioView) -> PortfolioOut:
        return cls(
            items=[PortfolioItemOut.of(h, view.currency) for h in view.items],
            totals={a: PortfolioTotalsOut.of(t, a) for a, t in view.totals.items()},
            held=view.held,
            next_cursor=view.next_cursor,
        )


class PortfolioPointOut(BaseModel):
    at: datetime = Field(description="End of the bucket (now, for the current one)")
    value: str = Field(description="Cards held then, each at its company's latest close")
    cards: int = Field(description="Cards held then")
    valued: int = Field(description="Of which had a close (a sale of their company) by then")

    @classmethod
    def of(cls, point: ValuePoint, asset: Asset) -> PortfolioPointOut:
        return cls(
            at=point.at,
            value=format_amount(point.value, asset),
            cards=point.cards,
            valued=point.valued,
        )


class PortfolioHistoryOut(BaseModel):
    currency: Asset
    interval: str
    points: list[PortfolioPointOut]


# --- exports --------------------------------------------------------------------------------------

PORTFOLIO_CSV_COLUMNS: Final = (
    "card_id", "card", "company_id", "acquired_at", "acquired_via", "cost_basis",
    "basis_currency", "currency", "value_at_floor", "value_at_last_sale", "unrealized_pnl",
)  # fmt: skip
TAX_CSV_COLUMNS: Final = (
    "card_id", "card", "acquired", "acquired_via", "disposed", "disposal", "proceeds", "basis",
    "fees", "gain", "currency",
)  # fmt: skip


def portfolio_csv_cells(h: Holding, asset: Asset) -> list[str]:
    basis = h.lot.basis if h.lot else None
    card = h.card
    return [
        card.id,
        f"{card.name} #{card.serial_number}/{card.edition_size}",
        card.company_id,
        h.lot.acquired_at.isoformat() if h.lot else "",
        h.lot.via.value if h.lot else "",
        format_amount(basis.amount, basis.asset) if basis else "",
        basis.asset.value if basis else "",
        asset.value,
        _amount(h.value_at_floor, asset) or "",
        _amount(h.value_at_last_sale, asset) or "",
        _amount(h.unrealized_pnl, asset) or "",
    ]


def tax_csv_cells(row: TaxRow) -> list[str]:
    d, asset = row.disposal, row.disposal.currency
    return [
        d.card_id,
        row.label,
        d.acquired_at.isoformat() if d.acquired_at else "",
        d.acquired_via.value if d.acquired_via else "",
        d.disposed_at.isoformat(),
        d.kind.value,
        format_amount(d.proceeds, asset),
        _amount(d.basis, asset) or "",
        format_amount(d.fees, asset),
        _amount(d.gain, asset) or "",
        asset.value,
    ]


# --- watchlist and alerts -------------------------------------------------------------------------


class _TargetIn(BaseModel):
    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra=refused(
            shape(absent=["company_id", "card_id"]), shape(given=["company_id", "card_id"])
        ),
    )

    company_id: Id | None = None
    card_id: Id | None = None

    @model_validator(mode="after")
    def _one_target(self) -> Self:
        if (self.company_id is None) == (self.card_id is None):
            raise ValueError("give exactly one of company_id and card_id")
        return self


class WatchlistIn(_TargetIn):
    pass


class WatchlistItemOut(BaseModel):
    id: str
    company_id: str | None
    card_id: str | None
    created_at: datetime

    @classmethod
    def of(cls, item: WatchlistItem) -> WatchlistItemOut:
        return cls(
            id=item.id,
            company_id=item.company_id,
            card_id=item.card_id,
            created_at=item.created_at,
        )


class WatchlistOut(BaseModel):
    items: list[WatchlistItemOut]


class PriceAlertIn(_TargetIn):
    condition: Condition = Field(
        description="floor_below (floor < price), floor_above (floor > price) or listed_below "
        "(something listed at or below price)"
    )
    price: AmountText
    currency: Asset

    @model_validator(mode="after")
    def _exact_price(self) -> Self:
        parse_amount(self.price, self.currency)  # InvalidAmount (a ValueError) → 422
        return self

    @property
    def base_units(self) -> int:
        return parse_amount(self.price, self.currency)


class PriceAlertOut(BaseModel):
    id: str
    company_id: str | None
    card_id: str | None
    condition: Condition
    price: str
    currency: Asset
    armed: bool = Field(description="False after firing, until the condition stops holding")
    fired_count: int
    last_fired_at: datetime | None
    created_at: datetime

    @classmethod
    def of(cls, alert: PriceAlert) -> PriceAlertOut:
        asset = Asset(alert.currency)
        return cls(
            id=alert.id,
            company_id=alert.company_id,
            card_id=alert.card_id,
            condition=Condition(alert.condition),
            price=format_amount(alert.price, asset),
            currency=asset,
            armed=alert.armed,
            fired_count=alert.fired_count,
            last_fired_at=alert.last_fired_at,
            created_at=alert.created_at,
        )


class PriceAlertList(BaseModel):
    items: list[PriceAlertOut]


# --- preferences and the public profile -----------------------------------------------------------


class CollectorPreferences(BaseModel):
    """Your display choices and what your public profile shows (PUT replaces them all)."""

    model_config = ConfigDict(extra="forbid")

    display_currency: Asset = Asset.USDC
    theme: Literal["system", "light", "dark"] = "system"
    hide_collection: bool = Field(
        default=False, description="Hide showcase, stats and sales from your public profile"
    )
    showcase: list[Id] = Field(
        default_factory=list, max_length=6, description="Up to 6 cards you hold, in order"
    )

    def chosen(self) -> Preferences:
        return Preferences(self.display_currency, self.theme, self.hide_collection, self.showcase)

    @classmethod
    def of(cls, p: Preferences) -> CollectorPreferences:
        return cls(
            display_currency=p.display_currency,
            theme=p.theme,
            hide_collection=p.hide_collection,
            showcase=p.showcase,
        )


class ProfileSaleOut(BaseModel):
    card_id: str
    price: str
    currency: Asset
    executed_at: datetime


class CollectorProfileOut(BaseModel):
    address: str
    display_name: str | None
    hidden: bool = Field(description="The collector hid their collection: nothing below shown")
    showcase: list[PortfolioCardOut]
    cards: int | None
    companies: int | None
    sales: int | None
    recent_sales: list[ProfileSaleOut]

    @classmethod
    def of(cls, p: Profile) -> CollectorProfileOut:
        return cls(
            address=p.address,
            display_name=p.display_name,
            hidden=p.hidden,
            showcase=[
                PortfolioCardOut(
                    id=c.id,
                    name=c.name,
                    company_id=c.company_id,
                    rarity=c.rarity,
                    serial=f"#{c.serial_number}/{c.edition_size}",
                )
                for c in p.showcase
            ],
            cards=p.cards,
            companies=p.companies,
            sales=p.sales,
            recent_sales=[
                ProfileSaleOut(
                    card_id=s.card_id,
                    price=format_amount(s.price, s.currency),
                    currency=s.currency,
                    executed_at=s.at,
                )
                for s in p.recent_sales
            ],
        )
