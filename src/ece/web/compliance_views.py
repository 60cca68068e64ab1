"""What the staff compliance console pages show: the review queue (with each score's reasons),
the deny list, the checks, the KYC queue and companies' KYB (masked personal data only). Read
through ``ece.compliance.service`` only; every action is a form posting to the JSON API."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy.ext.asyncio import AsyncSession

from ece.auth.service import Role, User
from ece.compliance import service as compliance
from ece.compliance.schemas import CheckOut, DenylistOut, KybOut, KycOut, ReviewOut
from ece.config import Settings
from ece.core.pagination import PageParams

PAGE = PageParams(limit=50, cursor=None)
OFFICER_ROLES = frozenset({Role.compliance, Role.admin})
REVIEW_STATUSES = frozenset(status.value for status in compliance.ReviewStatus)
SUBJECT_TYPES = frozenset(kind.value for kind in compliance.SubjectType)


def is_officer(user: User) -> bool:
    return bool(OFFICER_ROLES.intersection(user.role_names))


@dataclass(frozen=True)
class ReviewsPage:
    items: list[ReviewOut]
    status: str
    next_cursor: str | None


@dataclass(frozen=True)
class DenylistPage:
    items: list[DenylistOut]
    next_cursor: str | None


@dataclass(frozen=True)
class ChecksPage:
    items: list[CheckOut]
    subject_type: str
    min_score: int | None
    next_cursor: str | None


async def reviews(session: AsyncSession, status: str, cursor: str | None) -> ReviewsPage:
    wanted = compliance.ReviewStatus(status) if status in REVIEW_STATUSES else None
    params = PageParams(PAGE.limit, cursor)
    items, next_cursor = await compliance.list_reviews(session, wanted, params)
    shown = [ReviewOut.of(review, check) for review, check in items]
    return ReviewsPage(shown, wanted.value if wanted else "", next_cursor)


async def denylist(session: AsyncSession, cursor: str | None) -> DenylistPage:
    items, next_cursor = await compliance.list_denylist(session, PageParams(PAGE.limit, cursor))
    return DenylistPage([DenylistOut.of(entry) for entry in items], next_cursor)


async def checks(
    session: AsyncSession, subject_type: str, min_score: int | None, cursor: str | None
) -> ChecksPage:
    kind = compliance.SubjectType(subject_type) if subject_type in SUBJECT_TYPES else None
    params = PageParams(PAGE.limit, cursor)
    items, next_cursor = await compliance.list_checks(session, kind, min_score, params)
    return ChecksPage(
        [CheckOut.of(check) for check in items],
        kind.value if kind else "",
        min_score,
        next_cursor,
    )


QUEUE = PageParams(limit=100, cursor=None)
COMPANIES = PageParams(limit=200, cursor=None)


@dataclass(frozen=True)
class ConsolePage:
    kyc_pending: list[KycOut]
    kyc_more: bool
    companies: list[KybOut]


async def console(session: AsyncSession, settings: Settings) -> ConsolePage:
    pending, cursor = await compliance.kyc_queue(
        session, settings, compliance.KycStatus.pending, QUEUE
    )
    companies, _ = await compliance.companies_with_kyb(session, COMPANIES, None)
    return ConsolePage(
        kyc_pending=[KycOut.of(v) for v in pending],
        kyc_more=cursor is not None,
        companies=[KybOut.of(c) for c in companies],
    )
