"""API shapes of compliance."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field

from ece.compliance.models import ComplianceCheck, ComplianceReview, DenylistEntry
from ece.core.money import Asset, format_amount
from ece.core.pagination import Page

# --- screening, risk and reviews ---------------------------------------------------------------

Note = Annotated[str, Field(max_length=500)]


class DenylistIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    address: Annotated[str, Field(min_length=1, max_length=64, description="Base58 public key")]
    reason: Annotated[str, Field(min_length=1, max_length=200)]


class DenylistOut(BaseModel):
    address: str
    reason: str
    added_by: str
    created_at: datetime

    @classmethod
    def of(cls, entry: DenylistEntry) -> DenylistOut:
        return cls(
            address=entry.address,
            reason=entry.reason,
            added_by=entry.added_by,
            created_at=entry.created_at,
        )


class DenylistPage(Page[DenylistOut]):
    pass


class ReasonOut(BaseModel):
    code: str = Field(description="A stable reason code (README: the reason-code table)")
    weight: int
    detail: str


def _amount(asset: str | None, amount: int) -> str:
    if asset is not None and asset in Asset.__members__:
        return format_amount(amount, Asset(asset))
    return str(amount)


class CheckOut(BaseModel):
    id: str
    subject_type: str = Field(description="withdrawal | trade | payout | signin | deposit")
    subject_id: str
    user_id: str | None
    company_id: str | None
    asset: str | None
    amount: str
    destination: str | None
    score: int = Field(ge=0, le=100)
    reasons: list[ReasonOut]
    decision: str = Field(description="allow | review | block")
    at: datetime

    @classmethod
    def of(cls, check: ComplianceCheck) -> CheckOut:
        return cls(
            id=check.id,
            subject_type=check.subject_type,
            subject_id=check.subject_id,
            user_id=check.user_id,
            company_id=check.company_id,
            asset=check.asset,
            amount=_amount(check.asset, check.amount),
            destination=check.destination,
            score=check.score,
            reasons=[ReasonOut.model_validate(reason) for reason in check.reasons],
            decision=check.decision,
            at=check.at,
        )


class CheckPage(Page[CheckOut]):
    pass


class ReviewOut(BaseModel):
    id: str
    subject_type: str
    subject_id: str
    user_id: str | None
    requested_by: str | None
    score: int
    status: str = Field(description="open → approved | rejected")
    decided_by: str | None
    note: str | None
    created_at: datetime
    decided_at: datetime | None
    check: CheckOut | None = None

    @classmethod
    def of(cls, review: ComplianceReview, check: ComplianceCheck | None = None) -> ReviewOut:
        return cls(
            id=review.id,
            subject_type=review.subject_type,
            subject_id=review.subject_id,
            user_id=review.user_id,
            requested_by=review.requested_by,
            score=review.score,
            status=review.status,
            decided_by=review.decided_by,
            note=review.note,
            created_at=review.created_at,
            decided_at=review.decided_at,
            check=CheckOut.of(check) if check is not None else None,
        )


class ReviewPage(Page[ReviewOut]):
    pass


class ReviewDecisionIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    decision: Literal["approve", "reject"]
    note: Note | None = None
