"""Deposits: Solana Pay transfer requests, and the watcher that credits them once they are final.

The watcher reads the chain with no database transaction open, then applies what it found in one
short transaction per deposit. Crediting is keyed by (signature, instruction index) in
``deposit_receipts`` and by a ledger transfer id built from the same key, so any number of
watchers, runs or replays credit a transfer exactly once.
"""

from __future__ import annotations

import base64
from dataclasses import dataclass
from datetime import datetime, timedelta

import structlog
from solders.message import Message
from solders.pubkey import Pubkey
from solders.signature import Signature
from solders.transaction import Transaction
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from ece.auth.models import User
from ece.cards import service as cards
from ece.cards.models import Card
from ece.chain import spl
from ece.chain.base import AccountNotFound, Chain
from ece.chain.platform import Platform
from ece.config import Settings
from ece.core.clock import utcnow
from ece.core.db import Database, insert_or_ignore
from ece.core.errors import Conflict, NotFound, Unprocessable
from ece.core.money import Asset, parse_amount
from ece.core.outbox import emit
from ece.core.pagination import PageParams, newest_first
from ece.ledger import service as ledger
from ece.ledger.models import OwnerType, TransferCode
from ece.payments import assets
from ece.payments.models import Deposit, DepositReceipt, DepositStatus, PaymentAsset
from ece.payments.solana_pay import (
    InvalidAddress,
    ReceivedTransfer,
    new_reference,
    parse_address,
    received_transfers,
    transfer_request_url,
)

log = structlog.get_logger("ece.payments.deposits")


def on_chain(platform: Platform, deposit: Deposit) -> assets.OnChainAsset:
    if deposit.asset == PaymentAsset.CARD:
        return assets.card(platform, Pubkey.from_string(deposit.mint))
    return assets.coin(platform, Asset(deposit.asset))


def payment_url(deposit: Deposit, label: str) -> str:
    amount = assets.format_units(deposit.amount, deposit.asset)
    what = "card" if deposit.asset == PaymentAsset.CARD else deposit.asset
    return transfer_request_url(
        recipient=Pubkey.from_string(deposit.recipient),
        amount=amount,
        mint=Pubkey.from_string(deposit.mint),
        reference=Pubkey.from_string(deposit.reference),
        label=label,
        message=f"Deposit {amount} {what} to {label} ({deposit.id})",
    )


async def _withdrawn_card(session: AsyncSession, card_id: str) -> Card:
    # Only cards ECE minted exist here: any other mint is refused with a 404.
    card = await cards.get_card(session, card_id)
    if card.withdrawn_at is None:
        raise Conflict("The card is already on the platform.", code="card_not_withdrawn")
    return card


async def create_deposit(
    session: AsyncSession,
    settings: Settings,
    chain: Chain,
    platform: Platform,
    user: User,
    asset: PaymentAsset,
    amount: str | None,
    card_id: str | None,
) -> Deposit:
    """Open a Solana Pay transfer request to the custody wallet, tagged with a fresh reference.

    A card deposit needs a withdrawn ECE card that the caller's wallet holds on chain now.
    """
    if asset is PaymentAsset.CARD:
        assert card_id is not None  # the schema requires it
        card = await _withdrawn_card(session, card_id)
        mint = Pubkey.from_string(card.mint)
        held = await chain.get_token_accounts_by_owner(
            Pubkey.from_string(user.address), mint=mint, program_id=spl.TOKEN_2022_PROGRAM_ID
        )
        if sum(account.amount for account in held) < 1:
            raise Conflict("Your wallet does not hold this card on chain.", code="card_not_held")
        units = 1
    else:
        assert amount is not None
        mint = platform.mint(Asset(asset))
        units = parse_amount(amount, Asset(asset))
    deposit = Deposit(
        user_id=user.id,
        asset=asset.value,
        amount=units,
        card_id=card_id,
        mint=str(mint),
        recipient=str(platform.custody_owner),
        reference=str(new_reference()),
        status=DepositStatus.awaiting_transfer.value,
        expires_at=utcnow() + timedelta(seconds=settings.deposit_ttl_seconds),
        received_amount=0,
    )
    session.add(deposit)
    await session.flush()
    await emit(session, "deposit.created", deposit.id, user_id=user.id, asset=asset.value)
    return deposit


