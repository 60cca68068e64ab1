"""Ending an auction: settlement at the end (the worker), buy-now, and a Dutch buy.

Each locks the auction row first and closes it with a conditional UPDATE, so an auction ends
exactly once however many workers and buyers race. A sale goes through
``ece.settlement.service.settle_sale`` (fees, royalty, the card's move, the sale row, events);
the winner of an English auction pays the final visible price out of their hold, the rest of
the hold released in the same linked group.
"""

from __future__ import annotations

from collections.abc import Sequence

import structlog
from sqlalchemy.ext.asyncio import AsyncSession

from ece.auctions import repository, rules
from ece.auctions.bidding import release
from ece.auctions.creating import locked
from ece.auctions.models import Auction
from ece.auctions.rules import AuctionKind, AuctionState, Max
from ece.auth.service import User
from ece.cards import service as cards
from ece.cards.service import LockKind
from ece.compliance import service as compliance
from ece.config import Settings
from ece.core.clock import utcnow
from ece.core.db import Database
from ece.core.errors import Conflict, DomainError
from ece.core.money import Asset, format_amount
from ece.core.outbox import emit
from ece.ledger import service as ledger
from ece.ledger.service import Operation
from ece.settlement import service as settlement
from ece.settlement.service import FromHold, SaleSource, SettledSale

log = structlog.get_logger("ece.auctions")


def leader_of(auction: Auction) -> Max | None:
    if auction.leader_user_id is None or auction.leader_max is None:
        return None
    return Max(auction.leader_user_id, auction.leader_max, 0)


async def _sell(
    session: AsyncSession,
    settings: Settings,
    auction: Auction,
    buyer_user_id: str,
    price: int,
    hold: FromHold | None,
    also: Sequence[Operation] = (),
) -> settlement.Sale:
    """Close the auction as sold to ``buyer_user_id`` at ``price`` and settle the sale (with
    ``also``, the caller's ledger operations that go in the sale's batch)."""
    now = utcnow()
    currency = Asset(auction.currency)
    if not await repository.close(
        session,
        auction.id,
        AuctionState.sold,
        now,
        winner_user_id=buyer_user_id,
        final_price=price,
    ):
        raise rules.ended()
    card = await cards.load_card(session, auction.card_id)
    sale = await settlement.settle_sale(
        session,
        card,
        buyer_user_id,
        price,
        currency,
        SaleSource.auction,
        auction.id,
        fee_bps=settings.platform_fee_bps,
        hold=hold,
        also=also,
    )
    await repository.set_sale(session, auction.id, sale.id)
    shown = format_amount(price, currency)
    await emit(session, "auction.won", auction.id, user_id=buyer_user_id, price=shown)
    await emit(
        session,
        "auction.sold",
        auction.id,
        sale_id=sale.id,
        card_id=auction.card_id,
        buyer_user_id=buyer_user_id,
        price=shown,
        currency=currency.value,
    )
    await session.refresh(auction)
    return sale


async def _leader_release(session: AsyncSession, auction: Auction) -> list[Operation]:
    """The operation that releases the leading bid's hold (none without a leader)."""
    if auction.leader_bid_id is None:
        return []
    leader = await repository.bid(session, auction.leader_bid_id)
    assert leader is not None and leader.hold_transfer_id is not None
    return [release(leader)]


async def _release_leader(session: AsyncSession, auction: Auction) -> None:
    released = await _leader_release(session, auction)
    if released:
        await ledger.create_transfers(session, released)


async def settle_ended(session: AsyncSession, settings: Settings, auction: Auction) -> None:
    """Settle an auction past its end (the caller holds its row lock): the leader buys at the
    visible price when the reserve is met; otherwise the card goes back, nothing charged."""
    leader = leader_of(auction)
    if rules.outcome(auction.kind, auction.reserve_price, leader) is AuctionState.sold:
        assert auction.leader_user_id is not None and auction.leader_bid_id is not None
        winning = await repository.bid(session, auction.leader_bid_id)
        assert winning is not None and winning.hold_transfer_id is not None
        currency = Asset(auction.currency)
        escrow = await settlement.offer_escrow_account(session, winning.bidder_user_id, currency)
        await repository.end_bids(session, auction.id, winning.id)
        await _sell(
            session,
            settings,
            auction,
            auction.leader_user_id,
            auction.current_price,
            FromHold(winning.hold_transfer_id, escrow),
        )
        return
    if not await repository.close(session, auction.id, AuctionState.unsold, utcnow()):
        return
    await repository.end_bids(session, auction.id, None)
    await _release_leader(session, auction)
    await cards.unlock_card(session, auction.card_id, LockKind.auction, auction.id)
    await emit(
        session,
        "auction.unsold",
        auction.id,
        card_id=auction.card_id,
        reason="no_bids" if leader is None else "reserve_not_met",
    )


async def settle_due(db: Database, settings: Settings) -> int:
    """Settle every auction past its end, one per transaction. Several workers may run this at
    once: each claims a different row (``SKIP LOCKED``) and the close is conditional. An
    auction whose settlement is refused is logged and left for the next run, so it never
    holds up the others."""
    done = 0
    refused: set[str] = set()
    while True:
        claimed: str | None = None
        try:
            async with db.unit_of_work() as session:
                auction = await repository.next_due(session, utcnow(), skip=refused)
                if auction is None:
                    return done
                claimed = auction.id
                await settle_ended(session, settings, auction)
            done += 1
        except DomainError as exc:
            assert claimed is not None
            refused.add(claimed)
            log.error("auction_settlement_refused", auction_id=claimed, code=exc.instance_code)


async def buy_now(
    session: AsyncSession, settings: Settings, user: User, auction_id: str
) -> SettledSale:
    """Buy an English auction at its buy-now price (Dutch: at the price of this instant). The
    auction ends at once and every hold is released. 409 ``buy_now_unavailable``,
    ``auction_ended``, ``auction_not_started``, ``own_card``, ``insufficient_funds``."""
    auction = await locked(session, auction_id)
    refusal = rules.timing_refusal(utcnow(), auction.starts_at, auction.ends_at, auction.state)
    if refusal is not None:
        raise refusal
    if auction.kind == AuctionKind.dutch.value:
        price = rules.dutch_price(
            auction.start_price,
            auction.end_price or auction.start_price,
            auction.starts_at,
            auction.ends_at,
            utcnow(),
            settings.auction_dutch_step_s,
        )
    else:
        if not rules.buy_now_available(
            auction.buy_now_price, auction.reserve_price, leader_of(auction)
        ):
            raise Conflict("Buy-now is no longer available.", code="buy_now_unavailable")
        assert auction.buy_now_price is not None
        price = auction.buy_now_price
    if auction.seller_id == user.id:
        raise Conflict("You cannot buy your own card.", code="own_card")
    await compliance.check_purchase(session, settings, user, price, Asset(auction.currency))
    # The leading bid's hold is released in the sale's own ledger batch: one lock order.
    released = await _leader_release(session, auction)
    await repository.end_bids(session, auction.id, None)
    sale = await _sell(session, settings, auction, user.id, price, None, released)
    return (await settlement.settled_sales(session, [sale]))[0]
