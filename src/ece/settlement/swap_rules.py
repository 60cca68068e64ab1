"""How a swap (an accepted trade offer) settles, as pure rules: what it sells, at what price
per card, and the token legs that pay for it. ``ece.settlement.swaps`` runs them.

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
- Each priced card is a sale split like any secondary sale (trade fee and its company's
  royalty). The rest of a token leg is a plain transfer paying ``fee_bps`` of it (floored) to
  the platform, taken from what the recipient receives: the payer pays exactly the amount
  offered, and the giver's holds are exactly what it pays.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass
from enum import StrEnum
from statistics import median_low

from ece.core.money import Asset
from ece.settlement.rules import Split, split_price

# How many of a company's latest market sales its reference looks at: one odd sale (a dust
# price, a fortune) among five cannot take their median outside the other four.
REFERENCE_SALES = 5


class SwapSide(StrEnum):
    give = "give"  # the maker's side: its cards are locked and its tokens held
    want = "want"  # the taker's side: checked and moved only on accept


@dataclass(frozen=True, slots=True)
class Swap:
    """An accepted (or open) trade offer as settlement sees it; token amounts in base units,
    only positive ones, in ``Asset`` order."""

    id: str
    maker_user_id: str
    taker_user_id: str
    give_tokens: tuple[tuple[Asset, int], ...] = ()
    want_tokens: tuple[tuple[Asset, int], ...] = ()
    give_cards: tuple[str, ...] = ()
    want_cards: tuple[str, ...] = ()

    def tokens(self, side: SwapSide) -> tuple[tuple[Asset, int], ...]:
        return self.give_tokens if side is SwapSide.give else self.want_tokens

    def payer(self, side: SwapSide) -> str:
        """Who gives ``side``'s tokens and cards."""
        return self.maker_user_id if side is SwapSide.give else self.taker_user_id

    def payee(self, side: SwapSide) -> str:
        return self.taker_user_id if side is SwapSide.give else self.maker_user_id


def swap_reference(swap_id: str) -> str:
    """The reference of every plain transfer and hold of a swap."""
    return f"trade_offer:{swap_id}"


def hold_id(swap_id: str, asset: Asset) -> str:
    """The pending transfer holding the giver's ``asset`` while the offer lives."""
    return f"{swap_reference(swap_id)}:hold:{asset.value}"


# ---------------------------------------------------------------------------------------------
# What a swap sells


@dataclass(frozen=True, slots=True)
class PricedCards:
    """In ``currency``, the side ``payer`` pays ``price`` of its tokens for ``card_ids``."""

    currency: Asset
    payer: SwapSide
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
            found.append(PricedCards(currency, SwapSide.give, net, tuple(sorted(want_cards))))
        elif net < 0 and give_cards:  # the taker pays for the maker's cards
            found.append(PricedCards(currency, SwapSide.want, -net, tuple(sorted(give_cards))))
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


@dataclass(frozen=True, slots=True)
class CardSale:
    """One card a swap sells: ``payer``'s side buys it for ``price`` of ``currency``."""

    card_id: str
    company_id: str
    price: int
    currency: Asset
    payer: SwapSide


def card_sales(
    swap: Swap,
    company_of: Mapping[str, str],
    references: Mapping[str, Mapping[Asset, int]],
) -> list[CardSale]:
    """The cards ``swap`` sells and their prices, each price split over its cards by their
    companies' ``references`` (company id → currency → reference price)."""
    sales = []
    priced = priced_cards(
        dict(swap.give_tokens), dict(swap.want_tokens), swap.give_cards, swap.want_cards
    )
    for p in priced:
        weights = [references.get(company_of[c], {}).get(p.currency) for c in p.card_ids]
        for card_id, share in zip(p.card_ids, allocate(p.price, weights), strict=True):
            if share > 0:
                sales.append(CardSale(card_id, company_of[card_id], share, p.currency, p.payer))
    return sales


def first_prices(sales: Sequence[CardSale]) -> dict[str, tuple[int, Asset]]:
    """The price each sold card shows in its history: a card priced in both currencies shows
    its first."""
    found: dict[str, tuple[int, Asset]] = {}
    for sale in sales:
        found.setdefault(sale.card_id, (sale.price, sale.currency))
    return found


def value_hints(
    card_ids: Sequence[str],
    company_of: Mapping[str, str],
    references: Mapping[str, Mapping[Asset, int]],
) -> dict[str, tuple[int, Asset]]:
    """The market value each card a swap moves without a price carries in its history (its
    company's reference price), all in one currency so a receiver's basis can add them up:
    USDC when every card has a USDC reference, else ECE when every card has an ECE one, else
    none (the cards keep an unknown basis)."""
    for currency in (Asset.USDC, Asset.ECE):
        found = {c: references.get(company_of[c], {}).get(currency) for c in card_ids}
        if card_ids and all(v is not None and v > 0 for v in found.values()):
            return {c: (v, currency) for c, v in found.items() if v is not None}
    return {}


# ---------------------------------------------------------------------------------------------
# The legs that pay for it


def swap_sale_split(price: int, *, fee_bps: int, royalty_bps: int) -> Split:
    """A card sold by a swap is a secondary sale: trade fee and its company's royalty."""
    return split_price(price, fee_bps, royalty_bps)


@dataclass(frozen=True, slots=True)
class TokenLeg:
    """All of one side's tokens in one asset: ``sold`` of it pays card sales (each split like
    a sale), the ``plain`` rest goes to the other party less the trade ``fee``."""

    side: SwapSide
    asset: Asset
    amount: int
    sold: int
    fee: int

    @property
    def plain(self) -> int:
        return self.amount - self.sold

    @property
    def to_payee(self) -> int:
        return self.plain - self.fee


def token_legs(swap: Swap, sales: Sequence[CardSale], fee_bps: int) -> list[TokenLeg]:
    """Every token leg of ``swap``: the giver's first, then the taker's, in ``Asset`` order."""
    legs = []
    for side in SwapSide:
        for asset, amount in swap.tokens(side):
            sold = sum(s.price for s in sales if s.payer is side and s.currency is asset)
            plain = amount - sold
            fee = split_price(plain, fee_bps, 0).fee if plain > 0 else 0
            legs.append(TokenLeg(side, asset, amount, sold, fee))
    return legs
