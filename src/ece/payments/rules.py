"""Payment rules, without I/O: what a transfer into custody means, when a deposit is open, paid
or expired, what a withdrawal may be, and how an unclaimed payment may be resolved.

Where SQL pre-filters rows with one of these conditions (open and expired deposits, the daily
withdrawal quota), ``tests/payments/test_rules_sql.py`` runs both on the same rows.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum
from typing import Protocol, TypeVar

from solders.account import Account
from solders.pubkey import Pubkey

from ece.chain.protocol import SignatureStatus
from ece.chain.tokens import spl
from ece.chain.wallets import SYSVAR_OWNER, can_be_wallet
from ece.core.errors import Conflict, Gone, Unprocessable
from ece.core.money import Asset, format_amount
from ece.payments.models import (
    DepositStatus,
    PaymentAsset,
    ReceiptOutcome,
    UnclaimedStatus,
    WithdrawalStatus,
)
from ece.payments.solana_pay import IncomingTransfer, InvalidAddress, parse_address


class CustodyCard(Protocol):
    """What the rules read of a card (the cards domain's row satisfies it)."""

    @property
    def id(self) -> str: ...
    @property
    def withdrawn_at(self) -> datetime | None: ...


class OpenDeposit(Protocol):
    """What the rules read of a deposit row."""

    @property
    def id(self) -> str: ...
    @property
    def asset(self) -> str: ...
    @property
    def mint(self) -> str: ...
    @property
    def status(self) -> str: ...
    @property
    def expires_at(self) -> datetime: ...


D = TypeVar("D", bound=OpenDeposit)


# --- deposits ---------------------------------------------------------------------------------


def expires_at(now: datetime, ttl_seconds: int) -> datetime:
    return now + timedelta(seconds=ttl_seconds)


def refuse_card_on_platform(card: CustodyCard) -> None:
    """Only a withdrawn card can come (back) into custody."""
    if card.withdrawn_at is None:
        raise Conflict("The card is already on the platform.", code="card_not_withdrawn")


def refuse_card_not_held(held: int) -> None:
    if held < 1:
        raise Conflict("Your wallet does not hold this card on chain.", code="card_not_held")


def refuse_too_many_open(count: int, max_open: int) -> None:
    if count >= max_open:
        raise Conflict(
            f"You have {count} deposits open, the most allowed: pay or let some expire.",
            code="too_many_open_deposits",
        )


def refuse_closed(status: str) -> None:
    if status != DepositStatus.awaiting_transfer:
        raise Conflict("The deposit is no longer awaiting a transfer.", code="deposit_closed")


def refuse_pay_link_closed(status: str, expires_at: datetime, now: datetime) -> None:
    """A deposit's transaction-request link works while the deposit awaits a transfer and not
    past its expiry: 409 ``deposit_closed`` once credited, 410 ``deposit_expired`` after."""
    if status == DepositStatus.expired or expires_at <= now:
        raise Gone("This payment request has expired.", code="deposit_expired")
    refuse_closed(status)


def accepts_payment(deposit: OpenDeposit, now: datetime) -> bool:
    """Still open to a payment: awaiting (paid in part or not), or a coin deposit paid in full
    and not past its time."""
    return deposit.status == DepositStatus.awaiting_transfer or (
        deposit.status == DepositStatus.credited
        and deposit.asset != PaymentAsset.CARD
        and now <= deposit.expires_at
    )


def is_due_to_expire(status: str, expires: datetime, deadline: datetime) -> bool:
    """An unpaid deposit whose time ended before ``deadline`` (the start of a watcher run)."""
    return status == DepositStatus.awaiting_transfer and expires < deadline


def is_watched_by_reference(
    status: str, asset: str, expires: datetime, late_since: datetime
) -> bool:
    """Scanned by its reference: open, or an expired card deposit inside the late window (late
    coins paid to custody's account are found in its history anyway)."""
    return status == DepositStatus.awaiting_transfer or (
        asset == PaymentAsset.CARD and status == DepositStatus.expired and expires > late_since
    )


@dataclass(frozen=True, slots=True)
class DepositProgress:
    """A deposit after one payment: every payment reaches the user's balance whole; the request
    completes once, when what it received reaches its amount (dust cannot close it early)."""

    received_amount: int
    completes: bool  # this payment completes it: status credited, signature and time set


def apply_payment(status: str, requested: int, received: int, amount: int) -> DepositProgress:
    total = received + amount
    return DepositProgress(total, status != DepositStatus.credited and total >= requested)


# --- what a transfer into custody means --------------------------------------------------------


def ignore_reason(
    transfer: IncomingTransfer,
    asset: Asset | None,
    card: CustodyCard | None,
    *,
    issued_by_platform: bool = False,
) -> str | None:
    """Why custody did not verifiably receive an ECE asset from ``transfer``; None if it did."""
    if issued_by_platform and transfer.sender is None:
        # Growth no transfer explains, in a transaction the mint authority signed: the platform
        # minted it, and books its ledger side itself; parking it would count it twice.
        return "platform_issuance"
    if not transfer.verified:
        return "balance_not_received"
    if transfer.amount == 0:
        return "zero_amount"
    if not transfer.into_deposit_account:
        # Withdrawals pay from the associated account only: value elsewhere can never leave.
        return "not_custody_deposit_account"
    if asset is None and card is None:
        return "not_an_ece_asset"
    if card is not None and transfer.amount != 1:
        return "card_amount_not_one"
    if card is not None and card.withdrawn_at is None:
        # Supply 1: custody cannot receive a card it already holds; the database disagrees.
        return "card_already_on_platform"
    return None


def matching_deposit(transfer: IncomingTransfer, deposits: dict[str, D], now: datetime) -> D | None:
    """The first deposit still accepting payment, for the mint that moved, whose reference the
    transfer carries."""
    for reference in transfer.references:
        deposit = deposits.get(str(reference))
        if deposit is None or deposit.mint != str(transfer.mint):
            continue
        if accepts_payment(deposit, now):
            return deposit
    return None


def named_deposit(transfer: IncomingTransfer, deposits: dict[str, D]) -> str | None:
    """The id of the first deposit (open or not) whose reference the transfer carries."""
    return next((deposits[str(r)].id for r in transfer.references if str(r) in deposits), None)


def destination_of(reason: str | None, has_deposit: bool, has_sender: bool) -> ReceiptOutcome:
    """Ignored, else the open deposit, else the sending user, else the unclaimed queue."""
    if reason is not None:
        return ReceiptOutcome.ignored
    if has_deposit:
        return ReceiptOutcome.credited
    if has_sender:
        return ReceiptOutcome.credited_sender
    return ReceiptOutcome.unclaimed


def failure_reason(error: str) -> str:
    """A receipt's reason for a transfer whose handling failed (the column holds 64)."""
    return f"failed: {error}"[:64]


# --- withdrawals ------------------------------------------------------------------------------


def refuse_below_minimum(amount: int, minimum: int, coin: Asset) -> None:
    if amount < minimum:
        raise Unprocessable(
            f"The minimum withdrawal is {format_amount(minimum, coin)} {coin.value}.",
            code="amount_below_minimum",
        )


def fits_quota(used: int, amount: int, limit: int) -> bool:
    """The daily limit rule (the quota's conditional UPDATE applies the same condition)."""
    return used + amount <= limit


def quota_exceeded() -> Conflict:
    return Conflict(
        "This withdrawal would pass your daily withdrawal limit.",
        code="withdrawal_limit_exceeded",
    )


def quota_day(moment: datetime) -> str:
    """The UTC day a withdrawal counts against."""
    return moment.date().isoformat()


def parse_destination(text: str, custody: frozenset[Pubkey]) -> Pubkey:
    """``text`` as an address that is not custody's own, or 422 ``invalid_destination``."""
    try:
        destination = parse_address(text)
    except InvalidAddress as exc:
        raise Unprocessable(f"destination: {exc}.", code="invalid_destination") from exc
    if destination in custody:
        raise Unprocessable(
            "destination: that is the platform's own custody.", code="invalid_destination"
        )
    return destination


def refuse_payer(payer: Pubkey, custody: frozenset[Pubkey]) -> None:
    """A deposit is paid from someone's wallet: never from custody itself (no one would be owed
    it) nor from a program, sysvar or program-derived address, which no person can sign for
    (422 ``invalid_account``)."""
    if payer in custody:
        raise Unprocessable("account: that is the platform's custody.", code="invalid_account")
    if not can_be_wallet(payer):
        raise Unprocessable(
            "account: that is a program, sysvar or program-derived address, not a wallet.",
            code="invalid_account",
        )


def refuse_off_curve(destination: Pubkey) -> None:
    """A program, a sysvar or an off-curve address (a PDA: only its program could sign, and it
    would not) can never spend what it receives (422 ``invalid_destination``)."""
    if not can_be_wallet(destination):
        raise Unprocessable(
            "destination: that is a program, sysvar or program-derived address, not a wallet.",
            code="invalid_destination",
        )


def refuse_unspendable(account: Account | None) -> None:
    """Refuse a destination the chain holds as a program, a sysvar, a token account or a mint
    (422 ``invalid_destination``); ``account`` is what the chain holds there, if anything."""
    if account is None:
        return
    if account.executable or account.owner == SYSVAR_OWNER:
        raise Unprocessable(
            "destination: that is a program or sysvar, not a wallet.", code="invalid_destination"
        )
    if account.owner in spl.TOKEN_PROGRAMS:
        raise Unprocessable(
            "destination: give the wallet address, not a token account or mint.",
            code="invalid_destination",
        )


def landed(status: SignatureStatus | None) -> bool:
    """Final and successful on chain."""
    return status is not None and status.err is None and status.confirmation_status == "finalized"


def should_broadcast(status: SignatureStatus | None, height: int, last_valid: int) -> bool:
    """Unknown to the chain and still able to land: send the stored bytes (again)."""
    return status is None and height <= last_valid


@dataclass(frozen=True, slots=True)
class SentOutcome:
    """What to do with a ``sent`` withdrawal now: nothing yet (``status`` None), or finish it."""

    status: WithdrawalStatus | None
    reason: str | None = None


def sent_outcome(status: SignatureStatus | None, height: int, last_valid: int) -> SentOutcome:
    """Height is read before the status: unknown once past ``last_valid``, it can never land."""
    if status is None:
        if height > last_valid:
            return SentOutcome(WithdrawalStatus.failed, "blockhash expired unseen")
        return SentOutcome(None)
    if status.confirmation_status != "finalized":
        return SentOutcome(None)
    if status.err is None:
        return SentOutcome(WithdrawalStatus.confirmed)
    return SentOutcome(WithdrawalStatus.failed, f"failed on chain: {status.err}")


# --- the unclaimed queue ----------------------------------------------------------------------


class Resolution(StrEnum):
    credit = "credit"
    returned = "returned"


def resolved_status(resolution: Resolution) -> UnclaimedStatus:
    if resolution is Resolution.credit:
        return UnclaimedStatus.credited
    return UnclaimedStatus.returned


def already_resolved(
    status: str, resolved_user_id: str | None, wanted: UnclaimedStatus, user_id: str | None
) -> bool:
    """True: the same resolution again (answer it as done); False: still open, resolve it.
    A different resolution of a resolved payment is 409 ``unclaimed_resolved``."""
    if status == UnclaimedStatus.open:
        return False
    if status == wanted and resolved_user_id == user_id:
        return True
    raise Conflict("This payment is already resolved.", code="unclaimed_resolved")


def audit_details(
    asset: str, amount: int, card_id: str | None, **ids: str | None
) -> dict[str, str]:
    """What an audit entry of a payment carries: the asset, the amount as a decimal string (or
    the card), and the ids that tie it to its rows. Never an address: it can name a person."""
    details = {"asset": asset, **{k: v for k, v in ids.items() if v is not None}}
    if asset == PaymentAsset.CARD:
        details["card_id"] = card_id or ""
    else:
        details["amount"] = format_amount(amount, Asset(asset))
    return details
