"""The deposit watcher: find every final transfer into custody and hand it to ``intake``.

Three passes per run, each item in its own short transaction with its own error boundary, so
one bad transfer or deposit never holds up another:

1. Coins: every transaction touching a custody coin account, oldest first from a stored cursor
   (``chain_cursors``), so no transfer is missed however many arrive and whatever reference they
   carry or not. The cursor moves in the same transaction as the receipts it covers.
2. Deposits: each open deposit's reference (and, for a late window, expired card ones), walked with
   keyset pagination over every such deposit (there is no oldest-N window to fill), each with
   its own cursor like a custody account. Cards arrive in per-card accounts only found this way;
   a coin payment found this way that did not go to custody's coin account is still recorded
   (as ignored), so its sender can be told why.
3. Expiry of every deposit still awaiting past its time, independent of any crediting.
"""

from __future__ import annotations

from datetime import datetime, timedelta

import structlog
from solders.pubkey import Pubkey
from solders.signature import Signature
from sqlalchemy.exc import OperationalError, SQLAlchemyError

from ece.chain.platform import Platform
from ece.chain.protocol import Chain, ChainError, ConfirmedTransaction, SignatureInfo
from ece.core.clock import utcnow
from ece.core.db import Database
from ece.core.errors import DomainError
from ece.core.money import Asset
from ece.core.outbox import emit
from ece.payments import repository, rules
from ece.payments.intake import take_transaction
from ece.payments.models import DepositStatus, ReceiptOutcome
from ece.payments.solana_pay import incoming_transfers

log = structlog.get_logger("ece.payments.watcher")

PAGE = repository.PAGE  # deposits per read


async def watch_deposits(
    db: Database, chain: Chain, platform: Platform, *, late_window: timedelta
) -> int:
    """Credit what custody received, expire the unpaid past their time. Returns how many
    transfers were credited to a user (a deposit's owner or a known sender)."""
    scan_started = utcnow()
    credited = 0
    for asset in Asset:
        credited += await _scan_account(db, chain, platform, platform.custody_token_account(asset))
    credited += await _scan_deposits(db, chain, platform, scan_started - late_window)
    # Only deposits whose time ended before this run began: the passes above saw what landed.
    await _expire(db, scan_started)
    return credited


# --- 1. coins: custody's own history ----------------------------------------------------------


async def _scan_account(db: Database, chain: Chain, platform: Platform, account: Pubkey) -> int:
    """Take every final transaction touching ``account`` (a custody account or a deposit's
    reference) since its cursor, oldest first."""
    async with db.unit_of_work(write=False) as session:
        stored = await repository.cursor_of(session, str(account))
    until = Signature.from_string(stored) if stored else None
    try:
        infos = await _signatures_since(chain, account, until)
    except ChainError as exc:
        log.warning("custody_scan_unavailable", account=str(account), error=str(exc))
        return 0
    credited = 0
    for info in reversed(infos):  # oldest first: the cursor passes only what was handled
        tx = None
        if info.err is None:
            try:
                tx = await chain.get_transaction(info.signature)
            except ChainError as exc:
                log.warning("custody_scan_unavailable", account=str(account), error=str(exc))
                break
            if tx is None:
                break  # not final yet: it and everything after it wait for the next run
        outcome = await _take(db, platform, tx, info.signature, cursor=account)
        if outcome is None:
            break
        credited += outcome
    return credited


async def _signatures_since(
    chain: Chain, account: Pubkey, until: Signature | None
) -> list[SignatureInfo]:
    """Every signature newer than ``until`` (newest first), page by page."""
    found: list[SignatureInfo] = []
    before: Signature | None = None
    while True:
        page = await chain.get_signatures_for_address(
            account, limit=1000, before=before, until=until
        )
        found.extend(page)
        if len(page) < 1000:
            return found
        before = page[-1].signature


async def _take(
    db: Database,
    platform: Platform,
    tx: ConfirmedTransaction | None,
    signature: Signature,
    *,
    cursor: Pubkey | None,
) -> int | None:
    """Apply one transaction in its own transaction. None: a passing database failure, to be
    retried next run. Any other failure is recorded on the transfers' receipts and skipped."""
    try:
        async with db.unit_of_work() as session:
            credited = 0 if tx is None else await take_transaction(session, platform, tx)
            if cursor is not None:
                await repository.advance_cursor(session, str(cursor), str(signature))
            return credited
    except OperationalError as exc:
        log.warning("custody_transfer_retry", signature=str(signature), error=str(exc))
        return None
    except (SQLAlchemyError, DomainError) as exc:
        # Deterministic: retrying would fail forever and hold up every later transfer.
        log.error("custody_transfer_failed", signature=str(signature), error=repr(exc))
        await _record_failure(db, platform, tx, signature, type(exc).__name__, cursor)
        return 0


async def _record_failure(
    db: Database,
    platform: Platform,
    tx: ConfirmedTransaction | None,
    signature: Signature,
    error: str,
    cursor: Pubkey | None,
) -> None:
    """Receipts saying why each transfer was not applied, for an admin (and reconciliation
    shows custody holding what no one is owed yet)."""
    transfers = [] if tx is None else incoming_transfers(tx, custody_owner=platform.custody_owner)
    slot = 0 if tx is None else tx.slot
    async with db.unit_of_work() as session:
        for transfer in transfers:
            await repository.insert_receipt(
                session,
                signature=str(signature),
                instruction_index=transfer.instruction_index,
                amount=transfer.amount,
                source=str(transfer.source or ""),
                slot=slot,
                outcome=ReceiptOutcome.ignored.value,
                reason=rules.failure_reason(error),
                mint=str(transfer.mint) if transfer.mint is not None else None,
                sender=str(transfer.sender) if transfer.sender is not None else None,
            )
        if cursor is not None:
            await repository.advance_cursor(session, str(cursor), str(signature))


# --- 2. by each deposit's reference -----------------------------------------------------------


async def _scan_deposits(
    db: Database, chain: Chain, platform: Platform, late_since: datetime
) -> int:
    credited = 0
    after: tuple[datetime, str] | None = None
    while True:
        async with db.unit_of_work(write=False) as session:
            rows = await repository.watched_references(session, late_since, after)
        for _created, _deposit_id, reference in rows:
            # Its own cursor: each transaction carrying the reference is fetched once, however
            # many an attacker sends with it.
            credited += await _scan_account(db, chain, platform, Pubkey.from_string(reference))
        if len(rows) < PAGE:
            return credited
        after = (rows[-1][0], rows[-1][1])


# --- 3. expiry --------------------------------------------------------------------------------


async def _expire(db: Database, deadline: datetime) -> None:
    while True:
        async with db.unit_of_work() as session:
            due = await repository.claim_due_to_expire(session, deadline)
            for deposit in due:
                deposit.status = DepositStatus.expired.value
                await emit(session, "deposit.expired", deposit.id, user_id=deposit.user_id)
        if len(due) < PAGE:
            return
