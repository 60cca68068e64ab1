"""Compliance API shapes."""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated

from pydantic import AfterValidator, BaseModel, Field, StringConstraints

from ece.cards.schemas import CountryCode
from ece.compliance.service import KybStatus, KybView, KycDecision, KycStatus, KycView, Level
from ece.core.clock import utcnow

# --- KYC and KYB ---


def _born(value: date) -> date:
    if not date(1900, 1, 1) <= value < utcnow().date():
        raise ValueError("a date of birth in the past, after 1900-01-01")
    return value


PersonName = Annotated[str, StringConstraints(strip_whitespace=True, min_length=2, max_length=200)]
DocumentNumber = Annotated[
    str, StringConstraints(strip_whitespace=True, pattern=r"^[A-Za-z0-9 -]{4,40}$")
]


class KycIn(BaseModel):
    level: Level = Field(description="basic or full (full needs document_number)")
    full_name: PersonName
    country: CountryCode = Field(description="ISO 3166-1 alpha-2, e.g. US")
    date_of_birth: Annotated[date, AfterValidator(_born)]
    document_number: DocumentNumber | None = None

    def __repr__(self) -> str:  # never personal data in a log or traceback
        return f"KycIn(level={self.level.value!r})"

    __str__ = __repr__


class MaskedPersonalData(BaseModel):
    full_name: str = Field(examples=["J*** D**"])
    country: str
    date_of_birth: str = Field(examples=["****-**-**"])
    document_number: str | None = Field(default=None, examples=["******42"])


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
    decision: KycDecision
    note: str | None = Field(default=None, max_length=500)


class KybIn(BaseModel):
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
