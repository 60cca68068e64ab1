"""KYC decisions, pure: which submissions and decisions are allowed, what a level may spend in
24 h, how personal data is masked. No I/O; tested with tables of cases."""

from __future__ import annotations

from collections.abc import Mapping
from enum import StrEnum

from ece.core.errors import Conflict, DomainError, Forbidden, Unprocessable
from ece.core.money import Asset


class Level(StrEnum):
    none = "none"
    basic = "basic"
    full = "full"


RANK: Mapping[Level, int] = {Level.none: 0, Level.basic: 1, Level.full: 2}


class KycStatus(StrEnum):
    none = "none"  # never submitted
    pending = "pending"
    verified = "verified"
    rejected = "rejected"


class KycDecision(StrEnum):
    verify = "verify"
    reject = "reject"


class Activity(StrEnum):
    """What a level's 24 h limit counts, each on its own."""

    withdrawal = "withdrawal"
    purchase = "purchase"


# The personal fields of a KYC record, in the order they are sealed; each ciphertext is bound
# to its user and field by the associated data (``personal_data.associated_data``).
FIELDS = ("full_name", "country", "date_of_birth", "document_number")


def submission_refusal(
    level: Level, status: KycStatus, requested: Level, has_document: bool
) -> DomainError | None:
    """Why a user may not submit KYC for ``requested`` now, if so.

    One submission waits at a time (no resubmission while pending); a level already held, or
    a lower one, is never requested (a downgrade is not a user action); ``full`` needs a
    document number. After a rejection the user may submit again.
    """
    if requested is Level.none:
        return Unprocessable("level: basic or full.", code="invalid_level")
    if status is KycStatus.pending:
        return Conflict("A KYC submission is already waiting for a decision.", code="kyc_pending")
    if RANK[requested] <= RANK[level]:
        return Conflict(
            f"Your KYC level is already {level.value}; only a higher level can be requested.",
            code="kyc_level_held",
            level=level.value,
        )
    if requested is Level.full and not has_document:
        return Unprocessable(
            "document_number: required for the full level.", code="document_required"
        )
    return None


def decision_refusal(status: KycStatus, officer_id: str, user_id: str) -> DomainError | None:
    """Why an officer may not decide this KYC record, if so (four eyes: never their own)."""
    if officer_id == user_id:
        return Forbidden("An officer cannot decide their own KYC.", code="four_eyes")
    if status is not KycStatus.pending:
        return Conflict("This KYC record is not waiting for a decision.", code="kyc_not_pending")
    return None


def decided_level(level: Level, requested: Level, decision: KycDecision) -> Level:
    """The level after a decision: the requested one if verified, else the one held before."""
    return requested if decision is KycDecision.verify else level


def usdc_equivalent(amount: int, asset: Asset, ece_price_usdc: int) -> int:
    """``amount`` (base units of ``asset``) in USDC base units; ECE at ``ece_price_usdc`` USDC
    base units per whole ECE, rounded up (a limit is never passed by rounding)."""
    if asset is Asset.USDC:
        return amount
    return -(-amount * ece_price_usdc // Asset.ECE.unit)


def level_required(
    level: Level, used: int, amount: int, limits: Mapping[Level, int | None]
) -> Level | None:
    """The lowest level whose 24 h limit takes ``used`` + ``amount`` (USDC base units), when
    ``level``'s does not; None when it does. A limit of None is unlimited; when no level's
    limit takes it, ``full``."""
    total = used + amount
    for candidate in Level:
        if RANK[candidate] < RANK[level]:
            continue
        limit = limits[candidate]
        if limit is None or total <= limit:
            return None if candidate is level else candidate
    return Level.full


def kyc_required(required: Level, activity: Activity) -> Forbidden:
    return Forbidden(
        f"This {activity.value} passes the 24 h limit of your KYC level: "
        f"verify KYC level {required.value} first.",
        code="kyc_required",
        level_required=required.value,
    )


MASK = "***"


def mask_name(text: str) -> str:
    """A fixed mask: the initials of the first and last words, each with three stars
    (``J*** D***``); neither the length of a word nor how many there are shows."""
    words = text.split()
    if not words:
        return f"{MASK} {MASK}"
    last = words[-1][:1] if len(words) > 1 else "*"
    return f"{words[0][:1]}{MASK} {last}{MASK}"


def mask_document(text: str) -> str:
    """A fixed mask: four stars and the last two characters (four stars alone when the
    number is that short), so its length does not show."""
    return "****" + text[-2:] if len(text) > 4 else "****"


def mask_date(_text: str) -> str:
    return "****-**-**"
