"""KYC use cases: a user submits, an officer (never for themself) verifies or rejects, the
level sets the 24 h limits on withdrawals and purchases. Personal data is sealed before it
reaches the session (``personal_data``) and leaves only masked, except to its owner's own
``GET /users/me/kyc`` (masked too: the user typed it)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy.ext.asyncio import AsyncSession

from ece.audit import service as audit
from ece.auth import service as auth
from ece.compliance import kyc_repository as repository
from ece.compliance import kyc_rules as rules
from ece.compliance.kyc_rules import KycDecision, KycStatus, Level
from ece.compliance.models import KycRecord
from ece.compliance.personal_data import (
    KeyRing,
    PersonalDataUnreadable,
    associated_data,
    keyring,
)
from ece.config import Settings
from ece.core.clock import utcnow
from ece.core.errors import NotFound
from ece.core.pagination import PageParams


@dataclass(frozen=True, slots=True)
class PersonalData:
    full_name: str
    country: str
    date_of_birth: str
    document_number: str | None

    def __repr__(self) -> str:  # a repr in a log or traceback shows no personal data
        return "PersonalData(<sealed>)"

    def masked(self) -> PersonalData:
        return PersonalData(
            rules.mask_name(self.full_name),
            self.country,
            rules.mask_date(self.date_of_birth),
            None if self.document_number is None else rules.mask_document(self.document_number),
        )


UNREADABLE = PersonalData("(unreadable)", "??", "(unreadable)", None)


@dataclass(frozen=True, slots=True)
class KycView:
    """A KYC record as shown: level, status, and masked personal data (None before any
    submission; ``readable`` False when a stored value does not open)."""

    user_id: str
    level: Level
    status: KycStatus
    requested_level: Level | None
    masked: PersonalData | None
    readable: bool
    submitted_at: datetime | None
    decided_at: datetime | None


def seal_record(ring: KeyRing, record: KycRecord, data: PersonalData) -> None:
    for field in rules.FIELDS:
        value: str | None = getattr(data, field)
        if value is None:
            setattr(record, field, None)
            setattr(record, f"{field}_key", None)
            continue
        key_id, blob = ring.seal(value, associated_data(record.user_id, field))
        setattr(record, field, blob)
        setattr(record, f"{field}_key", key_id)


def unseal(ring: KeyRing, record: KycRecord) -> PersonalData:
    """The record's personal data in clear. 500 ``personal_data_unreadable`` (naming the
    field, never a value) if a value was changed, moved from another row, or its key is gone."""
    values: dict[str, str | None] = {}
    for field in rules.FIELDS:
        blob: bytes | None = getattr(record, field)
        key_id: str | None = getattr(record, f"{field}_key")
        if blob is None or key_id is None:
            values[field] = None
            continue
        values[field] = ring.open(key_id, blob, associated_data(record.user_id, field), field)
    assert values["full_name"] and values["country"] and values["date_of_birth"]
    return PersonalData(
        values["full_name"], values["country"], values["date_of_birth"], values["document_number"]
    )


def _view(ring: KeyRing | None, record: KycRecord | None, user_id: str) -> KycView:
    if record is None:
        return KycView(user_id, Level.none, KycStatus.none, None, None, True, None, None)
    masked, readable = None, True
    if ring is not None:
        try:
            masked = unseal(ring, record).masked()
        except PersonalDataUnreadable:
            masked, readable = UNREADABLE, False
    pending = record.status == KycStatus.pending
    return KycView(
        record.user_id,
        Level(record.level),
        KycStatus(record.status),
        Level(record.requested_level) if pending else None,
        masked,
        readable,
        record.submitted_at,
        record.decided_at,
    )


async def submit_kyc(
    session: AsyncSession,
    settings: Settings,
    user_id: str,
    level: Level,
    full_name: str,
    country: str,
    date_of_birth: date,
    document_number: str | None,
) -> KycView:
    """Submit KYC for ``level``; it waits for an officer (``status: pending``). 409
    ``kyc_pending`` / ``kyc_level_held``; 422 ``document_required``."""
    ring = keyring(settings)
    await auth.lock_user(session, user_id)  # a first submission twice at once: one row
    record = await repository.get(session, user_id, lock=True)
    held = Level(record.level) if record else Level.none
    status = KycStatus(record.status) if record else KycStatus.none
    refusal = rules.submission_refusal(held, status, level, bool(document_number))
    if refusal is not None:
        raise refusal
    data = PersonalData(full_name.strip(), country, date_of_birth.isoformat(), document_number)
    if record is None:
        record = KycRecord(user_id=user_id, level=Level.none.value)
        _fill(record, level, ring, data)
        await repository.add(session, record)
    else:
        _fill(record, level, ring, data)
        await session.flush()
    await audit.record(
        session,
        actor=user_id,
        action="kyc.submitted",
        object_type="user",
        object_id=user_id,
        details={"level": level.value},
    )
    return _view(ring, record, user_id)


def _fill(record: KycRecord, level: Level, ring: KeyRing, data: PersonalData) -> None:
    record.status = KycStatus.pending.value
    record.requested_level = level.value
    record.submitted_at = utcnow()
    record.decided_at = None
    record.decided_by = None
    record.note = None
    seal_record(ring, record, data)


async def my_kyc(
    session: AsyncSession, settings: Settings, user_id: str, *, strict: bool = True
) -> KycView:
    """The caller's level, status and masked data. A stored value that does not open raises
    500 ``personal_data_unreadable`` (the field named, nothing else); with ``strict`` False
    (a page) the view says ``readable: False`` instead."""
    record = await repository.get(session, user_id)
    if record is None:
        return _view(None, None, user_id)
    ring = keyring(settings)
    if strict:
        unseal(ring, record)  # raises the clear problem for the owner
    return _view(ring, record, user_id)


async def kyc_queue(
    session: AsyncSession, settings: Settings, status: KycStatus | None, params: PageParams
) -> tuple[list[KycView], str | None]:
    """KYC records for officers, oldest submission first, personal data masked; a record
    whose data does not open is listed as unreadable (the list still works)."""
    records, cursor = await repository.queue(
        session, None if status is None else status.value, params
    )
    ring = keyring(settings) if records else None
    return [_view(ring, r, r.user_id) for r in records], cursor


async def decide_kyc(
    session: AsyncSession,
    settings: Settings,
    officer_id: str,
    user_id: str,
    decision: KycDecision,
    note: str | None,
) -> KycView:
    """Verify or reject a pending submission (not one's own: 403 ``four_eyes``). 404
    ``kyc_not_found``; 409 ``kyc_not_pending``."""
    record = await repository.get(session, user_id, lock=True)
    if record is None:
        raise NotFound("No KYC submission for this user.", code="kyc_not_found")
    refusal = rules.decision_refusal(KycStatus(record.status), officer_id, user_id)
    if refusal is not None:
        raise refusal
    requested = Level(record.requested_level)
    record.level = rules.decided_level(Level(record.level), requested, decision).value
    record.status = (
        KycStatus.verified if decision is KycDecision.verify else KycStatus.rejected
    ).value
    record.decided_at = utcnow()
    record.decided_by = officer_id
    record.note = note
    await session.flush()
    await auth.set_kyc_level(session, user_id, record.level)  # the buy path reads it there
    await audit.record(
        session,
        actor=officer_id,
        action="kyc.verified" if decision is KycDecision.verify else "kyc.rejected",
        object_type="user",
        object_id=user_id,
        details={"requested_level": requested.value, "level": record.level},
    )
    return _view(keyring(settings), record, user_id)


async def kyc_level(session: AsyncSession, user_id: str) -> Level:
    """The user's verified KYC level (``none`` without a record)."""
    return Level(await repository.level_of(session, user_id) or Level.none.value)
