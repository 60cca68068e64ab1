"""What an accepted trade offer sells: the pure rule that turns a swap into priced cards.

Per currency (ECE and USDC apart, never converted), the tokens that flow one way pay for the
cards that flow the other way:

- The net flow of a currency is what one side gives in it minus what the other side gives in
  it. When the side paying that net receives cards, the net is the price of those cards in
  that currency (a card for 500 USDC: the card sold for 500 USDC). A card can so be priced in
  both currencies (a card for 10 ECE and 5 USDC: two sales of it).
- No cards coming back (tokens for nothing, or tokens for tokens), or no net flow: nothing is
  sold in that currency; its tokens are a plain transfer and pay the trade fee only.
- Cards both ways with a token top-up: the top-up is the price of the cards flowing towards its
  payer (card A and 10 USDC for card B: B is sold for 10 USDC; A moves unpriced). The recorded
  price is then a lower bound of the cards' worth; the royalty is paid on the tokens that
  actually changed hands.
- A price over several cards is split by ``allocate``: pro rata to each card's weight (its
  company's ``reference_price`` in that currency) when every card has one, equally otherwise;
  floored, the remainder to the last card (cards in id order), so the shares always add up to
  the price exactly. A card whose share is 0 is not sold.
- The reference must be one neither party of the swap can set: the cheapest live public
  listing by anyone else, else the median of the latest ``REFERENCE_SALES`` market sales in
  which neither party sold nor bought (a party could otherwise list one company's card at a
  fortune and another's at dust, or sell one at dust, and so steer the split and its royalty).
"""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass
from statistics import median_low

from ece.core.money import Asset
from ece.trades.models import TradeSide

# How many of a company's latest market sales its reference looks at: one odd sale (a dust
# price, a fortune) among five cannot take their median outside the other four.
REFERENCE_SALES = 5


@dataclass(frozen=True, slots=True)
class PricedCards:
    """In ``currency``, the side ``payer`` pays ``price`` of its tokens for ``card_ids``."""

    currency: Asset
    payer: TradeSide
    price: int
    card_ids: tuple[str, ...]


def priced_cards(
    give_tokens: Mapping[Asset, int],
    want_tokens: Mapping[Asset, int],
    give_cards: Sequence[str],
    want_cards: Sequence[str],
) -> list[PricedCards]:
    """The sales of a swap, one entry per currency that prices cards (``Asset`` order). The
    ``give`` side is the maker's (its tokens go to the taker), ``want`` the taker's."""
    found = []
    for currency in Asset:
        net = give_tokens.get(currency, 0) - want_tokens.get(currency, 0)
        if net > 0 and want_cards:  # the maker pays for the taker's cards
            found.append(PricedCards(currency, TradeSide.give, net, tuple(sorted(want_cards))))
        elif net < 0 and give_cards:  # the taker pays for the maker's cards
            found.append(PricedCards(currency, TradeSide.want, -net, tuple(sorted(give_cards))))
    return found


def allocate(price: int, weights: Sequence[int | None]) -> list[int]:
    """Split ``price`` base units over cards of these weights (``None`` = unknown): pro rata
    when every weight is known and positive, else equally; floored, the remainder to the last.
    The result always sums to ``price``."""
    if not weights:
        raise ValueError("allocate needs at least one card")
    if price < 0:
        raise ValueError("a price is not negative")
    known = [w for w in weights if w is not None and w > 0]
    if len(known) == len(weights):
        total = sum(known)
        shares = [price * w // total for w in known[:-1]]
    else:
        shares = [price // len(weights)] * (len(weights) - 1)
    return [*shares, price - sum(shares)]


def reference_price(
    parties: Collection[str],
    listings: Sequence[tuple[int, str]],
    sales: Sequence[tuple[int, str, str]],
) -> int | None:
    """What one card of a company is worth in one currency, by evidence neither of ``parties``
    made: the cheapest of ``listings`` (live public listings, ``(price, seller)``) whose seller
    is not a party; else the median (the lower middle one of an even count) of the latest
    ``REFERENCE_SALES`` of ``sales`` (market sales, ``(price, seller, buyer)``, newest first)
    in which no party sold or bought; else ``None`` (unknown: the split is equal)."""
    floor = [price for price, seller in listings if seller not in parties]
    if floor:
        return min(floor)
    recent = [p for p, seller, buyer in sales if seller not in parties and buyer not in parties]
    if recent:
        return median_low(recent[:REFERENCE_SALES])
    return None
