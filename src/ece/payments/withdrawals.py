"""Withdrawals: hold on the ledger at once, then send a real transfer, crash-safely.

The sender never sends a transaction it has not first stored:

1. ``sign``: one committed step turns a ``pending`` withdrawal into ``sent`` with its signed
   transaction, signature and ``last_valid_block_height``.
2. ``settle``: for every ``sent`` withdrawal, ask the chain about the signature. Unknown and the
   blockhash still valid: broadcast the stored bytes (the same signature, so a repeat can never
   pay twice). Final and successful: post the hold. Final with an error, or unknown once the
   blockhash has expired (it can no longer land): void the hold.

A crash anywhere leaves a row that step 2 finishes on the next run, by any worker. Transactions
are sent without preflight so a failing one lands with its error: a definite outcome.
"""

from __future__ import annotations

from datetime import datetime

import structlog
from solders.hash import Hash
from solders.instruction import AccountMeta, Instruction
from solders.keypair import Keypair
from solders.message import Message
from solders.pubkey import Pubkey
from solders.signature import Signature
from solders.transaction import Transaction
from sqlalchemy import CursorResult, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from ece.auth.models import User
from ece.cards import service as cards
from ece.cards.models import LockKind
from ece.chain.platform import Platform
from ece.chain.protocol import Chain, ChainError, TransactionFailed
from ece.chain.tokens import spl
from ece.config import Settings
from ece.core.clock import utcnow
from ece.core.db import Database, insert_or_ignore, new_id
from ece.core.errors import Conflict, NotFound, Unprocessable
from ece.core.money import Asset, InvalidAmount, format_amount, parse_amount
from ece.core.outbox import emit
from ece.core.pagination import PageParams, newest_first
from ece.ledger import service as ledger
from ece.ledger.service import OwnerType, TransferCode
from ece.payments import assets, destinations
from ece.payments.models import PaymentAsset, Withdrawal, WithdrawalQuota, WithdrawalStatus

log = structlog.get_logger("ece.payments.withdrawals")

MEMO_PROGRAM_ID = Pubkey.from_string("MemoSq4gqABAXKb96qnH8TysNcWxMyWCqXgDLGmfcHr")


def _day(moment: datetime) -> str:
    return moment.date().isoformat()


async def _use_quota(
    session: AsyncSession, user_id: str, asset: str, day: str, amount: int, limit: int
) -> None:
    """Count ``amount`` against the user's daily limit, or refuse (409) if it would pass it."""
    await session.execute(
        insert_or_ignore(session, WithdrawalQuota).values(
            user_id=user_id, asset=asset, day=day, used=0
        )
    )
    # One conditional UPDATE: concurrent withdrawals cannot both slip under the limit.
    result = await session.execute(
        update(WithdrawalQuota)
        .where(
            WithdrawalQuota.user_id == user_id,
            WithdrawalQuota.asset == asset,
            WithdrawalQuota.day == day,
            WithdrawalQuota.used + amount <= limit,
        )
        .values(used=WithdrawalQuota.used + amount)
        .execution_options(synchronize_session=False)
    )
    assert isinstance(result, CursorResult)
    if result.rowcount != 1:
        raise Conflict(
            "This withdrawal would pass your daily withdrawal limit.",
            code="withdrawal_limit_exceeded",
        )


