"""Deposits: Solana Pay transfer requests to the custody wallet.

``watcher`` finds what custody received and ``intake`` credits it; crediting is keyed by
(signature, instruction index) in ``deposit_receipts`` and by a ledger transfer id built from
the same key, so any number of watchers, runs or replays credit a transfer exactly once.
"""

from __future__ import annotations

import base64
from datetime import timedelta

import structlog
from solders.message import Message
from solders.pubkey import Pubkey
from solders.transaction import Transaction
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from ece.auth.models import User
from ece.cards import service as cards
from ece.cards.models import Card
from ece.chain.platform import Platform
from ece.chain.protocol import AccountNotFound, Chain
from ece.chain.tokens import spl
from ece.config import Settings
from ece.core.clock import utcnow
from ece.core.errors import Conflict, NotFound, Unprocessable
from ece.core.money import Asset, parse_amount
from ece.core.outbox import emit
from ece.core.pagination import PageParams, newest_first
from ece.payments import assets
from ece.payments.models import Deposit, DepositStatus, PaymentAsset
from ece.payments.solana_pay import (
    InvalidAddress,
    new_reference,
    parse_address,
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

    A card deposit needs a withdrawn ECE card that the caller's wallet holds on chain now. One
    open deposit per card, and ``deposit_max_open`` in all, per user (each is watched every run).
    """
    await _refuse_too_many_open(session, settings, user, card_id)
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


async def _refuse_too_many_open(
    session: AsyncSession, settings: Settings, user: User, card_id: str | None
) -> None:
    # The user's row lock serializes this user's deposit requests: two at once cannot both
    # pass the checks below (SQLite's write transactions are serialized already).
    await session.execute(select(User.id).where(User.id == user.id).with_for_update())
    open_ = select(Deposit).where(
        Deposit.user_id == user.id, Deposit.status == DepositStatus.awaiting_transfer.value
    )
    if card_id is not None:
        same = await session.scalar(
            open_.where(Deposit.card_id == card_id).order_by(Deposit.created_at).limit(1)
        )
        if same is not None:
            raise Conflict(
                "A deposit of this card is already open: pay it, or let it expire.",
                code="deposit_already_open",
                deposit_id=same.id,
            )
    count = await session.scalar(select(func.count()).select_from(open_.subquery()))
    if (count or 0) >= settings.deposit_max_open:
        raise Conflict(
            f"You have {count} deposits open, the most allowed: pay or let some expire.",
            code="too_many_open_deposits",
        )


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
            amount=deposit.amount - deposit.received_amount,  # what is still owed
            decimals=target.decimals,
            token_program=target.token_program,
            references=[Pubkey.from_string(deposit.reference)],
        )
    )
    latest = await chain.get_latest_blockhash()
    message = Message.new_with_blockhash(instructions, payer, latest.blockhash)
    return base64.b64encode(bytes(Transaction.new_unsigned(message))).decode()


async def account_balance(chain: Chain, account: Pubkey) -> int:
    """A token account's balance; 0 when it does not exist (yet)."""
    try:
        return (await chain.get_token_account_balance(account)).amount
    except AccountNotFound:
        return 0
