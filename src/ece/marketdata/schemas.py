"""API shapes for market data. Amounts are decimal strings, keyed by currency."""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel, Field

from ece.core.money import Asset, format_amount
from ece.marketdata.rules import (
    Activity,
    Candle,
    CompanyStats,
    CompanySummary,
    LastSale,
    PerAsset,
)


def amounts(values: PerAsset) -> dict[str, str]:
    """``{Asset.USDC: 12_500_000}`` → ``{"USDC": "12.5"}``; absent currencies stay absent."""
    return {asset.value: format_amount(n, asset) for asset, n in sorted(values.items())}


def _price(value: int | None, currency: str | None) -> str | None:
    if value is None or currency is None or currency not in Asset.__members__:
        return None
    return format_amount(value, Asset(currency))


class LastSaleOut(BaseModel):
    sale_id: str
    card_id: str
    price: str
    currency: Asset
    executed_at: datetime

    @classmethod
    def of(cls, sale: LastSale) -> LastSaleOut:
        return cls(
            sale_id=sale.sale_id,
            card_id=sale.card_id,
            price=format_amount(sale.price, sale.currency),
            currency=sale.currency,
            executed_at=sale.executed_at,
        )


class CompanyStatsOut(BaseModel):
    company_id: str
    floor: dict[str, str] = Field(description="Lowest live public listing per currency")
    best_offer: dict[str, str] = Field(description="Highest live offer per currency")
    volume_24h: dict[str, str]
    volume_7d: dict[str, str]
    sales_24h: int
    last_sale: LastSaleOut | None
    listed_count: int = Field(description="Cards with a live listing")
    holders: int = Field(description="Distinct users holding the company's cards on platform")
    change_24h: dict[str, str] = Field(
        description="Per currency: last sale price against the last one 24 h earlier, percent"
    )

    @classmethod
    def of(cls, stats: CompanyStats) -> CompanyStatsOut:
        return cls(
            company_id=stats.company_id,
            floor=amounts(stats.floor),
            best_offer=amounts(stats.best_offer),
            volume_24h=amounts(stats.volume_24h),
            volume_7d=amounts(stats.volume_7d),
            sales_24h=stats.sales_24h,
            last_sale=LastSaleOut.of(stats.last_sale) if stats.last_sale else None,
            listed_count=stats.listed_count,
            holders=stats.holders,
            change_24h={a.value: str(v) for a, v in sorted(stats.change_24h.items())},
        )


class CandleOut(BaseModel):
    start: datetime
    open: str
    high: str
    low: str
    close: str
    volume: str
    sales: int

    @classmethod
    def of(cls, candle: Candle, currency: Asset) -> CandleOut:
        def fmt(value: int) -> str:
            return format_amount(value, currency)

        return cls(
            start=candle.start,
            open=fmt(candle.open),
            high=fmt(candle.high),
            low=fmt(candle.low),
            close=fmt(candle.close),
            volume=fmt(candle.volume),
            sales=candle.sales,
        )


class CandlesOut(BaseModel):
    company_id: str
    currency: Asset
    interval: str
    candles: list[CandleOut] = Field(description="Oldest first; buckets without sales omitted")


class CompanySummaryOut(BaseModel):
    rank: int
    company_id: str
    ticker: str
    name: str
    floor: dict[str, str]
    volume_24h: dict[str, str]
    volume_7d: dict[str, str]
    sales_24h: int

    @classmethod
    def of(cls, row: CompanySummary) -> CompanySummaryOut:
        return cls(
            rank=row.rank,
            company_id=row.company.id,
            ticker=row.company.ticker,
            name=row.company.name,
            floor=amounts(row.floor),
            volume_24h=amounts(row.volume_24h),
            volume_7d=amounts(row.volume_7d),
            sales_24h=row.sales_24h,
        )


class MarketSummaryOut(BaseModel):
    ranked_by: str
    items: list[CompanySummaryOut]


class ActivityOut(BaseModel):
    type: str = Field(
        description="sale | listing | offer | trade | cancel | transfer | price_change"
    )
    at: datetime
    subject: str = Field(description="sale | listing | offer | trade_offer | card_event")
    ref: str = Field(description="Id of the subject")
    company_id: str | None
    card_id: str | None
    card_ids: list[str]
    from_user_id: str | None
    to_user_id: str | None
    price: str | None = Field(description="A price change: the new price")
    currency: str | None
    old_price: str | None = Field(
        default=None, description="A price change: the listing's price before it"
    )
    wash_suspect: bool = Field(description="A sale suspected of wash trading (not in stats)")
    source: str | None = Field(description="How a sale executed, or why a card moved")

    @classmethod
    def of(cls, item: Activity) -> ActivityOut:
        return cls(
            type=item.type.value,
            at=item.at,
            subject=item.subject,
            ref=item.ref,
            company_id=item.company_id,
            card_id=item.card_id,
            card_ids=item.card_ids,
            from_user_id=item.from_user_id,
            to_user_id=item.to_user_id,
            price=_price(item.price, item.currency),
            currency=item.currency,
            old_price=_price(item.old_price, item.currency),
            wash_suspect=item.wash_suspect,
            source=item.source,
        )


class ActivityPage(BaseModel):
    items: list[ActivityOut]
    next_cursor: str | None = None