async def create_withdrawal(
    session: AsyncSession,
    settings: Settings,
    chain: Chain,
    platform: Platform,
    user: User,
    asset: PaymentAsset,
    destination_text: str,
    amount_text: str | None,
    card_id: str | None,
) -> Withdrawal:
    """Hold the amount (or lock the card) and queue the on-chain transfer to ``destination``.

    422 ``invalid_destination`` / ``invalid_amount`` / ``amount_below_minimum``; 409
    ``insufficient_funds`` / ``withdrawal_limit_exceeded`` / card lock conflicts.
    """
    destination = await destinations.wallet(chain, platform, destination_text)
    withdrawal_id = new_id()
    now = utcnow()
    if asset is PaymentAsset.CARD:
        assert card_id is not None
        card = await cards.get_card(session, card_id)
        target = assets.card(platform, Pubkey.from_string(card.mint))
        amount = 1
        limit = settings.withdrawal_daily_card_limit
    else:
        assert amount_text is not None
        coin = Asset(asset)
        try:
            amount = parse_amount(amount_text, coin)
        except InvalidAmount as exc:
            raise Unprocessable(f"amount: {exc}.", code="invalid_amount") from exc
        minimum = settings.withdrawal_min(coin)
        if amount < minimum:
            raise Unprocessable(
                f"The minimum withdrawal is {format_amount(minimum, coin)} {coin.value}.",
                code="amount_below_minimum",
            )
        target = assets.coin(platform, coin)
        limit = settings.withdrawal_daily_limit(coin)
    await _use_quota(session, user.id, asset.value, _day(now), amount, limit)
    withdrawal = Withdrawal(
        id=withdrawal_id,
        user_id=user.id,
        asset=asset.value,
        amount=amount,
        card_id=card_id,
        mint=str(target.mint),
        destination=str(destination),
        destination_token_account=str(target.token_account(destination)),
        status=WithdrawalStatus.pending.value,
        quota_day=_day(now),
        created_at=now,
    )
    session.add(withdrawal)
    await session.flush()
    if asset is PaymentAsset.CARD:
        assert card_id is not None
        await cards.lock_card(
            session, card_id, cards.CardOwner.user(user.id), LockKind.withdrawal, withdrawal_id
        )
    else:
        coin = Asset(asset)
        withdrawal.hold_id = f"withdrawal:{withdrawal_id}"
        await ledger.create_transfers(
            session,
            [
                ledger.TransferSpec(
                    id=withdrawal.hold_id,
                    debit_account_id=await ledger.user_account(session, user.id, coin),
                    credit_account_id=await ledger.account_for(
                        session, OwnerType.custody, assets.CUSTODY_OWNER_ID, coin
                    ),
                    asset=coin,
                    amount=amount,
                    code=TransferCode.withdrawal,
                    reference=withdrawal_id,
                    pending=True,
                )
            ],
        )
    await emit(session, "withdrawal.created", withdrawal_id, user_id=user.id, asset=asset.value)
    return withdrawal


async def get_withdrawal(session: AsyncSession, user_id: str, withdrawal_id: str) -> Withdrawal:
    withdrawal = await session.get(Withdrawal, withdrawal_id)
    if withdrawal is None or withdrawal.user_id != user_id:
        raise NotFound("No such withdrawal.", code="withdrawal_not_found")
    return withdrawal


async def list_withdrawals(
    session: AsyncSession, user_id: str, params: PageParams
) -> tuple[list[Withdrawal], str | None]:
    return await newest_first(
        session, select(Withdrawal).where(Withdrawal.user_id == user_id), Withdrawal, params
    )


# --- the sender -------------------------------------------------------------------------------


def _transaction(platform: Platform, withdrawal: Withdrawal, blockhash: Hash) -> Transaction:
    if withdrawal.asset == PaymentAsset.CARD:
        target = assets.card(platform, Pubkey.from_string(withdrawal.mint))
    else:
        target = assets.coin(platform, Asset(withdrawal.asset))
    destination = Pubkey.from_string(withdrawal.destination)
    custody = platform.custody
    instructions = [
        spl.create_associated_token_account_idempotent(
            payer=custody.pubkey(),
            owner=destination,
            mint=target.mint,
            token_program=target.token_program,
        ),
        spl.transfer_checked(
            source=target.custody_account,
            mint=target.mint,
            destination=target.token_account(destination),
            owner=custody.pubkey(),
            amount=withdrawal.amount,
            decimals=target.decimals,
            token_program=target.token_program,
        ),
        # The memo names the withdrawal, so the chain itself says why the tokens moved.
        _memo(withdrawal.id, custody),
    ]
    message = Message.new_with_blockhash(instructions, custody.pubkey(), blockhash)
    return Transaction([custody], message, blockhash)


def _memo(text: str, signer: Keypair) -> Instruction:
    return Instruction(MEMO_PROGRAM_ID, text.encode(), [AccountMeta(signer.pubkey(), True, False)])


async def sign_pending(db: Database, chain: Chain, platform: Platform, *, limit: int = 50) -> int:
    """Step 1: sign pending withdrawals and store them as ``sent`` (committed before any send)."""
    latest = await chain.get_latest_blockhash()  # read before the transaction opens
    async with db.unit_of_work() as session:
        claimed = (
            await session.scalars(
                select(Withdrawal)
                .where(Withdrawal.status == WithdrawalStatus.pending.value)
                .order_by(Withdrawal.created_at)
                .limit(limit)
                .with_for_update(skip_locked=True)
            )
        ).all()
        now = utcnow()
        for withdrawal in claimed:
            tx = _transaction(platform, withdrawal, latest.blockhash)
            withdrawal.signature = str(tx.signatures[0])
            withdrawal.signed_transaction = bytes(tx)
            withdrawal.last_valid_block_height = latest.last_valid_block_height
            withdrawal.status = WithdrawalStatus.sent.value
            withdrawal.sent_at = now
        return len(claimed)


