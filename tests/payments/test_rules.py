"""Payment rules without a database: what a transfer into custody means, the deposit lifecycle
(partial payments, completion, expiry), withdrawal limits and outcomes, destinations, and the
unclaimed queue's resolutions."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st
from solders.account import Account
from solders.keypair import Keypair
from solders.pubkey import Pubkey

from ece.chain.protocol import SignatureStatus
from ece.chain.tokens import spl
from ece.chain.wallets import SYSVAR_OWNER
from ece.core.errors import Conflict, Unprocessable
from ece.core.money import Asset
from ece.payments import rules
from ece.payments.models import (
    DepositStatus,
    PaymentAsset,
    ReceiptOutcome,
    UnclaimedStatus,
    WithdrawalStatus,
)
from ece.payments.solana_pay import IncomingTransfer

T0 = datetime(2026, 1, 1, tzinfo=UTC)
MINT = Keypair().pubkey()
CUSTODY = Keypair().pubkey()


@dataclass
class FakeDeposit:
    id: str
    user_id: str
    asset: str
    mint: str
    amount: int
    expires_at: datetime
    status: str = DepositStatus.awaiting_transfer.value
    received_amount: int = 0


@dataclass(frozen=True)
class FakeCard:
    id: str
    withdrawn_at: datetime | None


def transfer(
    amount: int,
    *,
    references: tuple[Pubkey, ...] = (),
    sender: Pubkey | None = None,
    mint: Pubkey = MINT,
    verified: bool = True,
    into_deposit_account: bool = True,
) -> IncomingTransfer:
    return IncomingTransfer(
        0, CUSTODY, mint, amount, None, sender, references, verified, into_deposit_account
    )


def deposit(reference: Pubkey, amount: int = 100, *, asset: str = "USDC") -> FakeDeposit:
    return FakeDeposit("d1", "owner", asset, str(MINT), amount, T0 + timedelta(minutes=30))


# --- the deposit lifecycle, driven by the rules the intake and the watcher apply ---------------


@dataclass
class Ledger:
    """Who was credited what, as the intake would move it."""

    to_owner_by_deposit: int = 0
    to_senders: int = 0
    parked: int = 0


def receive(
    d: FakeDeposit, reference: Pubkey, amount: int, sender: str | None, now: datetime, book: Ledger
) -> ReceiptOutcome:
    """The intake's decision for one payment, then its effect (``intake._decide`` and
    ``_mark_credited``, without a database)."""
    t = transfer(amount, references=(reference,), sender=Keypair().pubkey())
    reason = rules.ignore_reason(t, Asset.USDC, None)
    found = None if reason else rules.matching_deposit(t, {str(reference): d}, now)
    outcome = rules.destination_of(reason, found is not None, sender is not None)
    if outcome is ReceiptOutcome.credited:
        assert found is d
        progress = rules.apply_payment(d.status, d.amount, d.received_amount, amount)
        d.received_amount = progress.received_amount
        if progress.completes:
            d.status = DepositStatus.credited.value
        book.to_owner_by_deposit += amount
    elif outcome is ReceiptOutcome.credited_sender:
        book.to_senders += amount
    elif outcome is ReceiptOutcome.unclaimed:
        book.parked += amount
    return outcome


def expire(d: FakeDeposit, deadline: datetime) -> None:
    """The watcher's expiry pass."""
    if rules.is_due_to_expire(d.status, d.expires_at, deadline):
        d.status = DepositStatus.expired.value


payments = st.lists(
    st.tuples(
        st.integers(min_value=0, max_value=150),  # amount
        st.sampled_from([None, "owner", "stranger"]),  # who the sending wallet belongs to
        st.integers(min_value=0, max_value=60),  # minutes after the deposit opened
    ),
    max_size=12,
)


@given(requested=st.integers(min_value=1, max_value=300), events=payments)
def test_partial_payments_never_over_credit_and_complete_once(
    requested: int, events: list[tuple[int, str | None, int]]
) -> None:
    reference = Keypair().pubkey()
    d = deposit(reference, requested)
    book = Ledger()
    completions = 0
    for amount, sender, minute in sorted(events, key=lambda e: e[2]):
        now = T0 + timedelta(minutes=minute)
        expire(d, now)
        before, was_credited = d.received_amount, d.status == DepositStatus.credited
        outcome = receive(d, reference, amount, sender, now, book)
        if outcome is ReceiptOutcome.credited:
            assert d.received_amount == before + amount  # exactly what arrived, never more
            if not was_credited and d.status == DepositStatus.credited:
                completions += 1
                assert before < requested <= d.received_amount  # not before it was reached
        assert d.status != DepositStatus.credited or d.received_amount >= requested
    # Everything credited through the deposit is what the deposit records as received.
    assert book.to_owner_by_deposit == d.received_amount
    assert completions <= 1
    assert (d.status == DepositStatus.credited) == (completions == 1)


