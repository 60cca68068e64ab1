"""Settling a swap (an accepted trade offer): the giver's holds while the offer lives, then in
the accepting transaction the cards, the sales they make, and one linked ledger group paying
every leg. The rules (what is sold, at what price, the legs) are in ``swap_rules``.

A priced card's share is split and recorded exactly like a marketplace sale
(``record_sale``/``sale_payments``); the plain rest of a token leg pays the trade fee.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from typing import Protocol

from sqlalchemy.ext.asyncio import AsyncSession

from ece.cards import service as cards
from ece.cards.service import CardOwner, Price
from ece.core.db import new_id
from ece.core.money import Asset
from ece.ledger import service as ledger
from ece.ledger.service import Operation, TransferCode, TransferSpec, VoidPending
from ece.settlement.models import Sale, SaleSource
from ece.settlement.sales import record_sale
from ece.settlement.swap_rules import (
    CardSale,
    Swap,
    SwapSide,
    TokenLeg,
    card_sales,
    first_prices,
    hold_id,
    priced_cards,
    swap_reference,
    swap_sale_split,
    token_legs,
    value_hints,
)
from ece.settlement.transfers import fee_account, sale_payments

SWAP_REASON = "trade"  # the card history reason of a card a swap moves without a price


class ReferencePrices(Protocol):
    """Each company's reference price per currency (``swap_rules.reference_price``), from
    evidence neither of ``parties`` made; provided by the market data read model."""

    async def __call__(
        self, session: AsyncSession, company_ids: Collection[str], parties: Collection[str]
    ) -> dict[str, dict[Asset, int]]: ...


async def hold_swap_tokens(session: AsyncSession, swap: Swap) -> None:
    """Hold the giver's tokens: one pending transfer per asset straight to the receiver.
    Raises ``InsufficientFunds`` (nothing is written)."""
    holds: list[Operation] = [
        TransferSpec(
            hold_id(swap.id, asset),
            await ledger.user_account(session, swap.maker_user_id, asset),
            await ledger.user_account(session, swap.taker_user_id, asset),
            asset,
            amount,
            TransferCode.hold,
            swap_reference(swap.id),
            pending=True,
        )
        for asset, amount in swap.give_tokens
    ]
    await ledger.create_transfers(session, holds)


async def release_swap_tokens(session: AsyncSession, swap: Swap) -> None:
    """Give the giver its held tokens back (decline, cancel, counter, expiry)."""
    voids: list[Operation] = [
        VoidPending(f"{hold_id(swap.id, asset)}:void", hold_id(swap.id, asset))
        for asset, _ in swap.give_tokens
    ]
    await ledger.create_transfers(session, voids)


async def settle_swap(
    session: AsyncSession, swap: Swap, *, fee_bps: int, prices: ReferencePrices
) -> list[str]:
    """Move every card and token of ``swap``, or nothing: the cards its tokens buy are priced
    by ``prices`` as they stand before the swap, recorded as sales (fee and royalty) and paid
    in one linked ledger group with the plain legs. Returns the ids of the sales."""
    sold = await price_swap(session, swap, prices)
    hints = await _value_hints(session, swap, sold, prices)
    await _move_cards(session, swap, sold, hints)
    sales = await _record_sales(session, swap, sold, fee_bps)
    await ledger.create_transfers(session, await _payments(session, swap, sold, sales, fee_bps))
    return [sale.id for sale in sales]


async def price_swap(session: AsyncSession, swap: Swap, prices: ReferencePrices) -> list[CardSale]:
    """The cards ``swap`` sells and their prices (``swap_rules.card_sales``)."""
    priced = priced_cards(
        dict(swap.give_tokens), dict(swap.want_tokens), swap.give_cards, swap.want_cards
    )
    if not priced:
        return []
    card_ids = sorted({c for p in priced for c in p.card_ids})
    company_of = {
        c.id: c.company_id for c in (await cards.card_holdings(session, card_ids)).values()
    }
    parties = {swap.maker_user_id, swap.taker_user_id}
    references = await prices(session, sorted(set(company_of.values())), parties)
    return card_sales(swap, company_of, references)


async def _value_hints(
    session: AsyncSession, swap: Swap, sold: Sequence[CardSale], prices: ReferencePrices
) -> dict[str, tuple[int, Asset]]:
    """The market value of each card the swap moves without a price (``value_hints``)."""
    priced = {s.card_id for s in sold}
    unpriced = sorted(c for c in (*swap.give_cards, *swap.want_cards) if c not in priced)
    if not unpriced:
        return {}
    company_of = {
        c.id: c.company_id for c in (await cards.card_holdings(session, unpriced)).values()
    }
    parties = {swap.maker_user_id, swap.taker_user_id}
    references = await prices(session, sorted(set(company_of.values())), parties)
    return value_hints(unpriced, company_of, references)


async def _move_cards(
    session: AsyncSession,
    swap: Swap,
    sold: Sequence[CardSale],
    hints: dict[str, tuple[int, Asset]],
) -> None:
    maker, taker = CardOwner.user(swap.maker_user_id), CardOwner.user(swap.taker_user_id)
    moves = [(c, maker, taker) for c in swap.give_cards] + [
        (c, taker, maker) for c in swap.want_cards
    ]
    price_of = first_prices(sold)
    for card_id, source, target in sorted(moves, key=lambda m: m[0]):
        price = Price(*price_of[card_id]) if card_id in price_of else None
        reason = SaleSource.trade_offer.value if price else SWAP_REASON
        hint = Price(*hints[card_id]) if card_id in hints and price is None else None
        await cards.transfer_card(
            session, card_id, source, target, reason, swap.id, price=price, value_hint=hint
        )


async def _record_sales(
    session: AsyncSession, swap: Swap, sold: Sequence[CardSale], fee_bps: int
) -> list[Sale]:
    """A ``Sale`` per priced card and currency, split like any secondary sale, wash-checked."""
    royalties = await cards.royalty_bps_of(session, sorted({s.company_id for s in sold}))
    recorded = []
    for item in sold:
        buyer = swap.payer(item.payer)
        seller = swap.payee(item.payer)
        split = swap_sale_split(item.price, fee_bps=fee_bps, royalty_bps=royalties[item.company_id])
        sale = await record_sale(
            session, new_id(), item.card_id, item.company_id, CardOwner.user(seller), buyer,
            Price(item.price, item.currency), split, SaleSource.trade_offer, swap.id,
        )  # fmt: skip
        recorded.append(sale)
    return recorded


async def _payments(
    session: AsyncSession,
    swap: Swap,
    sold: Sequence[CardSale],
    sales: Sequence[Sale],
    fee_bps: int,
) -> list[Operation]:
    """One linked group paying every token leg: the part of a leg that buys cards pays each
    sale (seller, fee, royalty; reference ``sale:...``), the rest is a plain transfer that pays
    the trade fee. The giver's holds are released in the same group and paid from at once, so
    the giver pays exactly the amount held."""
    ops: list[Operation] = []
    for leg in token_legs(swap, sold, fee_bps):
        payer = await ledger.user_account(session, swap.payer(leg.side), leg.asset)
        payee = await ledger.user_account(session, swap.payee(leg.side), leg.asset)
        if leg.side is SwapSide.give:
            held = hold_id(swap.id, leg.asset)
            ops.append(VoidPending(f"{held}:settle", held))
        for item, sale in zip(sold, sales, strict=True):
            if item.payer is leg.side and item.currency is leg.asset:
                ops.extend(await sale_payments(session, sale, payer, payee))
        if leg.plain > 0:
            ops.extend(await _plain_leg(session, swap, leg, payer, payee))
    return ops


async def _plain_leg(
    session: AsyncSession, swap: Swap, leg: TokenLeg, payer: int, payee: int
) -> list[Operation]:
    reference = swap_reference(swap.id)
    leg_id = f"{reference}:{leg.side.value}:{leg.asset.value}"
    ops: list[Operation] = [
        TransferSpec(leg_id, payer, payee, leg.asset, leg.to_payee, TransferCode.trade, reference)
    ]
    if leg.fee:
        fees = await fee_account(session, leg.asset, leg_id)
        ops.append(
            TransferSpec(
                f"{leg_id}:fee", payer, fees, leg.asset, leg.fee, TransferCode.fee, reference
            )
        )
    return ops
