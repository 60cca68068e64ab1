"""Deposits: Solana Pay transfer requests to the custody wallet.

``watcher`` finds what custody received and ``intake`` credits it; crediting is keyed by
(signature, instruction index) in ``deposit_receipts`` and by a ledger transfer id built from
the same key, so any number of watchers, runs or replays credit a transfer exactly once.
"""

from __future__ import annotations

import base64
import secrets
from typing import Protocol

import structlog
from solders.instruction import Instruction
from solders.message import Message
from solders.pubkey import Pubkey
from solders.transaction import Transaction
from sqlalchemy.ext.asyncio import AsyncSession

from ece.auth import service as auth
from ece.cards import service as cards
from ece.chain.platform import Platform
from ece.chain.protocol import Chain
from ece.chain.tokens import spl
from ece.config import Settings
from ece.core.clock import utcnow
from ece.core.errors import Conflict, NotFound, Unprocessable
from ece.core.money import Asset, parse_amount
from ece.core.outbox import emit
from ece.core.pagination import PageParams
from ece.payments import assets, repository, rules
from ece.payments.models import Deposit, DepositStatus, PaymentAsset
from ece.payments.solana_pay import (
    InvalidAddress,
    new_reference,
    parse_address,
    qr_svg,
    transaction_request_link,
    transaction_request_url,
    transfer_request_url,
)

log = structlog.get_logger("ece.payments.deposits")


class Payer(Protocol):
    """Who opens a deposit: the signed-in user."""

    @property
    def id(self) -> str: ...
    @property
    def address(self) -> str: ...


def on_chain(platform: Platform, deposit: Deposit) -> assets.OnChainAsset:
    if deposit.asset == PaymentAsset.CARD:
        return assets.card(platform, Pubkey.from_string(deposit.mint))
    return assets.coin(platform, Asset(deposit.asset))


def _message(deposit: Deposit, label: str) -> str:
    amount = assets.format_units(deposit.amount, deposit.asset)
    what = "card" if deposit.asset == PaymentAsset.CARD else deposit.asset
    return f"Deposit {amount} {what} to {label} ({deposit.id})"


def payment_url(deposit: Deposit, label: str) -> str:
    """The deposit as a Solana Pay transfer request (the wallet composes the transfer)."""
    return transfer_request_url(
        recipient=Pubkey.from_string(deposit.recipient),
        amount=assets.format_units(deposit.amount, deposit.asset),
        mint=Pubkey.from_string(deposit.mint),
        reference=Pubkey.from_string(deposit.reference),
        label=label,
        message=_message(deposit, label),
    )


def pay_link_url(deposit: Deposit, label: str, domain: str) -> str | None:
    """The deposit as a Solana Pay transaction request (``solana:https://...``: the wallet asks
    our link for the transaction); None for a deposit opened before links existed."""
    if deposit.pay_token is None:
        return None
    link = transaction_request_link(domain, deposit.pay_token)
    return transaction_request_url(link, label=label, message=_message(deposit, label))


async def create_deposit(
    session: AsyncSession,
    settings: Settings,
    chain: Chain,
    platform: Platform,
    user: Payer,
    asset: PaymentAsset,
    amount: str | None,
    card_id: str | None,
) -> Deposit:
    """Open a Solana Pay transfer request to the custody wallet, tagged with a fresh reference.

    A card deposit needs a withdrawn ECE card that the caller's wallet holds on chain now. One
    open deposit per card, and ``deposit_max_open`` in all, per user (each is watched every run).
    """
    await _refuse_too_many_open(session, settings, user.id, card_id)
    if asset is PaymentAsset.CARD:
        assert card_id is not None  # the schema requires it
        mint, units = await _card_held(session, chain, user.address, card_id), 1
    else:
        assert amount is not None
        mint, units = platform.mint(Asset(asset)), parse_amount(amount, Asset(asset))
    deposit = Deposit(
        user_id=user.id,
        asset=asset.value,
        amount=units,
        card_id=card_id,
        mint=str(mint),
        recipient=str(platform.custody_owner),
        reference=str(new_reference()),
        # 256 random bits: the link is the only credential a wallet presents.
        pay_token=secrets.token_urlsafe(32),
        status=DepositStatus.awaiting_transfer.value,
        expires_at=rules.expires_at(utcnow(), settings.deposit_ttl_seconds),
        received_amount=0,
    )
    await repository.add(session, deposit)
    await emit(session, "deposit.created", deposit.id, user_id=user.id, asset=asset.value)
    return deposit