@given(requested=st.integers(min_value=1, max_value=300), events=payments)
def test_an_expired_request_is_never_credited_through_the_deposit(
    requested: int, events: list[tuple[int, str | None, int]]
) -> None:
    reference = Keypair().pubkey()
    d = deposit(reference, requested)
    book = Ledger()
    for amount, sender, minute in sorted(events, key=lambda e: e[2]):
        now = T0 + timedelta(minutes=minute)
        expire(d, now)
        expired = d.status == DepositStatus.expired
        outcome = receive(d, reference, amount, sender, now, book)
        if expired:
            # Late: the sender's own account, or the unclaimed queue, never the deposit's owner
            # on the strength of its reference alone.
            assert outcome is not ReceiptOutcome.credited
            assert d.status == DepositStatus.expired
            assert outcome is not ReceiptOutcome.credited_sender or sender is not None


@given(
    status=st.sampled_from(list(DepositStatus)),
    requested=st.integers(min_value=1, max_value=10**12),
    received=st.integers(min_value=0, max_value=10**12),
    amount=st.integers(min_value=0, max_value=10**12),
)
def test_apply_payment_adds_exactly_the_amount_and_completes_only_an_open_request(
    status: DepositStatus, requested: int, received: int, amount: int
) -> None:
    progress = rules.apply_payment(status.value, requested, received, amount)
    assert progress.received_amount == received + amount
    assert progress.completes == (
        status != DepositStatus.credited and received + amount >= requested
    )


def test_a_paid_coin_deposit_accepts_more_until_its_time_a_card_one_does_not() -> None:
    reference = Keypair().pubkey()
    coin = deposit(reference)
    coin.status = DepositStatus.credited.value
    card = deposit(reference, 1, asset=PaymentAsset.CARD.value)
    card.status = DepositStatus.credited.value
    assert rules.accepts_payment(coin, coin.expires_at)
    assert not rules.accepts_payment(coin, coin.expires_at + timedelta(microseconds=1))
    assert not rules.accepts_payment(card, T0)
    coin.status = DepositStatus.expired.value
    assert not rules.accepts_payment(coin, T0)


def test_only_the_deposit_of_the_mint_that_moved_matches() -> None:
    reference = Keypair().pubkey()
    d = deposit(reference)
    other_mint = transfer(5, references=(reference,), mint=Keypair().pubkey())
    assert rules.matching_deposit(other_mint, {str(reference): d}, T0) is None
    assert rules.named_deposit(other_mint, {str(reference): d}) == "d1"
    assert rules.matching_deposit(transfer(5, references=(reference,)), {str(reference): d}, T0)


def test_expiry_and_the_late_window() -> None:
    deadline = T0 + timedelta(minutes=30)
    assert not rules.is_due_to_expire("awaiting_transfer", deadline, deadline)
    assert rules.is_due_to_expire("awaiting_transfer", deadline - timedelta(seconds=1), deadline)
    assert not rules.is_due_to_expire("credited", T0, deadline)
    assert rules.is_watched_by_reference("awaiting_transfer", "USDC", T0, deadline)
    assert rules.is_watched_by_reference(
        "expired", "CARD", deadline + timedelta(seconds=1), deadline
    )
    assert not rules.is_watched_by_reference("expired", "CARD", deadline, deadline)
    assert not rules.is_watched_by_reference("expired", "USDC", deadline + timedelta(1), deadline)


# --- what a transfer into custody means -------------------------------------------------------


@given(
    amount=st.integers(min_value=0, max_value=5),
    verified=st.booleans(),
    into=st.booleans(),
    kind=st.sampled_from(["coin", "card", "card_on_platform", "foreign"]),
    issued=st.booleans(),
    has_sender=st.booleans(),
)
def test_a_transfer_is_taken_only_when_custody_verifiably_received_an_ece_asset(
    amount: int, verified: bool, into: bool, kind: str, issued: bool, has_sender: bool
) -> None:
    sender = Keypair().pubkey() if has_sender else None
    t = transfer(amount, sender=sender, verified=verified, into_deposit_account=into)
    asset = Asset.USDC if kind == "coin" else None
    card = None
    if kind.startswith("card"):
        card = FakeCard("c1", None if kind == "card_on_platform" else T0)
    reason = rules.ignore_reason(t, asset, card, issued_by_platform=issued)
    if reason is None:
        assert verified and amount > 0 and into and kind in ("coin", "card")
        assert not (issued and sender is None)
        assert kind != "card" or amount == 1
    assert rules.destination_of(reason, True, True) is (
        ReceiptOutcome.ignored if reason else ReceiptOutcome.credited
    )


def test_where_a_taken_transfer_goes() -> None:
    assert rules.destination_of(None, True, True) is ReceiptOutcome.credited
    assert rules.destination_of(None, False, True) is ReceiptOutcome.credited_sender
    assert rules.destination_of(None, False, False) is ReceiptOutcome.unclaimed
    assert rules.destination_of("zero_amount", False, False) is ReceiptOutcome.ignored
    assert rules.failure_reason("X" * 100) == "failed: " + "X" * 56


