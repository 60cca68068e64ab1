"""KYC use cases: a user submits, an officer (never for themself) verifies or rejects, the
level sets the 24 h limits on withdrawals and purchases. Personal data is sealed before it
reaches the session (``personal_data``) and leaves only masked, except to its owner's own
``GET /users/me/kyc`` (masked too: the user typed it)."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from sqlalchemy.ext.asyncio import AsyncSession

from ece.audit import service as audit
from ece.auth import service as auth
from ece.auth.service import User
from ece.compliance import kyc_repository as repository
from ece.compliance import kyc_rules as rules
from ece.compliance.kyc_rules import Activity, KycDecision, KycStatus, Level
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
from ece.core.money import Asset
from ece.core.pagination import PageParams
from ece.settlement import service as settlement

WINDOW = timedelta(hours=24)


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


def _limits(settings: Settings) -> dict[Level, int | None]:
    return {level: settings.kyc_limit(level.value) for level in Level}


def usdc_equivalent(settings: Settings, amounts: Mapping[Asset, int]) -> int:
    """The USDC-equivalent (base units) of amounts per asset, ECE at ECE_ECE_PRICE_USDC."""
    price = settings.ece_price_usdc_units
    return sum(rules.usdc_equivalent(v, a, price) for a, v in amounts.items())


UsedSince = Callable[[datetime], Awaitable[Mapping[Asset, int]]]


async def check_within_limit(
    session: AsyncSession,
    settings: Settings,
    user_id: str,
    activity: Activity,
    amount: int,
    asset: Asset,
    used_since: UsedSince,
) -> None:
    """403 ``kyc_required`` (with ``level_required``) if ``amount`` of ``asset`` and what
    ``used_since(now - 24 h)`` says was already used pass the user's level's limit. The usage
    is not read at all for a level without a limit. The user's row is locked first, so two
    requests at once cannot both fit under the same remaining limit."""
    level = await kyc_level(session, user_id)
    limits = _limits(settings)
    if limits[level] is None:
        return
    await auth.lock_user(session, user_id)
    value = usdc_equivalent(settings, {asset: amount})
    used = usdc_equivalent(settings, await used_since(utcnow() - WINDOW))
    required = rules.level_required(level, used, value, limits)
    if required is not None:
        raise rules.kyc_required(required, activity)


@dataclass(slots=True)
class PurchaseAllowance:
    """What a buyer may still spend on purchases in this 24 h window (None = unlimited);
    read once, spent by each purchase of a request (a sweep reads it once)."""

    level: Level
    used: int
    limits: dict[Level, int | None]
    ece_price: int

    def spend(self, amount: int, asset: Asset) -> None:
        """Count a purchase, or 403 ``kyc_required`` if it passes the level's limit."""
        if self.limits[self.level] is None:
            return
        value = rules.usdc_equivalent(amount, asset, self.ece_price)
        required = rules.level_required(self.level, self.used, value, self.limits)
        if required is not None:
            raise rules.kyc_required(required, Activity.purchase)
        self.used += value


async def purchase_allowance(
    session: AsyncSession, settings: Settings, buyer: User
) -> PurchaseAllowance:
    """The buyer's allowance: the level comes with the signed-in user (no query); for a level
    with a limit only, the purchases settled in the last 24 h (one indexed query on
    ``sales``)."""
    level = Level(buyer.kyc_level)
    limits = _limits(settings)
    allowance = PurchaseAllowance(level, 0, limits, settings.ece_price_usdc_units)
    if limits[level] is not None:
        bought = await settlement.purchased_since(session, buyer.id, utcnow() - WINDOW)
        allowance.used = usdc_equivalent(settings, bought)
    return allowance


async def check_purchase(
    session: AsyncSession, settings: Settings, buyer: User, amount: int, asset: Asset
) -> None:
    """403 ``kyc_required`` if a purchase (or an offer or bid hold, counted at placement) of
    ``amount`` passes the buyer's 24 h purchase limit."""
    (await purchase_allowance(session, settings, buyer)).spend(amount, asset)
