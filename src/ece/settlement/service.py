"""Settling a sale: the card and the money change hands in one transaction or not at all.

``settle_sale`` is the one function every marketplace sale calls (listing, sweep, offer,
collection offer); an accepted trade offer records its sales with ``record_sale`` and pays them
with ``sale_payments``. Locks are taken in one order everywhere: the listing or offer row first
(by its caller), then the card row (``transfer_card``), then the ledger accounts
(``create_transfers``, in account-id order), so concurrent sales never deadlock.

The rules (split, primary sale, fee shards, legs, wash trades) are in ``ece.settlement.rules``.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from sqlalchemy.ext.asyncio import AsyncSession

from ece.auth import service as auth
from ece.cards import service as cards
from ece.cards.service import CardOwner, OwnerKind, Price
from ece.core.clock import utcnow
from ece.core.db import new_id
from ece.core.errors import Conflict
from ece.core.money import Asset, format_amount
from ece.core.outbox import emit
from ece.ledger import service as ledger
from ece.ledger.models import OwnerType, TransferCode
from ece.ledger.service import Operation, PostPending, TransferSpec
from ece.settlement import repository, rules
from ece.settlement.models import Sale, SaleSource
from ece.settlement.rules import (
    FEE_SHARDS,
    FEES,
    LegKind,
    Split,
    fee_purpose,
    is_primary,
    sale_reference,
    sale_split,
    split_price,
)

__all__ = [
    "FEES",
    "FEE_SHARDS",
    "OFFER_HOLDS",
    "PLATFORM_OWNER_ID",
    "FromHold",
    "Sale",
    "SaleSource",
    "Split",
    "Trade",
    "addresses",
    "fee_account",
    "flag_wash_trade",
    "offer_escrow_account",
    "platform_fees",
    "record_sale",
    "sale_payments",
    "sale_reference",
    "sale_split",
    "settle_sale",
    "split_price",
    "trades_of",
]

PLATFORM_OWNER_ID = "ece"
OFFER_HOLDS = "offer_holds"  # purpose of a buyer's escrow account that offer holds credit

_LEG_CODES = {
    LegKind.seller: TransferCode.trade,
    LegKind.fee: TransferCode.fee,
    LegKind.royalty: TransferCode.royalty,
}


async def fee_account(session: AsyncSession, asset: Asset, spread_by: str) -> int:
    """The platform revenue account a fee credits (``rules.fee_purpose`` picks the shard)."""
    purpose = fee_purpose(spread_by)
    return await ledger.account_for(session, OwnerType.platform, PLATFORM_OWNER_ID, asset, purpose)


async def platform_fees(session: AsyncSession, asset: Asset) -> int:
    """Fees the platform has earned in ``asset``: the total of its revenue accounts."""
    return await ledger.posted_total(
        session, OwnerType.platform, PLATFORM_OWNER_ID, asset, rules.fee_purposes()
    )


async def offer_escrow_account(session: AsyncSession, buyer_user_id: str, asset: Asset) -> int:
    """Where a buyer's offer holds point: per buyer, so offers of different buyers never wait
    on one hot row."""
    return await ledger.account_for(session, OwnerType.escrow, buyer_user_id, asset, OFFER_HOLDS)


@dataclass(frozen=True, slots=True)
class FromHold:
    """Pay from the buyer's pending hold instead of their spendable balance.

    ``price`` of the hold is posted to ``escrow_account_id`` and the rest released; when
    ``rehold`` > 0 that much is held again at once under ``rehold_id`` (what an offer still has
    open), all in the sale's linked group.
    """

    pending_id: str
    escrow_account_id: int
    rehold: int = 0
    rehold_id: str | None = None


@dataclass(frozen=True, slots=True)
class Trade:
    """A sale with the wallets of its parties, as the API shows it."""

    sale: Sale
    seller_address: str | None  # None when the seller is a company's issuer inventory
    buyer_address: str


async def settle_sale(
    session: AsyncSession,
    card: cards.Card,
    buyer_user_id: str,
    price: int,
    currency: Asset,
    source: SaleSource,
    ref: str,
    *,
    fee_bps: int,
    hold: FromHold | None = None,
) -> Sale:
    """Sell ``card`` from its current owner to ``buyer_user_id`` for ``price``.

    One linked ledger group moves the money: buyer (or their hold) → seller ``price - fee -
    royalty``, → platform fee account ``fee``, → company royalty payable ``royalty``; for a
    primary sale the seller's part goes to the company's sales payable and there is no royalty.
    The card moves with ``transfer_card`` (``ref`` must be the reference of the lock holding the
    card, if any), a ``Sale`` row is written and ``trade.executed`` emitted, and the money moves
    last, so the caller should do no more round trips after this before committing. Raises
    ``InsufficientFunds`` (409), ``Conflict`` ``own_card`` and the card errors of
    ``transfer_card``; the caller's transaction must then be rolled back.
    """
    seller = CardOwner.of(card)
    if seller.user_id == buyer_user_id:
        raise Conflict("You cannot buy your own card.", code="own_card")
    company = await cards.get_company(session, card.company_id)
    amount = Price(price, currency)
    split = sale_split(
        price,
        fee_bps=fee_bps,
        royalty_bps=company.royalty_bps,
        primary=is_primary(seller.kind.value),
    )
    sale_id = new_id()
    buyer = CardOwner.user(buyer_user_id)
    await cards.transfer_card(
        session, card.id, seller, buyer, reason=source.value, ref=ref, price=amount
    )
    sale = await record_sale(
        session, sale_id, card.id, company.id, seller, buyer_user_id, amount, split, source, ref
    )
    # The money moves last: the ledger rows it locks (the platform fee account is shared by
    # every sale) are then held only until the commit that follows.
    ops = await _sale_operations(session, sale, seller, hold)
    # Every id derives from the new sale id, except an offer's re-hold, which its caller names.
    await ledger.create_transfers(session, ops, new_ids=hold is None)
    return sale


async def _seller_account(session: AsyncSession, sale: Sale, seller: CardOwner) -> int:
    """A primary sale pays the company's sales payable; any other sale the seller user."""
    currency = Asset(sale.currency)
    if is_primary(seller.kind.value):
        return await cards.payable_account(session, sale.company_id, currency, cards.SALES)
    assert seller.user_id is not None
    return await ledger.user_account(session, seller.user_id, currency)


