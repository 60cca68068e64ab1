"""Settling a sale, a use case of ``ece.settlement.service``: the card and the money change
hands in one transaction or not at all.

``settle_sale`` is the one function every marketplace sale calls (listing, sweep, offer,
collection offer); an accepted trade offer records its sales with ``record_sale`` and pays them
with ``sale_payments``. Locks are taken in one order everywhere: the listing or offer row first
(by its caller), then the card row (``transfer_card``), then the ledger accounts
(``create_transfers``, in account-id order), so concurrent sales never deadlock.

The rules (split, primary sale, fee shards, legs, wash trades) are in ``ece.settlement.rules``.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from contextlib import AbstractContextManager
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from ece.auth import service as auth
from ece.cards import service as cards
from ece.cards.service import CardOwner, OwnerKind, Price
from ece.core.clock import utcnow
from ece.core.db import new_id
from ece.core.errors import Conflict
from ece.core.money import Asset, format_amount
from ece.core.outbox import NewEvent, emit
from ece.core.tracing import tracer
from ece.ledger import service as ledger
from ece.ledger.service import Operation
from ece.settlement import repository, rules, transfers
from ece.settlement.models import Sale, SaleSource
from ece.settlement.rules import (
    Split,
    is_primary,
    sale_split,
)
from ece.settlement.transfers import (
    FromHold,
)


@dataclass(frozen=True, slots=True)
class Goods:
    """What a sale must know of its card when the caller read it elsewhere (a buy reads it with
    the listing): the card, its company and that company's royalty, and who sells it. The
    card's move is conditional on that owner, so a stale seller fails the sale, never moves
    another's card."""

    card_id: str
    company_id: str
    royalty_bps: int
    seller: CardOwner


@dataclass(frozen=True, slots=True)
class SettledSale:
    """A sale with the wallets of its parties, as the API shows it."""

    sale: Sale
    seller_address: str | None  # None when the seller is a company's issuer inventory
    buyer_address: str


def _sale_span(
    card: cards.Card | Goods, currency: Asset, source: SaleSource
) -> AbstractContextManager[Any]:
    """The trace span of one sale, named by its card, currency and source."""
    return tracer.start_as_current_span(
        "settlement.sale",
        attributes={
            "ece.card_id": card.card_id if isinstance(card, Goods) else card.id,
            "ece.currency": currency.value,
            "ece.source": source.value,
        },
    )


async def settle_sale(
    session: AsyncSession,
    card: cards.Card | Goods,
    buyer_user_id: str,
    price: int,
    currency: Asset,
    source: SaleSource,
    ref: str,
    *,
    fee_bps: int,
    hold: FromHold | None = None,
    also: Sequence[Operation] = (),
    announce: bool = True,
) -> Sale:
    """Sell ``card`` from its current owner to ``buyer_user_id`` for ``price`` (``Goods``:
    from the owner the caller read, with the royalty it read; no read of the card or company).

    One linked ledger group moves the money: buyer (or their hold) → seller ``price - fee -
    royalty``, → platform fee account ``fee``, → company royalty payable ``royalty``; for a
    primary sale the seller's part goes to the company's sales payable and there is no royalty.
    The card moves with ``transfer_card`` (``ref`` must be the reference of the lock holding the
    card, if any), a ``Sale`` row is written and ``trade.executed`` emitted, and the money moves
    last, so the caller should do no more round trips after this before committing. Raises
    ``InsufficientFunds`` (409), ``Conflict`` ``own_card`` and the card errors of
    ``transfer_card``; the caller's transaction must then be rolled back.

    ``also`` are the caller's ledger operations that belong with the sale (an auction's buy-now
    releasing the leading bid's hold): they go in the same batch, so every account is locked
    once, in the one account-id order, and two sales can never wait on each other.

    With ``announce=False`` the caller records ``trade.executed`` itself (``sale_event``), in
    one statement with its own events.
    """
    with _sale_span(card, currency, source):
        if isinstance(card, Goods):
            goods = card
        else:
            company = await cards.get_company(session, card.company_id)
            goods = Goods(card.id, company.id, company.royalty_bps, CardOwner.of(card))
        seller = goods.seller
        if seller.user_id == buyer_user_id:
            raise Conflict("You cannot buy your own card.", code="own_card")
        amount = Price(price, currency)
        split = sale_split(
            price,
            fee_bps=fee_bps,
            royalty_bps=goods.royalty_bps,
            primary=is_primary(seller.kind.value),
        )
        sale_id = new_id()
        buyer = CardOwner.user(buyer_user_id)
        await cards.transfer_card(
            session, goods.card_id, seller, buyer, reason=source.value, ref=ref, price=amount
        )
        sale = await record_sale(
            session,
            sale_id,
            goods.card_id,
            goods.company_id,
            seller,
            buyer_user_id,
            amount,
            split,
            source,
            ref,
            announce=False,
        )
        # The money moves last: the ledger rows it locks (the platform fee account is shared by
        # every sale) are then held only until the commit that follows.
        ops = [*also, *await transfers.sale_operations(session, sale, seller, hold)]
        # Every id derives from the new sale id, except an offer's re-hold and the caller's own
        # operations, which their callers name.
        await ledger.create_transfers(session, ops, new_ids=hold is None and not also)
        if announce:
            type_, aggregate_id, payload = sale_event(sale)
            await emit(session, type_, aggregate_id, **payload)
        return sale


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
    *,
    announce: bool = True,
) -> Sale:
    """Write the ``Sale`` row of a card that has just moved, flag it if it looks like a wash
    trade (before its money moves, so stats and candles never count it) and emit
    ``trade.executed`` (unless ``announce`` is false: the caller then calls ``announce_sale``
    itself). Every sale path calls it: ``settle_sale`` and accepted trade offers."""
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
    if announce:
        type_, aggregate_id, payload = sale_event(sale)
        await emit(session, type_, aggregate_id, **payload)
    return sale


