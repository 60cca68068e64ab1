"""The rules of a sale, pure: how a price is split, when a sale is primary, which fee account a
sale credits, the legs that pay it, and when it looks like a wash trade.

The one rounding rule: the platform fee and the royalty are each ``price * bps / 10_000``
rounded DOWN (floor) to a whole base unit, so neither the platform nor the company ever takes
more than its rate; the seller receives the remainder, so the three parts always sum to the
price exactly. (For a 1-base-unit price both cuts are 0 and the seller gets it all.)

Wash trades: a sale between two users is suspect when, within ``WASH_WINDOW`` before it,

1. the same card was sold between the same two accounts, in either direction (the card bounces
   A → B → A, or A sells it to B twice); the earlier sale of the pair is flagged too, since a
   bounce makes both legs suspect (the sales of one trade offer, e.g. one card priced in ECE
   and in USDC, are one deal, not a bounce); or
2. the seller funded the buyer: a posted ledger transfer from any of the seller's accounts to
   any of the buyer's that is not itself a sale's payment (reference ``sale:...``).

Flagged sales still happened (the card and money moved); market data leaves them out of volume,
price stats and candles. Issuer (primary) sales are never flagged.
"""

from __future__ import annotations

import zlib
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum

BPS_DENOMINATOR = 10_000
FEES = "fees"  # purpose of the platform's revenue accounts, one set per asset
FEE_SHARDS = 16  # platform revenue accounts per asset: concurrent sales never queue on one row
SALE_REFERENCE_PREFIX = "sale:"
WASH_WINDOW = timedelta(days=7)

ISSUER = "issuer"  # seller kind of a company's issuer inventory (a primary sale)
USER = "user"
TRADE_OFFER = "trade_offer"  # sale source of a card priced by an accepted trade offer


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


def is_primary(seller_kind: str) -> bool:
    """A sale from a company's issuer inventory is primary: the company itself is the seller."""
    return seller_kind == ISSUER


def sale_split(price: int, *, fee_bps: int, royalty_bps: int, primary: bool) -> Split:
    """A primary sale pays no royalty: the company is the seller."""
    return split_price(price, fee_bps, 0 if primary else royalty_bps)


def fee_purpose(spread_by: str) -> str:
    """The purpose of the platform revenue account a fee credits: one of ``FEE_SHARDS`` per
    asset, picked by ``spread_by`` (the sale's or swap leg's id), so that sales committing at
    once do not all wait on one locked row. Platform revenue is their sum."""
    shard = zlib.crc32(spread_by.encode()) % FEE_SHARDS
    return FEES if shard == 0 else f"{FEES}:{shard}"


def fee_purposes() -> list[str]:
    """Every purpose ``fee_purpose`` can return."""
    return [FEES, *(f"{FEES}:{shard}" for shard in range(1, FEE_SHARDS))]


def sale_reference(sale_id: str) -> str:
    """The reference of every transfer that pays for a sale (the wash rule knows it by this)."""
    return f"{SALE_REFERENCE_PREFIX}{sale_id}"


class LegKind(StrEnum):
    seller = "seller"
    fee = "fee"
    royalty = "royalty"


@dataclass(frozen=True, slots=True)
class SaleLeg:
    """One payment of a sale, from the payer to the party ``kind`` names."""

    kind: LegKind
    amount: int

    def transfer_id(self, sale_id: str) -> str:
        return f"{sale_reference(sale_id)}:{self.kind.value}"


def sale_legs(price: int, fee: int, royalty: int) -> list[SaleLeg]:
    """The payments of a sale of ``price`` with these cuts, in the order they are written. A
    zero cut (tiny prices, 0 bps) is no payment at all."""
    legs = [
        SaleLeg(LegKind.seller, price - fee - royalty),
        SaleLeg(LegKind.fee, fee),
        SaleLeg(LegKind.royalty, royalty),
    ]
    return [leg for leg in legs if leg.amount > 0]


# --- wash trades --------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class SaleFacts:
    """What the wash rule reads of a sale."""

    id: str
    card_id: str
    seller_kind: str
    seller_id: str
    buyer_user_id: str
    source: str
    ref: str
    executed_at: datetime


def may_be_wash(sale: SaleFacts) -> bool:
    """Only a sale between two users can be a wash trade."""
    return sale.seller_kind == USER


def wash_window(sale: SaleFacts) -> tuple[datetime, datetime]:
    """The instants (inclusive) within which earlier activity makes ``sale`` suspect."""
    return sale.executed_at - WASH_WINDOW, sale.executed_at


def is_bounce(sale: SaleFacts, earlier: SaleFacts) -> bool:
    """Whether ``earlier`` sold the same card between the same two users as ``sale`` (either
    direction) within the window, and was not part of the same trade offer."""
    since, until = wash_window(sale)
    same_deal = earlier.source == TRADE_OFFER and earlier.ref == sale.ref
    return (
        earlier.id != sale.id
        and earlier.card_id == sale.card_id
        and earlier.seller_kind == USER
        and since <= earlier.executed_at <= until
        and not same_deal
        and (earlier.seller_id, earlier.buyer_user_id)
        in {(sale.seller_id, sale.buyer_user_id), (sale.buyer_user_id, sale.seller_id)}
    )


def bounces(sale: SaleFacts, candidates: Sequence[SaleFacts]) -> list[str]:
    """Ids of the earlier sales that, with ``sale``, make a bounce (both are flagged)."""
    return [c.id for c in candidates if is_bounce(sale, c)]


def is_wash_suspect(sale: SaleFacts, bounced: Sequence[str], seller_funded_buyer: bool) -> bool:
    return may_be_wash(sale) and (bool(bounced) or seller_funded_buyer)