async def _sale_operations(
    session: AsyncSession, sale: Sale, seller: CardOwner, hold: FromHold | None
) -> list[Operation]:
    """The linked group paying ``sale``: from the buyer, or out of their hold (re-holding
    what an offer still has open)."""
    currency = Asset(sale.currency)
    seller_account = await _seller_account(session, sale, seller)
    buyer_account = await ledger.user_account(session, sale.buyer_user_id, currency)
    reference = sale_reference(sale.id)
    ops: list[Operation] = []
    payer = buyer_account
    if hold is not None:
        ops.append(PostPending(f"{reference}:hold", hold.pending_id, sale.price))
        payer = hold.escrow_account_id
    ops.extend(await sale_payments(session, sale, payer, seller_account))
    if hold is not None and hold.rehold > 0:
        assert hold.rehold_id is not None
        ops.append(
            TransferSpec(
                hold.rehold_id,
                buyer_account,
                hold.escrow_account_id,
                currency,
                hold.rehold,
                TransferCode.hold,
                reference,
                pending=True,
            )
        )
    return ops


async def record_sale(
    session: AsyncSession,
    sale_id: str,
    card_id: str,
    company_id: str,
    seller: CardOwner,
    buyer_user_id: str,
    price: Price,
    split: Split,
    source: SaleSource,
    ref: str,
) -> Sale:
    """Write the ``Sale`` row of a card that has just moved, flag it if it looks like a wash
    trade (before its money moves, so stats and candles never count it) and emit
    ``trade.executed``. Every sale path calls it: ``settle_sale`` and accepted trade offers."""
    sale = await repository.insert_sale(
        session,
        Sale(
            id=sale_id,
            card_id=card_id,
            company_id=company_id,
            seller_kind=seller.kind.value,
            seller_id=seller.id,
            buyer_user_id=buyer_user_id,
            price=price.amount,
            currency=price.asset.value,
            fee=split.fee,
            royalty=split.royalty,
            source=source.value,
            ref=ref,
            executed_at=utcnow(),
            wash_suspect=False,
        ),
    )
    await flag_wash_trade(session, sale)
    await emit(
        session,
        "trade.executed",
        sale.id,
        card_id=card_id,
        company_id=company_id,
        seller={"kind": seller.kind.value, "id": seller.id},
        buyer_user_id=buyer_user_id,
        price=format_amount(price.amount, price.asset),
        fee=format_amount(split.fee, price.asset),
        royalty=format_amount(split.royalty, price.asset),
        currency=price.asset.value,
        source=source.value,
        ref=ref,
    )
    return sale