async def get_deposit(session: AsyncSession, user_id: str, deposit_id: str) -> Deposit:
    deposit = await session.get(Deposit, deposit_id)
    # Someone else's deposit is "not found": its existence is not the caller's business.
    if deposit is None or deposit.user_id != user_id:
        raise NotFound("No such deposit.", code="deposit_not_found")
    return deposit


async def list_deposits(
    session: AsyncSession, user_id: str, params: PageParams
) -> tuple[list[Deposit], str | None]:
    return await newest_first(
        session, select(Deposit).where(Deposit.user_id == user_id), Deposit, params
    )


async def deposit_transaction(
    session: AsyncSession,
    chain: Chain,
    platform: Platform,
    user_id: str,
    deposit_id: str,
    account: str,
) -> str:
    """An unsigned transaction paying the deposit from ``account`` (base64), for wallets that sign
    what the server builds (Solana Pay transaction request)."""
    deposit = await get_deposit(session, user_id, deposit_id)
    if deposit.status != DepositStatus.awaiting_transfer:
        raise Conflict("The deposit is no longer awaiting a transfer.", code="deposit_closed")
    try:
        payer = parse_address(account)
    except InvalidAddress as exc:
        raise Unprocessable(f"account: {exc}.", code="invalid_account") from exc
    target = on_chain(platform, deposit)
    instructions = []
    if deposit.asset == PaymentAsset.CARD:
        # The custody's card account may have been closed since the card left.
        instructions.append(
            spl.create_associated_token_account_idempotent(
                payer=payer,
                owner=platform.custody_owner,
                mint=target.mint,
                token_program=target.token_program,
            )
        )
    instructions.append(
        spl.transfer_checked(
            source=target.token_account(payer),
            mint=target.mint,
            destination=target.custody_account,
            owner=payer,
            amount=deposit.amount,
            decimals=target.decimals,
            token_program=target.token_program,
            references=[Pubkey.from_string(deposit.reference)],
        )
    )
    latest = await chain.get_latest_blockhash()
    message = Message.new_with_blockhash(instructions, payer, latest.blockhash)
    return base64.b64encode(bytes(Transaction.new_unsigned(message))).decode()


# --- the watcher ------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _Watched:
    id: str
    reference: str
    expires_at: datetime
    target: assets.OnChainAsset


@dataclass(frozen=True, slots=True)
class _Found:
    signature: Signature
    slot: int
    transfer: ReceivedTransfer


async def watch_deposits(
    db: Database, chain: Chain, platform: Platform, *, limit: int = 200
) -> int:
    """Credit every open deposit whose payment is final on chain; expire the unpaid past their
    time. Returns how many transfers were credited."""
    scan_started = utcnow()
    async with db.unit_of_work(write=False) as session:
        rows = (
            await session.scalars(
                select(Deposit)
                .where(Deposit.status == DepositStatus.awaiting_transfer.value)
                .order_by(Deposit.created_at)
                .limit(limit)
            )
        ).all()
        watched = [_Watched(d.id, d.reference, d.expires_at, on_chain(platform, d)) for d in rows]
        seen = {
            (sig, d_id)
            for sig, d_id in await session.execute(
                select(DepositReceipt.signature, DepositReceipt.deposit_id).where(
                    DepositReceipt.deposit_id.in_([w.id for w in watched])
                )
            )
        }
    credited = 0
    for item in watched:
        found = await _find_payments(chain, item, {s for s, d in seen if d == item.id})
        # Only a scan that began after the deadline may expire: it saw everything that landed.
        expire = not found and scan_started > item.expires_at
        if found or expire:
            async with db.unit_of_work() as session:
                credited += await _apply(session, item, found, expire=expire)
    return credited