def sale_event(sale: Sale) -> NewEvent:
    """The ``trade.executed`` event of ``sale``."""
    asset = Asset(sale.currency)
    return (
        "trade.executed",
        sale.id,
        {
            "card_id": sale.card_id,
            "company_id": sale.company_id,
            "seller": {"kind": sale.seller_kind, "id": sale.seller_id},
            "buyer_user_id": sale.buyer_user_id,
            "price": format_amount(sale.price, asset),
            "fee": format_amount(sale.fee, asset),
            "royalty": format_amount(sale.royalty, asset),
            "currency": sale.currency,
            "source": sale.source,
            "ref": sale.ref,
        },
    )


async def flag_wash_trade(session: AsyncSession, sale: Sale) -> bool:
    """Flag ``sale`` (and the earlier leg of a bounce) when ``rules`` judges it a wash trade.
    Call it in the settling transaction, after the row is flushed. Returns whether it was."""
    facts = repository.facts(sale)
    if not rules.may_be_wash(facts):
        return False
    since, until = rules.wash_window(facts)
    # The card's earlier sales and the money between the two users, in one statement.
    paid = ledger.user_paid_user_clause(
        sale.seller_id,
        sale.buyer_user_id,
        since,
        until,
        except_reference_prefix=rules.SALE_REFERENCE_PREFIX,
    )
    candidates, paid_before = await repository.wash_evidence(
        session, sale.card_id, since, until, paid
    )
    earlier = rules.bounces(facts, candidates)
    funded = not earlier and paid_before
    if not rules.is_wash_suspect(facts, earlier, funded):
        return False
    if earlier:
        await repository.flag_wash_suspects(session, earlier)
    sale.wash_suspect = True
    if sale not in session:  # written by Core (``insert_sale``): flag its row the same way
        await repository.flag_wash_suspect(session, sale.id)
    await session.flush()
    return True


async def addresses(session: AsyncSession, user_ids: Iterable[str]) -> dict[str, str]:
    """Wallet address of each user id."""
    return await auth.addresses(session, user_ids)


async def settled_sales(session: AsyncSession, sales: Sequence[Sale]) -> list[SettledSale]:
    """``sales`` with the wallets of their parties."""
    wallets = await addresses(
        session,
        [s.buyer_user_id for s in sales]
        + [s.seller_id for s in sales if s.seller_kind == OwnerKind.user.value],
    )
    return [
        SettledSale(
            sale,
            wallets.get(sale.seller_id) if sale.seller_kind == OwnerKind.user.value else None,
            wallets[sale.buyer_user_id],
        )
        for sale in sales
    ]


async def purchased_since(session: AsyncSession, user_id: str, since: datetime) -> dict[Asset, int]:
    """What ``user_id`` paid for cards bought since ``since``, per currency (one indexed
    query); the KYC purchase limit counts it."""
    paid = await repository.purchased_since(session, user_id, since)
    return {Asset(currency): total for currency, total in paid.items()}