async def _card_held(session: AsyncSession, chain: Chain, address: str, card_id: str) -> Pubkey:
    """The mint of a withdrawn ECE card the wallet ``address`` holds on chain now."""
    # Only cards ECE minted exist here: any other mint is refused with a 404.
    card = await cards.get_card(session, card_id)
    rules.refuse_card_on_platform(card)
    mint = Pubkey.from_string(card.mint)
    held = await chain.get_token_accounts_by_owner(
        Pubkey.from_string(address), mint=mint, program_id=spl.TOKEN_2022_PROGRAM_ID
    )
    rules.refuse_card_not_held(sum(account.amount for account in held))
    return mint


async def _refuse_too_many_open(
    session: AsyncSession, settings: Settings, user_id: str, card_id: str | None
) -> None:
    # The user's row lock serializes this user's deposit requests: two at once cannot both
    # pass the checks below (SQLite's write transactions are serialized already).
    await auth.lock_user(session, user_id)
    if card_id is not None:
        same = await repository.open_deposit_of_card(session, user_id, card_id)
        if same is not None:
            raise Conflict(
                "A deposit of this card is already open: pay it, or let it expire.",
                code="deposit_already_open",
                deposit_id=same,
            )
    count = await repository.count_open_deposits(session, user_id)
    rules.refuse_too_many_open(count, settings.deposit_max_open)


async def get_deposit(session: AsyncSession, user_id: str, deposit_id: str) -> Deposit:
    deposit = await repository.get(session, Deposit, deposit_id)
    # Someone else's deposit is "not found": its existence is not the caller's business.
    if deposit is None or deposit.user_id != user_id:
        raise NotFound("No such deposit.", code="deposit_not_found")
    return deposit


async def list_deposits(
    session: AsyncSession, user_id: str, params: PageParams
) -> tuple[list[Deposit], str | None]:
    return await repository.history(session, Deposit, params, Deposit.user_id == user_id)


async def deposit_qr(
    session: AsyncSession, user_id: str, deposit_id: str, label: str, domain: str, kind: str
) -> bytes:
    """The deposit's Solana Pay URL as an SVG QR code: the transaction request (``kind``
    ``transaction``; the transfer request for a deposit without a link) or the transfer request."""
    deposit = await get_deposit(session, user_id, deposit_id)
    url = pay_link_url(deposit, label, domain) if kind == "transaction" else None
    return qr_svg(url or payment_url(deposit, label))


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
    rules.refuse_closed(deposit.status)
    return await _unsigned_payment(chain, platform, deposit, account)


async def pay_link_deposit(session: AsyncSession, token: str) -> Deposit:
    """The deposit a transaction-request link pays, while it can be paid: 404
    ``pay_link_not_found`` for an unknown token, 409 ``deposit_closed`` once credited, 410
    ``deposit_expired`` past its time."""
    deposit = await repository.deposit_by_pay_token(session, token)
    if deposit is None:
        raise NotFound("No such payment request.", code="pay_link_not_found")
    rules.refuse_pay_link_closed(deposit.status, deposit.expires_at, utcnow())
    return deposit


async def pay_link_transaction(
    session: AsyncSession, chain: Chain, platform: Platform, token: str, account: str
) -> tuple[Deposit, str]:
    """The transaction paying the deposit behind a link from ``account``, unsigned (base64). The
    link is the credential: whoever holds it may pay the deposit, into its owner's balance."""
    deposit = await pay_link_deposit(session, token)
    return deposit, await _unsigned_payment(chain, platform, deposit, account)


async def _unsigned_payment(
    chain: Chain, platform: Platform, deposit: Deposit, account: str
) -> str:
    try:
        payer = parse_address(account)
    except InvalidAddress as exc:
        raise Unprocessable(f"account: {exc}.", code="invalid_account") from exc
    rules.refuse_payer(payer, platform.custody_addresses())
    instructions = _payment(platform, deposit, payer)
    latest = await chain.get_latest_blockhash()
    message = Message.new_with_blockhash(instructions, payer, latest.blockhash)
    return base64.b64encode(bytes(Transaction.new_unsigned(message))).decode()


def pay_link_message(deposit: Deposit, label: str) -> str:
    """What a wallet shows beside the transaction it is asked to sign."""
    return _message(deposit, label)


def _payment(platform: Platform, deposit: Deposit, payer: Pubkey) -> list[Instruction]:
    """The instructions paying what the deposit still owes from ``payer``'s account."""
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
    return instructions
