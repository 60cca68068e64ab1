"""``ece compliance rotate-key``: re-seal every personal value with the active key, a batch per
transaction. Idempotent and resumable: it picks only values under another key, so a run
stopped half way is finished by the next, and a second run finds nothing."""

from __future__ import annotations

from dataclasses import dataclass

from ece.audit import service as audit
from ece.compliance import kyc_repository as repository
from ece.compliance.kyc import seal_record, unseal
from ece.compliance.personal_data import keyring
from ece.config import Settings
from ece.core.db import Database

BATCH = 100


@dataclass(frozen=True, slots=True)
class Rotation:
    active: str
    records: int  # re-sealed by this run
    key_ids: list[str]  # key ids still in use after it (only the active one when done)


async def rotate_keys(db: Database, settings: Settings, batch: int = BATCH) -> Rotation:
    """Re-seal, with the active key, every KYC record holding a value under another key."""
    ring = keyring(settings)
    done = 0
    while True:
        async with db.unit_of_work() as session:
            records = await repository.sealed_with_other_keys(session, ring.active, batch)
            for record in records:
                seal_record(ring, record, unseal(ring, record))
            await session.flush()
            if records:
                await audit.record(
                    session,
                    actor=audit.SYSTEM,
                    action="kyc.keys_rotated",
                    object_type="kyc_key",
                    object_id=ring.active,
                    details={"records": len(records)},
                )
        done += len(records)
        if len(records) < batch:
            break
    async with db.unit_of_work(write=False) as session:
        in_use = sorted(await repository.key_ids_in_use(session))
    return Rotation(ring.active, done, in_use)