# --- withdrawals ------------------------------------------------------------------------------


@given(
    limit=st.integers(min_value=0, max_value=10**9),
    amounts=st.lists(st.integers(min_value=1, max_value=10**9), max_size=20),
)
def test_the_daily_quota_never_lets_withdrawals_pass_the_limit(
    limit: int, amounts: list[int]
) -> None:
    used = 0
    for amount in amounts:
        if rules.fits_quota(used, amount, limit):
            used += amount
        else:
            assert used + amount > limit
        assert used <= limit


def test_withdrawal_refusals() -> None:
    with pytest.raises(Unprocessable) as low:
        rules.refuse_below_minimum(999_999, 1_000_000, Asset.USDC)
    assert low.value.instance_code == "amount_below_minimum"
    rules.refuse_below_minimum(1_000_000, 1_000_000, Asset.USDC)
    assert rules.quota_exceeded().instance_code == "withdrawal_limit_exceeded"
    assert rules.quota_day(datetime(2026, 3, 4, 23, 59)) == "2026-03-04"


def status(err: object = None, confirmation: str | None = "finalized") -> SignatureStatus:
    return SignatureStatus(1, err, confirmation)  # type: ignore[arg-type]


def test_what_becomes_of_a_sent_withdrawal() -> None:
    assert rules.should_broadcast(None, 10, 10) and not rules.should_broadcast(None, 11, 10)
    assert not rules.should_broadcast(status(), 1, 10)
    assert rules.sent_outcome(None, 10, 10) == rules.SentOutcome(None)
    assert rules.sent_outcome(None, 11, 10) == rules.SentOutcome(
        WithdrawalStatus.failed, "blockhash expired unseen"
    )
    assert rules.sent_outcome(status(confirmation="confirmed"), 99, 10) == rules.SentOutcome(None)
    assert rules.sent_outcome(status(), 99, 10) == rules.SentOutcome(WithdrawalStatus.confirmed)
    failed = rules.sent_outcome(status(err="boom"), 1, 10)
    assert failed == rules.SentOutcome(WithdrawalStatus.failed, "failed on chain: boom")
    assert rules.landed(status()) and not rules.landed(status(err="boom"))
    assert not rules.landed(None) and not rules.landed(status(confirmation="processed"))


def test_destinations() -> None:
    custody = frozenset({CUSTODY})
    wallet = Keypair().pubkey()
    assert rules.parse_destination(str(wallet), custody) == wallet
    for text in ("not-base58-0OIl", str(CUSTODY)):
        with pytest.raises(Unprocessable) as refused:
            rules.parse_destination(text, custody)
        assert refused.value.instance_code == "invalid_destination"
    pda, _ = Pubkey.find_program_address([b"x"], spl.TOKEN_PROGRAM_ID)
    with pytest.raises(Unprocessable):
        rules.refuse_off_curve(pda)
    rules.refuse_off_curve(wallet)
    rules.refuse_unspendable(None)
    rules.refuse_unspendable(Account(1, b"", Pubkey.default()))  # a plain system wallet
    for owner, executable in ((SYSVAR_OWNER, False), (Pubkey.default(), True)):
        with pytest.raises(Unprocessable):
            rules.refuse_unspendable(Account(1, b"", owner, executable))
    with pytest.raises(Unprocessable):
        rules.refuse_unspendable(Account(1, b"", spl.TOKEN_PROGRAM_ID))


# --- deposits' refusals and the unclaimed queue -----------------------------------------------


def test_deposit_refusals() -> None:
    with pytest.raises(Conflict, match="already on the platform"):
        rules.refuse_card_on_platform(FakeCard("c", None))
    rules.refuse_card_on_platform(FakeCard("c", T0))
    with pytest.raises(Conflict):
        rules.refuse_card_not_held(0)
    rules.refuse_card_not_held(1)
    rules.refuse_too_many_open(2, 3)
    with pytest.raises(Conflict) as many:
        rules.refuse_too_many_open(3, 3)
    assert many.value.instance_code == "too_many_open_deposits"
    with pytest.raises(Conflict):
        rules.refuse_closed("expired")
    rules.refuse_closed("awaiting_transfer")
    assert rules.expires_at(T0, 60) == T0 + timedelta(minutes=1)


def test_an_unclaimed_payment_is_resolved_once() -> None:
    credited = rules.resolved_status(rules.Resolution.credit)
    assert credited is UnclaimedStatus.credited
    assert rules.resolved_status(rules.Resolution.returned) is UnclaimedStatus.returned
    assert not rules.already_resolved("open", None, credited, "u1")
    assert rules.already_resolved("credited", "u1", credited, "u1")
    for stored_status, stored_user in (("credited", "u2"), ("returned", None)):
        with pytest.raises(Conflict) as twice:
            rules.already_resolved(stored_status, stored_user, credited, "u1")
        assert twice.value.instance_code == "unclaimed_resolved"