async def flag_wash_trade(session: AsyncSession, sale: Sale) -> bool:
    """Flag ``sale`` (and the earlier leg of a bounce) when ``rules`` judges it a wash trade.
    Call it in the settling transaction, after the row is flushed. Returns whether it was."""
    facts = repository.facts(sale)
    if not rules.may_be_wash(facts):
        return False
    since, until = rules.wash_window(facts)
    earlier = rules.bounces(
        facts, await repository.user_sales_of_card(session, sale.card_id, since, until)
    )
    funded = not earlier and await ledger.user_paid_user(
        session,
        sale.seller_id,
        sale.buyer_user_id,
        since,
        until,
        except_reference_prefix=rules.SALE_REFERENCE_PREFIX,
    )
    if not rules.is_wash_suspect(facts, earlier, funded):
        return False
    if earlier:
        await repository.flag_wash_suspects(session, earlier)
    sale.wash_suspect = True
    await session.flush()
    return True


async def sale_payments(
    session: AsyncSession, sale: Sale, payer_account: int, seller_account: int
) -> list[Operation]:
    """The transfers that pay for ``sale`` from ``payer_account``: the seller's part, the
    platform fee and the company royalty, as ``sale``'s split says (``rules.sale_legs``).
    One linked group with the caller's other transfers."""
    currency = Asset(sale.currency)
    accounts = {
        LegKind.seller: seller_account,
        LegKind.fee: await fee_account(session, currency, sale.id),
    }
    if sale.royalty:
        accounts[LegKind.royalty] = await cards.payable_account(
            session, sale.company_id, currency, cards.ROYALTIES
        )
    reference = sale_reference(sale.id)
    return [
        TransferSpec(
            leg.transfer_id(sale.id),
            payer_account,
            accounts[leg.kind],
            currency,
            leg.amount,
            _LEG_CODES[leg.kind],
            reference,
        )
        for leg in rules.sale_legs(sale.price, sale.fee, sale.royalty)
    ]


async def addresses(session: AsyncSession, user_ids: Iterable[str]) -> dict[str, str]:
    """Wallet address of each user id."""
    return await auth.addresses(session, user_ids)


async def trades_of(session: AsyncSession, sales: Sequence[Sale]) -> list[Trade]:
    """``sales`` with the wallets of their parties."""
    wallets = await addresses(
        session,
        [s.buyer_user_id for s in sales]
        + [s.seller_id for s in sales if s.seller_kind == OwnerKind.user.value],
    )
    return [
        Trade(
            sale,
            wallets.get(sale.seller_id) if sale.seller_kind == OwnerKind.user.value else None,
            wallets[sale.buyer_user_id],
        )
        for sale in sales
    ]
