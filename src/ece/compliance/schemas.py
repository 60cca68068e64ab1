"""API shapes of compliance."""

from __future__ import annotations

import re
from datetime import date, datetime
from typing import Annotated, Literal

from pydantic import (
    AfterValidator,
    AwareDatetime,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    StringConstraints,
    model_validator,
)

from ece.cards.schemas import CountryCode
from ece.compliance.models import (
    ComplianceCheck,
    ComplianceReview,
    DenylistEntry,
    LimitOverride,
    UserFlag,
)
from ece.compliance.service import (
    Activity,
    KybStatus,
    KybView,
    KycDecision,
    KycStatus,
    KycView,
    Level,
)
from ece.core.clock import utcnow
from ece.core.money import AmountText, Asset, format_amount, parse_amount
from ece.core.pagination import Page

# --- screening, risk and reviews ---------------------------------------------------------------

Note = Annotated[str, Field(max_length=500)]


class DenylistIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    # No length bounds here: every address that is not exactly a base58 public key (padded,
    # empty, too long) gets the one problem ``invalid_address`` from the service.
    address: str = Field(description="Base58 public key, exactly (no surrounding spaces)")
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
    subject_type: str = Field(
        description="withdrawal | trade | payout | signin | deposit | limit_override"
    )
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


# --- post-trade monitoring flags and limit overrides ---


class FlagOut(BaseModel):
    user_id: str
    reason: str
    review_id: str | None
    flagged_by: str
    created_at: datetime

    @classmethod
    def of(cls, flag: UserFlag) -> FlagOut:
        return cls(
            user_id=flag.user_id,
            reason=flag.reason,
            review_id=flag.review_id,
            flagged_by=flag.flagged_by,
            created_at=flag.created_at,
        )


class FlagPage(Page[FlagOut]):
    pass


class OverrideIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    user_id: Annotated[str, Field(min_length=1, max_length=64, description="User id or wallet")]
    activity: Activity = Field(description="withdrawal or purchase")
    amount: AmountText = Field(description="The raised 24 h limit, e.g. '50000'")
    currency: Literal["USDC", "ECE"] = "USDC"
    reason: Annotated[str, Field(min_length=1, max_length=500)]
    expires_at: AwareDatetime

    @model_validator(mode="after")
    def _amount(self) -> OverrideIn:
        self.base_units  # noqa: B018 - validates (InvalidAmount → 422)
        return self

    @property
    def base_units(self) -> int:
        return parse_amount(self.amount, Asset(self.currency))


class OverrideOut(BaseModel):
    id: str
    user_id: str
    activity: str
    amount: str
    currency: str
    reason: str
    expires_at: datetime
    status: str = Field(description="pending → active | rejected (active applies until expiry)")
    proposed_by: str
    review_id: str | None
    decided_by: str | None
    decided_at: datetime | None
    created_at: datetime

    @classmethod
    def of(cls, override: LimitOverride) -> OverrideOut:
        return cls(
            id=override.id,
            user_id=override.user_id,
            activity=override.activity,
            amount=format_amount(override.amount, Asset(override.currency)),
            currency=override.currency,
            reason=override.reason,
            expires_at=override.expires_at,
            status=override.status,
            proposed_by=override.proposed_by,
            review_id=override.review_id,
            decided_by=override.decided_by,
            decided_at=override.decided_at,
            created_at=override.created_at,
        )


class OverridePage(Page[OverrideOut]):
    pass


# --- KYC and KYB ---


def _plain_date(value: object) -> object:
    """Only ``YYYY-MM-DD``: a datetime, a timestamp or a date with a time is refused."""
    if isinstance(value, date) and not isinstance(value, datetime):
        return value
    if not isinstance(value, str) or re.fullmatch(r"\d{4}-\d{2}-\d{2}", value) is None:
        raise ValueError("a plain date, YYYY-MM-DD")
    return value


def _born(value: date) -> date:
    if not date(1900, 1, 1) <= value < utcnow().date():
        raise ValueError("a date of birth in the past, after 1900-01-01")
    return value


PersonName = Annotated[str, StringConstraints(strip_whitespace=True, min_length=2, max_length=200)]
DocumentNumber = Annotated[
    str, StringConstraints(strip_whitespace=True, pattern=r"^[A-Za-z0-9 -]{4,40}$")
]


class KycIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    level: Level = Field(description="basic or full (full needs document_number)")
    full_name: PersonName
    country: CountryCode = Field(description="ISO 3166-1 alpha-2, e.g. US")
    date_of_birth: Annotated[date, BeforeValidator(_plain_date), AfterValidator(_born)] = Field(
        description="YYYY-MM-DD, a plain date (no time)"
    )
    document_number: DocumentNumber | None = None

    def __repr__(self) -> str:  # never personal data in a log or traceback
        return f"KycIn(level={self.level.value!r})"

    __str__ = __repr__


class MaskedPersonalData(BaseModel):
    full_name: str = Field(examples=["J*** D***"])
    country: str
    date_of_birth: str = Field(examples=["****-**-**"])
    document_number: str | None = Field(default=None, examples=["****42"])


class KycOut(BaseModel):
    user_id: str
    level: Level
    status: KycStatus
    requested_level: Level | None = None
    personal_data: MaskedPersonalData | None = None
    readable: bool = Field(True, description="False when a stored value does not decrypt")
    submitted_at: datetime | None = None
    decided_at: datetime | None = None

    @classmethod
    def of(cls, view: KycView) -> KycOut:
        masked = view.masked
        return cls(
            user_id=view.user_id,
            level=view.level,
            status=view.status,
            requested_level=view.requested_level,
            personal_data=None
            if masked is None
            else MaskedPersonalData(
                full_name=masked.full_name,
                country=masked.country,
                date_of_birth=masked.date_of_birth,
                document_number=masked.document_number,
            ),
            readable=view.readable,
            submitted_at=view.submitted_at,
            decided_at=view.decided_at,
        )


class KycPage(BaseModel):
    items: list[KycOut]
    next_cursor: str | None = None


class KycDecisionIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    decision: KycDecision
    note: str | None = Field(default=None, max_length=500)


class KybIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    status: KybStatus
    note: str | None = Field(default=None, max_length=500)


class KybOut(BaseModel):
    company_id: str
    ticker: str
    status: KybStatus
    note: str | None = None
    decided_at: datetime | None = None

    @classmethod
    def of(cls, view: KybView) -> KybOut:
        return cls(
            company_id=view.company_id,
            ticker=view.ticker,
            status=view.status,
            note=view.note,
            decided_at=view.decided_at,
        )


class KybPage(BaseModel):
    items: list[KybOut]
    next_cursor: str | None = None


# --- end KYC and KYB ---
