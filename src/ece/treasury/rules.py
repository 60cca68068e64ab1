"""Pure treasury decisions: the payout lifecycle, conversion to USDC, the weekly schedule, who
must sign. No I/O."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum

from ece.core.money import Asset

WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")


class PayoutStatus(StrEnum):
    screening = "screening"
    review = "review"
    approved = "approved"  # screened or reviewed: the treasury_prepare job gives it its nonce next
    awaiting_signatures = "awaiting_signatures"
    submitted = "submitted"
    confirmed = "confirmed"
    failed = "failed"
    rejected = "rejected"


# Where each status may go next; a status not listed is final.
TRANSITIONS: dict[PayoutStatus, frozenset[PayoutStatus]] = {
    PayoutStatus.screening: frozenset(
        {PayoutStatus.review, PayoutStatus.approved, PayoutStatus.rejected}
    ),
    PayoutStatus.review: frozenset({PayoutStatus.approved, PayoutStatus.rejected}),
    PayoutStatus.approved: frozenset({PayoutStatus.awaiting_signatures}),
    PayoutStatus.awaiting_signatures: frozenset({PayoutStatus.submitted}),
    PayoutStatus.submitted: frozenset({PayoutStatus.confirmed, PayoutStatus.failed}),
}


def may_move(current: PayoutStatus, to: PayoutStatus) -> bool:
    return to in TRANSITIONS.get(current, frozenset())


class Decision(StrEnum):
    """The compliance gate's answer for one payout."""

    allow = "allow"
    review = "review"
    block = "block"


def status_after_screening(decision: Decision) -> PayoutStatus:
    return {
        Decision.allow: PayoutStatus.approved,
        Decision.review: PayoutStatus.review,
        Decision.block: PayoutStatus.rejected,
    }[decision]


def to_usdc(amount: int, asset: Asset, price_usdc: int) -> int:
    """``amount`` base units of ``asset`` in USDC base units, at ``price_usdc`` USDC base units
    per whole ECE; rounded down (what is left under one USDC unit stays with the platform)."""
    if asset is Asset.USDC:
        return amount
    return amount * price_usdc // asset.unit


@dataclass(frozen=True, slots=True)
class Leg:
    """One payable drained into a payout: ``amount`` of ``asset`` worth ``usdc``."""

    asset: Asset
    purpose: str
    amount: int
    usdc: int

    def as_json(self) -> dict[str, object]:
        return {
            "asset": self.asset.value,
            "purpose": self.purpose,
            "amount": self.amount,
            "usdc": self.usdc,
        }

    @classmethod
    def of(cls, raw: dict[str, object]) -> Leg:
        return cls(
            Asset(str(raw["asset"])),
            str(raw["purpose"]),
            int(str(raw["amount"])),
            int(str(raw["usdc"])),
        )


def payable_legs(balances: list[tuple[Asset, str, int]], price_usdc: int) -> list[Leg]:
    """The legs of a payout from a company's payables (asset, purpose, available); a payable
    worth no whole USDC unit is left where it is."""
    legs = [Leg(a, p, amount, to_usdc(amount, a, price_usdc)) for a, p, amount in balances]
    return [leg for leg in legs if leg.amount > 0 and leg.usdc > 0]


def worth_paying(legs: list[Leg], minimum_usdc: int) -> bool:
    return sum(leg.usdc for leg in legs) >= max(minimum_usdc, 1)


def parse_schedule(text: str) -> tuple[int, int, int]:
    """``"mon 00:00"`` → (weekday 0-6, hour, minute), in UTC."""
    try:
        day, hhmm = text.strip().lower().split()
        hour, minute = (int(part) for part in hhmm.split(":"))
        weekday = WEEKDAYS.index(day[:3])
    except ValueError as exc:
        raise ValueError("a payout schedule reads like 'mon 00:00' (UTC)") from exc
    if not (0 <= hour < 24 and 0 <= minute < 60):
        raise ValueError("a payout schedule reads like 'mon 00:00' (UTC)")
    return weekday, hour, minute


def last_slot(now: datetime, schedule: str) -> datetime:
    """The most recent scheduled run at or before ``now``."""
    weekday, hour, minute = parse_schedule(schedule)
    day = now - timedelta(days=(now.weekday() - weekday) % 7)
    slot = day.replace(hour=hour, minute=minute, second=0, microsecond=0)
    return slot if slot <= now else slot - timedelta(days=7)


def next_slot(now: datetime, schedule: str) -> datetime:
    return last_slot(now, schedule) + timedelta(days=7)


def slot_name(slot: datetime) -> str:
    return slot.strftime("%Y-%m-%dT%H:%MZ")


def chosen_signers(members: list[str], approvers: set[str], threshold: int) -> list[str] | None:
    """The members a payout's transaction names: the first ``threshold`` approvers, in the
    multisig's member order; None while fewer have approved (any M of the N may approve)."""
    chosen = [m for m in members if m in approvers][:threshold]
    return chosen if len(chosen) == threshold else None


def approval_refusal(
    *, approver: str, members: list[str], chosen: list[str], already: set[str]
) -> tuple[str, str] | None:
    """Why a member's approval is refused, as (code, detail), or None when it counts."""
    if approver not in members:
        return "not_a_signer", "This wallet is not a member of the treasury multisig."
    if approver in already:
        return "already_approved", "This signer has already approved this payout."
    if chosen:
        return "signers_chosen", "Enough signers approved; their transaction awaits signatures."
    return None


def signature_refusal(
    *,
    signer: str,
    members: list[str],
    required: list[str],
    user_address: str,
    already: set[str],
    valid: bool,
) -> tuple[str, str] | None:
    """Why a signature is refused, as (code, detail), or None when it counts."""
    if signer != user_address:
        return "not_your_wallet", "You can sign only with your own wallet."
    if signer not in members:
        return "not_a_signer", "This wallet is not a member of the treasury multisig."
    if not required:
        return "signers_not_chosen", "Fewer than the threshold of signers approved this payout."
    if signer not in required:
        return "not_a_required_signer", "This payout's transaction does not name this signer."
    if signer in already:
        return "already_signed", "This signer has already signed this payout."
    if not valid:
        return "invalid_signature", "The signature does not verify against the message."
    return None