async def _find_payments(chain: Chain, item: _Watched, known: set[str]) -> list[_Found]:
    found: list[_Found] = []
    reference = Pubkey.from_string(item.reference)
    for info in await chain.get_signatures_for_address(reference):
        if info.err is not None or str(info.signature) in known:
            continue
        # The chain answers at its commitment (finalized for RpcChain): None = not final yet.
        tx = await chain.get_transaction(info.signature)
        if tx is None:
            continue
        for transfer in received_transfers(
            tx,
            reference=reference,
            destination=item.target.custody_account,
            mint=item.target.mint,
            token_program=item.target.token_program,
        ):
            found.append(_Found(info.signature, tx.slot, transfer))
    return found


async def _apply(
    session: AsyncSession, item: _Watched, found: list[_Found], *, expire: bool
) -> int:
    # SKIP LOCKED: another watcher applying this deposit now will credit it; we move on.
    deposit = await session.scalar(
        select(Deposit)
        .where(Deposit.id == item.id)
        .with_for_update(skip_locked=True)
        .execution_options(populate_existing=True)
    )
    if deposit is None:
        return 0
    if not found:
        if expire and deposit.status == DepositStatus.awaiting_transfer:
            deposit.status = DepositStatus.expired.value
            await emit(session, "deposit.expired", deposit.id, user_id=deposit.user_id)
        return 0
    credited = 0
    for payment in found:
        result = await session.execute(
            insert_or_ignore(session, DepositReceipt).values(
                signature=str(payment.signature),
                instruction_index=payment.transfer.instruction_index,
                deposit_id=deposit.id,
                amount=payment.transfer.amount,
                source=str(payment.transfer.source),
                slot=payment.slot,
                created_at=utcnow(),
            )
        )
        if getattr(result, "rowcount", 0) != 1:
            continue  # credited before, by us or another watcher
        await _credit(session, deposit, payment)
        credited += 1
    return credited


async def _credit(session: AsyncSession, deposit: Deposit, payment: _Found) -> None:
    amount = payment.transfer.amount
    if deposit.asset == PaymentAsset.CARD:
        assert deposit.card_id is not None
        card = await cards.get_card(session, deposit.card_id)
        if card.withdrawn_at is None:
            # The card is already back (another deposit won): custody now holds it twice over
            # nothing; reconciliation and the log show it for an operator.
            log.error("card_deposit_without_withdrawn_card", deposit=deposit.id)
            return
        await cards.mark_deposited(session, deposit.card_id, deposit.user_id, deposit.id)
    else:
        asset = Asset(deposit.asset)
        custody = await ledger.account_for(
            session, OwnerType.custody, assets.CUSTODY_OWNER_ID, asset
        )
        await ledger.create_transfers(
            session,
            [
                ledger.TransferSpec(
                    id=f"deposit:{payment.signature}:{payment.transfer.instruction_index}",
                    debit_account_id=custody,
                    credit_account_id=await ledger.user_account(session, deposit.user_id, asset),
                    asset=asset,
                    amount=amount,
                    code=TransferCode.deposit,
                    reference=deposit.id,
                )
            ],
        )
    first = deposit.status != DepositStatus.credited
    deposit.received_amount += amount
    deposit.status = DepositStatus.credited.value
    if first:
        deposit.signature = str(payment.signature)
        deposit.credited_at = utcnow()
    await emit(
        session,
        "deposit.credited",
        deposit.id,
        user_id=deposit.user_id,
        asset=deposit.asset,
        amount=amount,
        signature=str(payment.signature),
    )


async def account_balance(chain: Chain, account: Pubkey) -> int:
    """A token account's balance; 0 when it does not exist (yet)."""
    try:
        return (await chain.get_token_account_balance(account)).amount
    except AccountNotFound:
        return 0
