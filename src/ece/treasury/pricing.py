"""Where the ECE → USDC rate of a payout comes from.

Embedded: a fixed price from settings (``ECE_ECE_PRICE_USDC``). At scale a quote from a price
API answers behind the same ``PriceSource`` interface; the rate and its source are stored on
each payout that converted ECE.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

from ece.config import Settings
from ece.core.money import Asset, format_amount, parse_amount


@dataclass(frozen=True, slots=True)
class Quote:
    price_usdc: int  # USDC base units per whole ECE
    source: str

    @property
    def rate(self) -> str:
        return format_amount(self.price_usdc, Asset.USDC)


class PriceSource(Protocol):
    async def ece_in_usdc(self) -> Quote: ...


@dataclass(frozen=True, slots=True)
class FixedPrice:
    """The embedded price source: the price in settings."""

    price: str

    async def ece_in_usdc(self) -> Quote:
        return Quote(parse_amount(self.price, Asset.USDC), "fixed:ECE_ECE_PRICE_USDC")


def price_source(settings: Settings) -> PriceSource:
    return FixedPrice(settings.ece_price_usdc)
