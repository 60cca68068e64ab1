"""Cost previews: what a trade at a price costs the buyer or leaves the seller, before it
happens, by the very split settlement applies (``settlement.sale_split``), so a page never
computes fees itself."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from sqlalchemy.ext.asyncio import AsyncSession

from ece.cards import service as cards
from ece.config import Settings
from ece.core.money import Asset
from ece.settlement import service as settlement


class QuoteSide(StrEnum):
    BUY = "buy"
    SELL = "sell"


@dataclass(frozen=True, slots=True)
class Quote:
    side: QuoteSide
    currency: Asset
    price: int
    fee: int
    royalty: int
    fee_bps: int
    royalty_bps: int

    @property
    def you_pay(self) -> int:
        """The buyer pays the price, nothing more: fee and royalty come out of it."""
        return self.price

    @property
    def you_receive(self) -> int:
        return self.price - self.fee - self.royalty


async def quote(
    session: AsyncSession,
    settings: Settings,
    company_id: str,
    price: int,
    currency: Asset,
    side: QuoteSide,
    *,
    primary: bool = False,
) -> Quote:
    """The split of a sale of one of ``company_id``'s cards at ``price``: a resale between
    users, or with ``primary`` the company's own first sale (no royalty).

    Raises ``NotFound`` for an unknown company.
    """
    company = await cards.get_company(session, company_id)
    fee_bps = settings.platform_fee_bps
    split = settlement.sale_split(
        price, fee_bps=fee_bps, royalty_bps=company.royalty_bps, primary=primary
    )
    royalty_bps = 0 if primary else company.royalty_bps
    return Quote(side, currency, price, split.fee, split.royalty, fee_bps, royalty_bps)
