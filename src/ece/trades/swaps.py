"""How an accepted trade offer settles: the cards its tokens buy, their sales, and the one
linked ledger group that pays every leg (``service.accept_offer`` runs these in order).

The pricing rule itself is pure and lives in ``ece.trades.pricing``; a priced card's share is
split and recorded exactly like a marketplace sale (``ece.settlement.service``).
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from ece.cards.models import Card, Company
from ece.cards.service import CardOwner, Price
from ece.core.db import new_id
from ece.core.money import Asset
from ece.ledger import service as ledger
from ece.ledger.models import TransferCode
from ece.ledger.service import Operation, TransferSpec, VoidPending
from ece.settlement.service import (
    Sale,
    SaleSource,
    fee_account,
    record_sale,
    sale_payments,
    sale_split,
    split_price,
)
from ece.trades.models import TradeOffer, TradeSide
from ece.trades.pricing import allocate, priced_cards
from ece.trades.queries import TradeView, amounts
from ece.trades.value import reference_prices


def hold_id(offer_id: str, asset: Asset) -> str:
    """The pending transfer holding the giver's ``asset`` while the offer lives."""
    return f"trade_offer:{offer_id}:hold:{asset.value}"


def offer_reference(offer_id: str) -> str:
    return f"trade_offer:{offer_id}"


@dataclass(frozen=True, slots=True)
class CardSale:
    """One card priced by an accepted offer: ``payer``'s side buys it for ``price``."""

    card_id: str
    company: Company
    price: Price
    payer: TradeSide


async def card_sales(session: AsyncSession, offer: TradeOffer, view: TradeView) -> list[CardSale]:
    """The cards this swap sells and their prices (``ece.trades.pricing``), weighted by each
    card's company reference price as it stands before the swap, from evidence neither party
    made (``value.reference_prices``)."""
    priced = priced_cards(
        dict(amounts(offer, TradeSide.give)),
        dict(amounts(offer, TradeSide.want)),
        view.give_cards,
        view.want_cards,
    )
    if not priced:
        return []
    card_ids = sorted({c for p in priced for c in p.card_ids})
    rows = await session.execute(select(Card.id, Card.company_id).where(Card.id.in_(card_ids)))
    company_of = {row.id: row.company_id for row in rows}
    company_ids = sorted(set(company_of.values()))
    companies = {
        c.id: c for c in await session.scalars(select(Company).where(Company.id.in_(company_ids)))
    }
    reference = await reference_prices(session, offer, company_ids)
    sales = []
    for p in priced:
        weights = [reference.get(company_of[c], {}).get(p.currency) for c in p.card_ids]
        for card_id, share in zip(p.card_ids, allocate(p.price, weights), strict=True):
            if share > 0:
                company = companies[company_of[card_id]]
                sales.append(CardSale(card_id, company, Price(share, p.currency), p.payer))
    return sales


async def record_sales(
    session: AsyncSession, offer: TradeOffer, card_sales: list[CardSale], fee_bps: int
) -> dict[tuple[TradeSide, Asset], list[Sale]]:
    """A ``Sale`` per priced card and currency, split like any sale (trade fee and the card's
    company royalty), wash-checked; grouped by the paying side and currency."""
    recorded: dict[tuple[TradeSide, Asset], list[Sale]] = {}
    for item in card_sales:
        if item.payer is TradeSide.give:
            seller, buyer = offer.taker_user_id, offer.maker_user_id
        else:
            seller, buyer = offer.maker_user_id, offer.taker_user_id
        split = sale_split(
            item.price.amount, fee_bps=fee_bps, royalty_bps=item.company.royalty_bps, primary=False
        )
        sale = await record_sale(
            session, new_id(), item.card_id, item.company.id, CardOwner.user(seller), buyer,
            item.price, split, SaleSource.trade_offer, offer.id,
        )  # fmt: skip
        recorded.setdefault((item.payer, item.price.asset), []).append(sale)
    return recorded


async def payments(
    session: AsyncSession,
    offer: TradeOffer,
    sales: dict[tuple[TradeSide, Asset], list[Sale]],
    fee_bps: int,
) -> list[Operation]:
    """One linked group paying every token leg: the part of a leg that buys cards pays each
    sale (seller, fee, royalty; reference ``sale:...``), the rest is a plain transfer that pays
    the trade fee. The giver's holds are released in the same group and paid from at once, so
    the giver pays exactly the amount held."""
    reference = offer_reference(offer.id)
    ops: list[Operation] = []
    for side, payer, payee in (
        (TradeSide.give, offer.maker_user_id, offer.taker_user_id),
        (TradeSide.want, offer.taker_user_id, offer.maker_user_id),
    ):
        for asset, amount in amounts(offer, side):
            payer_account = await ledger.user_account(session, payer, asset)
            payee_account = await ledger.user_account(session, payee, asset)
            if side is TradeSide.give:
                held = hold_id(offer.id, asset)
                ops.append(VoidPending(f"{held}:settle", held))
            sold = sales.get((side, asset), [])
            for sale in sold:
                ops.extend(await sale_payments(session, sale, payer_account, payee_account))
            plain = amount - sum(sale.price for sale in sold)
            if plain <= 0:
                continue
            leg = f"{reference}:{side.value}:{asset.value}"
            fee = split_price(plain, fee_bps, 0).fee
            ops.append(
                TransferSpec(
                    leg, payer_account, payee_account, asset, plain - fee, TransferCode.trade,
                    reference,
                )
            )  # fmt: skip
            if fee:
                fees = await fee_account(session, asset, leg)
                ops.append(
                    TransferSpec(
                        f"{leg}:fee", payer_account, fees, asset, fee, TransferCode.fee, reference
                    )
                )
    return ops
