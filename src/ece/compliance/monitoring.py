"""Post-trade monitoring: a worker scan checks every settled sale once, after the fact.

The scan keeps its place in a cursor row (``executed_at``, id of the last sale checked) that it
locks for its transaction, so two workers (or a run started twice) never check a sale twice; a
partial unique index on trade checks backs that up. It reads only sales executed at least
``ECE_COMPLIANCE_TRADE_SCAN_LAG_S`` ago, so a sale whose transaction is still committing is
not passed by. Nothing of this touches the buy path.

A sale at or above the review threshold opens a review; the sale stands whatever the decision.
Approved, nothing changes; rejected, its user parties are flagged: each of their withdrawals
waits in review until an officer lifts the flag (``unflag_user``).
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import structlog
from sqlalchemy.ext.asyncio import AsyncSession

from ece.audit import service as audit
from ece.auth import service as auth
from ece.compliance import checks_repository, monitoring_repository, reviews_repository
from ece.compliance import trade_rules as rules
from ece.compliance.limits import usdc_equivalent
from ece.compliance.models import (
    ComplianceCheck,
    ComplianceReview,
    Decision,
    ReviewStatus,
    SubjectType,
    UserFlag,
)
from ece.compliance.reviews import on_review_decided
from ece.compliance.screening import denied
from ece.config import Settings
from ece.core.clock import utcnow
from ece.core.db import Database
from ece.core.errors import Forbidden, NotFound
from ece.core.money import Asset, parse_amount
from ece.core.pagination import PageParams
from ece.settlement import service as settlement

log = structlog.get_logger("ece.compliance.monitoring")

CURSOR = "trades"
START = datetime(2000, 1, 1, tzinfo=UTC)  # a first scan checks every sale ever settled
BATCH = 200


async def _facts(
    session: AsyncSession, settings: Settings, sale: settlement.Sale
) -> rules.TradeFacts:
    buyer = await auth.get_user(session, sale.buyer_user_id)
    seller = await auth.find_user(session, sale.seller_id) if sale.seller_kind == "user" else None
    parties = {"buyer": buyer.address, "seller": seller.address if seller else None}
    pair = 0
    if seller is not None:
        since = sale.executed_at - rules.PAIR_WINDOW
        pair = await settlement.pair_sales(session, buyer.id, seller.id, since, sale.executed_at)
    return rules.TradeFacts(
        now=sale.executed_at,
        value=usdc_equivalent(settings, {Asset(sale.currency): sale.price}),
        large=parse_amount(settings.compliance_large_amount_usdc, Asset.USDC, allow_zero=True),
        sanctioned=await denied(session, parties),
        pair_trades=pair,
        wash_suspect=sale.wash_suspect,
        accounts_created=tuple(u.created_at for u in (buyer, seller) if u is not None),
    )


async def check_sale(
    session: AsyncSession, settings: Settings, sale: settlement.Sale
) -> tuple[ComplianceCheck, ComplianceReview | None]:
    """Score one settled sale, store its check, and open a review when it scores at or above
    ``ECE_COMPLIANCE_REVIEW_SCORE``. The check belongs to the buyer; the seller (a user) may
    not approve its review either."""
    risk = rules.score_trade(await _facts(session, settings, sale))
    review_it = rules.needs_review(risk.score, settings.compliance_review_score)
    now = utcnow()
    check = await checks_repository.add(
        session,
        ComplianceCheck(
            subject_type=SubjectType.trade.value,
            subject_id=sale.id,
            user_id=sale.buyer_user_id,
            asset=sale.currency,
            amount=sale.price,
            score=risk.score,
            reasons=risk.as_json(),
            decision=(Decision.review if review_it else Decision.allow).value,
            at=now,
        ),
    )
    if not review_it:
        return check, None
    review = await reviews_repository.add(
        session,
        ComplianceReview(
            check_id=check.id,
            subject_type=SubjectType.trade.value,
            subject_id=sale.id,
            user_id=sale.buyer_user_id,
            requested_by=sale.seller_id if sale.seller_kind == "user" else None,
            score=risk.score,
            created_at=now,
        ),
    )
    return check, review


async def _scan_batch(db: Database, settings: Settings) -> tuple[int, int]:
    """One locked batch: (sales read, checks written)."""
    until = utcnow() - timedelta(seconds=settings.compliance_trade_scan_lag_s)
    async with db.unit_of_work() as session:
        cursor = await monitoring_repository.lock_cursor(session, CURSOR, START)
        sales = await settlement.sales_after(session, (cursor.at, cursor.last_id), until, BATCH)
        done = await monitoring_repository.checked(
            session, SubjectType.trade, [sale.id for sale in sales]
        )
        written = 0
        for sale in sales:
            if sale.id not in done:
                await check_sale(session, settings, sale)
                written += 1
        if sales:
            cursor.at, cursor.last_id = sales[-1].executed_at, sales[-1].id
            await session.flush()
    return len(sales), written


async def scan_trades(db: Database, settings: Settings, *, rounds: int = 50) -> int:
    """Check every sale settled since the cursor (up to ``rounds`` batches); how many checks
    were written. Safe to run on any number of workers at once."""
    total = 0
    for _ in range(rounds):
        read, written = await _scan_batch(db, settings)
        total += written
        if read < BATCH:
            break
    if total:
        log.info("trades_checked", checks=total)
    return total


# --- decisions and flags -----------------------------------------------------------------------


async def _flag(session: AsyncSession, user_id: str, review: ComplianceReview) -> None:
    flag = UserFlag(
        user_id=user_id,
        reason=f"trade review {review.id} rejected",
        review_id=review.id,
        flagged_by=review.decided_by or audit.SYSTEM,
        created_at=utcnow(),
    )
    if await monitoring_repository.flag(session, flag):
        await audit.record(
            session,
            actor=flag.flagged_by,
            action="user.flagged",
            object_type="user",
            object_id=user_id,
            details={"review_id": review.id, "sale_id": review.subject_id},
        )


async def trade_review_decided(session: AsyncSession, review: ComplianceReview) -> None:
    """Approved: the sale is cleared, nothing changes. Rejected: its user parties (the buyer,
    and the seller unless a company sold) are flagged."""
    if review.status != ReviewStatus.rejected:
        return
    for user_id in (review.user_id, review.requested_by):
        if user_id is not None:
            await _flag(session, user_id, review)


on_review_decided(SubjectType.trade, trade_review_decided)


async def is_flagged(session: AsyncSession, user_id: str | None) -> bool:
    return user_id is not None and await monitoring_repository.flagged(session, user_id)


async def list_flags(
    session: AsyncSession, params: PageParams
) -> tuple[list[UserFlag], str | None]:
    """Flagged users, newest first."""
    return await monitoring_repository.flags(session, params)


async def unflag_user(session: AsyncSession, user_id: str, officer_id: str) -> None:
    """Lift a user's flag: their withdrawals are scored as usual again. 404 ``not_flagged``;
    403 ``four_eyes`` for one's own flag."""
    if officer_id == user_id:
        raise Forbidden("An officer cannot lift their own flag.", code="four_eyes")
    removed = await monitoring_repository.unflag(session, user_id)
    if removed is None:
        raise NotFound("That user is not flagged.", code="not_flagged")
    await audit.record(
        session,
        actor=officer_id,
        action="user.unflagged",
        object_type="user",
        object_id=user_id,
        details={"review_id": removed.review_id},
    )
