"""Suspected wash trades: sales that look like volume made up between related accounts.

A sale is flagged (``Sale.wash_suspect``) when, within ``WASH_WINDOW`` before it:

1. the same card was sold between the same two accounts, in either direction (the card bounces
   A → B → A, or A sells it to B twice); the earlier sale of the pair is flagged too, since a
   bounce makes both legs suspect (the sales of one trade offer, e.g. one card priced in ECE
   and in USDC, are one deal, not a bounce); or
2. the seller funded the buyer: a posted ledger transfer from any of the seller's accounts to
   any of the buyer's (e.g. tokens given in a trade offer for nothing in return). Payments for
   sales (reference ``sale:...``, which includes the tokens of a trade offer that paid for
   cards) are not funding: they pay for a card the other way.

Flagged sales still happened (the card and money moved); market data leaves them out of volume,
price stats and candles, and shows the flag in the activity feed. Issuer (primary) sales are
never flagged: a company cannot buy its own card back.
"""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import Select, and_, bindparam, exists, not_, or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from ece.cards.service import OwnerKind
from ece.ledger.models import LedgerAccount, LedgerTransfer, OwnerType, TransferKind
from ece.market.models import Sale, SaleSource

WASH_WINDOW = timedelta(days=7)


def _user_accounts(owner: str) -> Select[int]:
    return select(LedgerAccount.id).where(
        LedgerAccount.owner_type == OwnerType.user.value,
        LedgerAccount.owner_id == bindparam(owner),
    )


# Built once: every user-to-user sale runs these in its settling transaction.
_FUNDED = select(
    exists().where(
        LedgerTransfer.debit_account_id.in_(_user_accounts("seller_id")),
        LedgerTransfer.credit_account_id.in_(_user_accounts("buyer_id")),
        # A posted hold is recorded as its post_pending row (same two accounts).
        LedgerTransfer.kind.in_([TransferKind.posted.value, TransferKind.post_pending.value]),
        LedgerTransfer.created_at >= bindparam("since"),
        LedgerTransfer.created_at <= bindparam("until"),
        or_(
            LedgerTransfer.reference.is_(None),
            LedgerTransfer.reference.not_like("sale:%"),
        ),
    )
)
_EARLIER_LEGS = select(Sale.id).where(
    Sale.card_id == bindparam("card_id"),
    Sale.id != bindparam("sale_id"),
    Sale.seller_kind == OwnerKind.user.value,
    Sale.executed_at >= bindparam("since"),
    Sale.executed_at <= bindparam("until"),
    not_(and_(Sale.source == SaleSource.trade_offer.value, Sale.ref == bindparam("ref"))),
    or_(
        and_(Sale.seller_id == bindparam("seller_id"), Sale.buyer_user_id == bindparam("buyer_id")),
        and_(Sale.seller_id == bindparam("buyer_id"), Sale.buyer_user_id == bindparam("seller_id")),
    ),
)


async def flag_wash_trade(session: AsyncSession, sale: Sale) -> bool:
    """Flag ``sale`` (and the earlier leg of a bounce) when it matches the rules above.

    Call it in the settling transaction, after the ``Sale`` row is flushed. Returns whether
    ``sale`` was flagged.
    """
    if sale.seller_kind != OwnerKind.user.value:
        return False
    params = {
        "card_id": sale.card_id,
        "sale_id": sale.id,
        "seller_id": sale.seller_id,
        "buyer_id": sale.buyer_user_id,
        "ref": sale.ref,
        "since": sale.executed_at - WASH_WINDOW,
        "until": sale.executed_at,
    }
    earlier = list(await session.scalars(_EARLIER_LEGS, params))
    suspect = bool(earlier) or bool(await session.scalar(_FUNDED, params))
    if not suspect:
        return False
    if earlier:
        await session.execute(
            update(Sale)
            .where(Sale.id.in_(earlier))
            .values(wash_suspect=True)
            .execution_options(synchronize_session="fetch")
        )
    sale.wash_suspect = True
    await session.flush()
    return True