async def settle_sent(db: Database, chain: Chain, *, limit: int = 200) -> None:
    """Step 2: broadcast, re-broadcast, and finish every ``sent`` withdrawal."""
    async with db.unit_of_work(write=False) as session:
        rows = (
            await session.execute(
                select(
                    Withdrawal.id,
                    Withdrawal.signature,
                    Withdrawal.signed_transaction,
                    Withdrawal.last_valid_block_height,
                )
                .where(Withdrawal.status == WithdrawalStatus.sent.value)
                .order_by(Withdrawal.sent_at)
                .limit(limit)
            )
        ).all()
    for withdrawal_id, signature_text, raw, last_valid in rows:
        # A sent row always carries them (set in the same UPDATE as the status).
        assert signature_text is not None and raw is not None and last_valid is not None
        signature = Signature.from_string(signature_text)
        # Height first: if it is past the limit and the status is then still unknown, the
        # transaction can never land.
        height = await chain.get_block_height()
        status = await chain.get_signature_status(signature)
        if status is None and height <= last_valid:
            await _broadcast(chain, withdrawal_id, raw)
            status = await chain.get_signature_status(signature)
        if status is None:
            if height > last_valid:
                await _finish(db, withdrawal_id, ok=False, reason="blockhash expired unseen")
            continue
        if status.confirmation_status != "finalized":
            continue
        if status.err is None:
            await _finish(db, withdrawal_id, ok=True)
        else:
            await _finish(db, withdrawal_id, ok=False, reason=f"failed on chain: {status.err}")


async def _broadcast(chain: Chain, withdrawal_id: str, raw: bytes) -> None:
    try:
        await chain.send_transaction(Transaction.from_bytes(raw), skip_preflight=True)
    except TransactionFailed as exc:
        # Landed with an error: the status says so next. Refused (already processed, blockhash
        # gone): the status or the expiry decides, never this answer alone.
        log.warning("withdrawal_send_refused", withdrawal=withdrawal_id, err=exc.err)
    except ChainError as exc:
        log.warning("withdrawal_send_unavailable", withdrawal=withdrawal_id, error=str(exc))


async def _finish(db: Database, withdrawal_id: str, *, ok: bool, reason: str | None = None) -> None:
    """Post (``ok``) or void the hold, once: only the worker whose UPDATE wins does it."""
    async with db.unit_of_work() as session:
        status = WithdrawalStatus.confirmed if ok else WithdrawalStatus.failed
        result = await session.execute(
            update(Withdrawal)
            .where(Withdrawal.id == withdrawal_id, Withdrawal.status == WithdrawalStatus.sent.value)
            .values(status=status.value, finished_at=utcnow(), failure_reason=reason)
            .execution_options(synchronize_session=False)
        )
        assert isinstance(result, CursorResult)
        if result.rowcount != 1:
            return
        withdrawal = await session.get(Withdrawal, withdrawal_id, populate_existing=True)
        assert withdrawal is not None
        if withdrawal.asset == PaymentAsset.CARD:
            assert withdrawal.card_id is not None
            if ok:
                await cards.mark_withdrawn(session, withdrawal.card_id, withdrawal.id)
            else:
                await cards.unlock_card(
                    session, withdrawal.card_id, LockKind.withdrawal, withdrawal.id
                )
        else:
            assert withdrawal.hold_id is not None
            if ok:
                await ledger.post_pending(
                    session, withdrawal.hold_id, new_id=f"{withdrawal.hold_id}:post"
                )
            else:
                await ledger.void_pending(
                    session, withdrawal.hold_id, new_id=f"{withdrawal.hold_id}:void"
                )
        if not ok:
            # A failed withdrawal gives its share of the daily limit back.
            await session.execute(
                update(WithdrawalQuota)
                .where(
                    WithdrawalQuota.user_id == withdrawal.user_id,
                    WithdrawalQuota.asset == withdrawal.asset,
                    WithdrawalQuota.day == withdrawal.quota_day,
                )
                .values(used=WithdrawalQuota.used - withdrawal.amount)
                .execution_options(synchronize_session=False)
            )
            log.error("withdrawal_failed", withdrawal=withdrawal.id, reason=reason)
        await emit(
            session,
            f"withdrawal.{status.value}",
            withdrawal.id,
            user_id=withdrawal.user_id,
            signature=withdrawal.signature,
        )
