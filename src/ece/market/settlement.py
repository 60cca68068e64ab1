"""Settling a sale: the card and the money change hands in one transaction or not at all.

``settle_sale`` is the one function every sale path calls (listing, sweep, offer, collection
offer, and other domains' trades). Locks are taken in one order everywhere: the listing or offer
row first (by its caller), then the card row (``transfer_card``), then the ledger accounts
(``create_transfers``, in account-id order), so concurrent sales never deadlock.
"""

from __future__ import annotations

import zlib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from ece.auth.models import User
from ece.cards import service as cards
from ece.cards.models import Card, Company
from ece.cards.service import CardOwner, OwnerKind, Price
from ece.core.clock import utcnow
from ece.core.db import new_id
from ece.core.errors import Conflict, NotFound
from ece.core.money import Asset, format_amount
from ece.core.outbox import emit
from ece.ledger import service as ledger
from ece.ledger.service import Operation, OwnerType, PostPending, TransferCode, TransferSpec
from ece.market.fees import Split, split_price
from ece.market.models import Sale, SaleSource
from ece.marketdata.wash import flag_wash_trade

PLATFORM_OWNER_ID = "ece"
FEES = "fees"  # purpose of the platform's revenue account, one per asset
OFFER_HOLDS = "offer_holds"  # purpose of a buyer's escrow account that offer holds credit


FEE_SHARDS = 16  # platform revenue accounts per asset: concurrent sales never queue on one row


async def fee_account(session: AsyncSession, asset: Asset, spread_by: str) -> int:
    """The platform revenue account a fee credits: one of ``FEE_SHARDS`` per asset, picked by
    ``spread_by`` (the sale's or trade's id). Every sale locks the account its fee credits until
    it commits, so a single account would make all sales on PostgreSQL wait in one line.
    Platform revenue is their sum (``platform_fees``)."""
    shard = zlib.crc32(spread_by.encode()) % FEE_SHARDS
    purpose = FEES if shard == 0 else f"{FEES}:{shard}"
    return await ledger.account_for(session, OwnerType.platform, PLATFORM_OWNER_ID, asset, purpose)


async def platform_fees(session: AsyncSession, asset: Asset) -> int:
    """Fees the platform has earned in ``asset``: the total of its revenue accounts."""
    return await ledger.posted_total(session, OwnerType.platform, PLATFORM_OWNER_ID, asset, FEES)


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


def sale_split(price: int, *, fee_bps: int, royalty_bps: int, primary: bool) -> Split:
    """A primary sale (from the issuer inventory) pays no royalty: the company is the seller."""
    return split_price(price, fee_bps, 0 if primary else royalty_bps)


async def settle_sale(
    session: AsyncSession,
    card: Card,
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
    company = await session.get(Company, card.company_id)
    if company is None:
        raise NotFound("No such company.", code="company_not_found")
    primary = seller.kind is OwnerKind.issuer
    split = sale_split(price, fee_bps=fee_bps, royalty_bps=company.royalty_bps, primary=primary)

    sale_id = new_id()
    await cards.transfer_card(
        session,
        card.id,
        seller,
        CardOwner.user(buyer_user_id),
        reason=source.value,
        ref=ref,
        price=Price(price, currency),
    )
    sale = await record_sale(
        session,
        sale_id,
        card.id,
        company.id,
        seller,
        buyer_user_id,
        Price(price, currency),
        split,
        source,
        ref,
    )
    # The money moves last: the ledger rows it locks (the platform fee account is shared by
    # every sale) are then held only until the commit that follows.
    if primary:
        seller_account = await cards.payable_account(session, company.id, currency, cards.SALES)
    else:
        assert seller.user_id is not None
        seller_account = await ledger.user_account(session, seller.user_id, currency)
    buyer_account = await ledger.user_account(session, buyer_user_id, currency)
    reference = sale_reference(sale_id)
    ops: list[Operation] = []
    payer = buyer_account
    if hold is not None:
        ops.append(PostPending(f"{reference}:hold", hold.pending_id, price))
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
    # Every id derives from the new sale id, except an offer's re-hold, which its caller names.
    await ledger.create_transfers(session, ops, new_ids=hold is None)

    return sale


def sale_reference(sale_id: str) -> str:
    """The reference of every transfer that pays for a sale (wash checks know it by this)."""
    return f"sale:{sale_id}"


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
    sale = Sale(
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
    )
    session.add(sale)
    await session.flush()
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


async def sale_payments(
    session: AsyncSession, sale: Sale, payer_account: int, seller_account: int
) -> list[Operation]:
    """The transfers that pay for ``sale`` from ``payer_account``: the seller's part, the
    platform fee and the company royalty, as ``sale``'s split says (zero cuts are left out).
    One linked group with the caller's other transfers."""
    currency = Asset(sale.currency)
    reference = sale_reference(sale.id)
    legs = [
        ("seller", seller_account, sale.price - sale.fee - sale.royalty, TransferCode.trade),
        ("fee", await fee_account(session, currency, sale.id), sale.fee, TransferCode.fee),
    ]
    if sale.royalty:
        royalties = await cards.payable_account(session, sale.company_id, currency, cards.ROYALTIES)
        legs.append(("royalty", royalties, sale.royalty, TransferCode.royalty))
    return [
        TransferSpec(
            f"{reference}:{leg}", payer_account, account, currency, amount, code, reference
        )
        for leg, account, amount, code in legs
        if amount > 0  # a zero cut (tiny prices, 0 bps) is no transfer at all
    ]


async def addresses(session: AsyncSession, user_ids: Iterable[str]) -> dict[str, str]:
    """Wallet address of each user id."""
    ids = sorted(set(user_ids))
    if not ids:
        return {}
    rows = await session.execute(select(User.id, User.address).where(User.id.in_(ids)))
    return {row.id: row.address for row in rows}


async def trades_of(session: AsyncSession, sales: Sequence[Sale]) -> list[Trade]:
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
