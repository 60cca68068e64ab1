"""How a sale price is split between the seller, the platform and the card's company.

The one rounding rule: the platform fee and the royalty are each ``price * bps / 10_000``
rounded DOWN (floor) to a whole base unit, so neither the platform nor the company ever takes
more than its rate; the seller receives the remainder, so the three parts always sum to the
price exactly. (For a 1-base-unit price both cuts are 0 and the seller gets it all.)
"""

from __future__ import annotations

from dataclasses import dataclass

BPS_DENOMINATOR = 10_000


@dataclass(frozen=True, slots=True)
class Split:
    seller: int
    fee: int
    royalty: int

    @property
    def total(self) -> int:
        return self.seller + self.fee + self.royalty


def split_price(price: int, fee_bps: int, royalty_bps: int) -> Split:
    """Split ``price`` (base units) by the rule above. Primary sales pass ``royalty_bps=0``."""
    if isinstance(price, bool) or not isinstance(price, int) or price <= 0:
        raise ValueError("the price is a positive integer of base units")
    if not (fee_bps >= 0 and royalty_bps >= 0 and fee_bps + royalty_bps <= BPS_DENOMINATOR):
        raise ValueError("fee and royalty are 0..10000 basis points together")
    fee = price * fee_bps // BPS_DENOMINATOR
    royalty = price * royalty_bps // BPS_DENOMINATOR
    return Split(seller=price - fee - royalty, fee=fee, royalty=royalty)
