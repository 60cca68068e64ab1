"""Sanctions screening: the address deny list compliance manages, and the screens of sign-in
and deposit addresses (withdrawal destinations are screened inside ``assessment.assess``).

Every change to the list writes an audit entry in the same transaction. A hit records a
``ComplianceCheck`` scored 100 with the reason ``sanctions_hit``.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import structlog
from sqlalchemy.ext.asyncio import AsyncSession

from ece.audit import service as audit
from ece.auth import service as auth
from ece.compliance import checks_repository, denylist_repository, risk_rules, screening_rules
from ece.compliance.models import ComplianceCheck, Decision, DenylistEntry, SubjectType
from ece.core.clock import utcnow
from ece.core.db import Database
from ece.core.errors import Forbidden, NotFound
from ece.core.pagination import PageParams

log = structlog.get_logger("ece.compliance.screening")


# --- the deny list ------------------------------------------------------------------------------


async def add_to_denylist(
    session: AsyncSession, address_text: str, reason: str, actor_id: str
) -> DenylistEntry:
    """Deny-list an address (422 ``invalid_address``); listing it again changes nothing."""
    address = screening_rules.parse_address(address_text)
    if await denylist_repository.add(session, address, reason, actor_id):
        await _audit_added(session, address, reason, actor_id)
    entry = await denylist_repository.get(session, address)
    assert entry is not None
    return entry


async def _audit_added(session: AsyncSession, address: str, reason: str, actor_id: str) -> None:
    await audit.record(
        session,
        actor=actor_id,
        action="denylist.added",
        object_type="address",
        object_id=address,
        details={"reason": reason},
    )


async def remove_from_denylist(session: AsyncSession, address_text: str, actor_id: str) -> None:
    """Take an address off the list; 404 ``not_listed`` when it is not on it."""
    address = screening_rules.valid_address(address_text) or address_text.strip()
    removed = await denylist_repository.remove(session, address)
    if removed is None:
        raise NotFound("That address is not on the deny list.", code="not_listed")
    await audit.record(
        session,
        actor=actor_id,
        action="denylist.removed",
        object_type="address",
        object_id=address,
        details={"reason": removed.reason},
    )


async def list_denylist(
    session: AsyncSession, params: PageParams
) -> tuple[list[DenylistEntry], str | None]:
    return await denylist_repository.page(session, params)


@dataclass(frozen=True, slots=True)
class ImportReport:
    added: int
    already_listed: int
    invalid: int
    duplicates: int


async def import_denylist(
    session: AsyncSession, text: str, reason: str, actor_id: str = audit.SYSTEM
) -> ImportReport:
    """Deny-list every address of a published list (one a line, or a CSV with an ``address``
    column). Idempotent: a second run adds nothing and reports them as already listed.

    One audit entry per run (``denylist.imported``) carries the counts and the SHA-256 of the
    added addresses (sorted, one a line), so the exact set can be proven against the file;
    a per-address entry would make a 10,000-line list take minutes.
    """
    parsed = screening_rules.parse_list(text)
    known = await denylist_repository.listed(session, parsed.addresses)
    fresh = [address for address in parsed.addresses if address not in known]
    added = sorted(await denylist_repository.add_many(session, fresh, reason, actor_id))
    report = ImportReport(
        added=len(added),
        already_listed=len(parsed.addresses) - len(added),
        invalid=parsed.invalid,
        duplicates=parsed.duplicates,
    )
    if added:
        await audit.record(
            session,
            actor=actor_id,
            action="denylist.imported",
            object_type="denylist",
            object_id="import",
            details={
                "reason": reason,
                "added": report.added,
                "already_listed": report.already_listed,
                "invalid": report.invalid,
                "sha256": screening_rules.digest(added),
            },
        )
    return report


async def denied(session: AsyncSession, addresses: Mapping[str, str | None]) -> tuple[str, ...]:
    """The roles (``destination``, ``account``, ``sender``...) whose address is deny-listed."""
    present = {role: address for role, address in addresses.items() if address}
    hits = await denylist_repository.listed(session, set(present.values()))
    return tuple(role for role, address in present.items() if address in hits)


# --- screens ----------------------------------------------------------------------------------


async def record_hit(
    session: AsyncSession,
    subject_type: SubjectType,
    subject_id: str,
    roles: tuple[str, ...],
    *,
    user_id: str | None,
    asset: str | None = None,
    amount: int = 0,
    destination: str | None = None,
) -> ComplianceCheck:
    """Store the check of a deny-list hit: score 100, decision ``block``."""
    risk = risk_rules.score(risk_rules.Facts(now=utcnow(), sanctioned=roles))
    check = ComplianceCheck(
        subject_type=subject_type.value,
        subject_id=subject_id,
        user_id=user_id,
        asset=asset,
        amount=amount,
        destination=destination,
        score=risk.score,
        reasons=risk_rules.as_json(risk.reasons),
        decision=Decision.block.value,
        at=utcnow(),
    )
    return await checks_repository.add(session, check)


async def screen_signin(db: Database, address: str) -> None:
    """Refuse a deny-listed wallet's sign-in (403 ``sanctioned``). The refusal's check and audit
    entry commit in their own transaction: the refused request itself rolls back."""
    async with db.unit_of_work(write=False) as session:  # a clean sign-in takes no write lock
        roles = await denied(session, {"signin": address})
    if not roles:
        return
    async with db.unit_of_work() as session:
        user = await auth.user_by_address(session, address)
        user_id = user.id if user is not None else None
        check = await record_hit(session, SubjectType.signin, address, roles, user_id=user_id)
        await audit.record(
            session,
            actor=user_id or audit.SYSTEM,
            action="signin.refused",
            object_type="address",
            object_id=address,
            details={"check_id": check.id, "reason": risk_rules.ReasonCode.sanctions_hit.value},
        )
    log.warning("signin_refused_sanctioned", check=check.id)
    raise Forbidden("This wallet may not sign in here.", code="sanctioned")


async def block_deposit(
    session: AsyncSession,
    subject_id: str,
    roles: tuple[str, ...],
    *,
    user_id: str | None,
    asset: str | None,
    amount: int,
) -> ComplianceCheck:
    """The block check of a deposit whose sending wallet or token account (``roles``, from
    ``denied``) is deny-listed; the caller parks its value instead of crediting it."""
    return await record_hit(
        session, SubjectType.deposit, subject_id, roles, user_id=user_id, asset=asset, amount=amount
    )
