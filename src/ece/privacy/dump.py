"""``ece db anonymized-dump``: a copy of the database for non-production use, with every personal
field replaced. The live database is only read, never written:

- SQLite: copied with the online backup API (the server may run), masked in place, vacuumed
  (no masked value left in free pages); the output is a SQLite file.
- PostgreSQL: ``pg_dump`` of the live database piped into ``pg_restore`` into a scratch
  database this command creates on the same server (nothing unmasked touches the disk), masked
  there, dumped with ``pg_dump`` as plain SQL (restore with ``psql -f``), and the scratch
  database dropped, whatever happens.

Ids, amounts and the ledger are kept, so the copy still balances; wallet addresses become
``anon:<user id>`` (other addresses in the audit log and the deny list ``anon:address-<n>``),
the same in every table and audit entry; secrets are blanked. Audit entries keep their hashes
(``ece.audit.rules``: personal values are erased through their commitments), so the copy's
chain still verifies; entries written before migration 0040 are masked too and then no
longer verify in the copy.
"""

from __future__ import annotations

import asyncio
import os
import secrets
import shutil
import sqlite3
import subprocess
from collections.abc import Sequence
from pathlib import Path

import asyncpg  # type: ignore[import-untyped]
from sqlalchemy import select, text, update
from sqlalchemy.engine import make_url
from sqlalchemy.ext.asyncio import AsyncSession

from ece.audit import service as audit
from ece.core.db import Base, Database, libpq_url

# Run on the copy, in order, after the addresses are pseudonymized.
MASKING: tuple[str, ...] = (
    "UPDATE users SET address = 'anon:' || id, display_name = 'User ' || substr(id, 1, 8), "
    "email = NULL",
    "UPDATE kyc_records SET full_name = :blank, full_name_key = 'masked', country = :blank, "
    "country_key = 'masked', date_of_birth = :blank, date_of_birth_key = 'masked', "
    "document_number = NULL, document_number_key = NULL, note = NULL",
    "UPDATE credentials SET token_hash = 'masked-' || id, name = NULL",
    "UPDATE webhook_endpoints SET url = 'https://example.invalid/' || id, secret = 'masked'",
    "UPDATE trade_offers SET message = NULL",
    "UPDATE withdrawals SET destination = 'masked', destination_token_account = NULL, "
    "signed_transaction = NULL",
    "UPDATE deposit_receipts SET sender = 'masked'",
    "UPDATE unclaimed_payments SET sender = 'masked', note = NULL",
    "UPDATE listings SET taker_address = 'masked' WHERE taker_address IS NOT NULL",
    "UPDATE compliance_checks SET destination = 'masked' WHERE destination IS NOT NULL",
    "UPDATE compliance_reviews SET note = NULL",
    # Audit entries from before migration 0040 hold addresses in the clear: masked, unverifiable.
    "UPDATE audit_log SET object_id = 'anon:address', erased = '{}' "
    "WHERE object_type = 'address' AND salts IS NULL AND erased IS NULL",
    "DELETE FROM signin_nonces",
    "DELETE FROM push_subscriptions",
    "DELETE FROM push_messages",
    "DELETE FROM email_messages",
    "DELETE FROM idempotency_records",
)


async def _pseudonyms(session: AsyncSession) -> dict[str, str]:
    """Each address the audit log or the deny list holds readable, and what replaces it."""
    users, denylist = Base.metadata.tables["users"], Base.metadata.tables["compliance_denylist"]
    owners = {a: i for a, i in (await session.execute(select(users.c.address, users.c.id)))}
    found = await audit.readable_personal_values(session)
    found += list(await session.scalars(select(denylist.c.address)))
    names: dict[str, str] = {}
    for value in dict.fromkeys(found):
        names[value] = (
            f"anon:{owners[value]}" if value in owners else f"anon:address-{len(names) + 1}"
        )
    return names


async def mask(session: AsyncSession) -> int:
    """Mask every personal field of the database ``session`` writes (a copy); rows changed."""
    denylist = Base.metadata.tables["compliance_denylist"]
    changed = 0
    for value, name in (await _pseudonyms(session)).items():
        changed += (await audit.pseudonymize(session, value, name)).entries
        result = await session.execute(
            update(denylist).where(denylist.c.address == value).values(address=name)
        )
        changed += int(getattr(result, "rowcount", 0) or 0)
    for statement in MASKING:
        params = {"blank": b""} if ":blank" in statement else {}
        result = await session.execute(text(statement), params)
        changed += int(getattr(result, "rowcount", 0) or 0)
    return changed


async def _mask_database(url: str) -> int:
    db = Database(url, pool_size=1, max_overflow=0)
    try:
        async with db.unit_of_work() as session:
            return await mask(session)
    finally:
        await db.dispose()


def _fresh(output: Path) -> None:
    """Never overwrite: the output must be a new file."""
    if output.exists():
        raise FileExistsError(f"{output} exists; choose a new file.")
    output.parent.mkdir(parents=True, exist_ok=True)


async def anonymized_copy(database: Path, output: Path) -> int:
    """Copy the SQLite ``database`` to ``output`` (which must not exist) and mask it."""
    _fresh(output)
    source = sqlite3.connect(f"file:{database}?mode=ro", uri=True, timeout=30)
    try:
        target = sqlite3.connect(output)
        try:
            source.backup(target)
        finally:
            target.close()
    finally:
        source.close()
    changed = await _mask_database(f"sqlite+aiosqlite:///{output}")
    target = sqlite3.connect(output)
    try:
        target.execute("VACUUM")  # no masked value left in free pages
    finally:
        target.close()
    return changed


class DumpFailed(RuntimeError):
    """A PostgreSQL client tool failed; the message is its standard error."""


def _tool(pg_bin: Path | None, name: str) -> str:
    found = str(pg_bin / name) if pg_bin is not None else shutil.which(name)
    if found is None or not Path(found).exists():
        raise DumpFailed(f"{name} not found: install the PostgreSQL client or pass --pg-bin.")
    return found


def _libpq_env(url: str) -> tuple[str, dict[str, str]]:
    """The database name and the environment naming the server (the password never in argv)."""
    parsed = make_url(url)
    env = dict(os.environ)
    for key, value in (
        ("PGHOST", parsed.host),
        ("PGPORT", parsed.port),
        ("PGUSER", parsed.username),
        ("PGPASSWORD", parsed.password),
    ):
        if value is not None:
            env[key] = str(value)
    return str(parsed.database), env


def _run(*commands: Sequence[str], env: dict[str, str]) -> None:
    """Run one command, or two with the first's output piped into the second; raise on any
    failure (with its standard error)."""
    procs: list[subprocess.Popen[bytes]] = []
    stdin = None
    for n, command in enumerate(commands):
        last = n == len(commands) - 1
        proc = subprocess.Popen(  # noqa: S603 (PostgreSQL's own tools, arguments of ours)
            command,
            env=env,
            stdin=stdin,
            stdout=subprocess.DEVNULL if last else subprocess.PIPE,
            stderr=subprocess.PIPE,
        )
        if stdin is not None:
            stdin.close()  # the reader owns it now: the writer sees a closed pipe if it dies
        stdin = proc.stdout
        procs.append(proc)
    failures = []
    for proc, command in zip(reversed(procs), reversed(commands), strict=True):
        _, err = proc.communicate()
        if proc.returncode != 0:
            failures.append(f"{Path(command[0]).name}: {err.decode(errors='replace')[-2000:]}")
    if failures:
        raise DumpFailed("; ".join(failures))


async def anonymized_pg_dump(url: str, output: Path, pg_bin: Path | None = None) -> int:
    """Dump the PostgreSQL database at ``url`` to ``output`` (plain SQL, must not exist) with
    every personal field masked, through a scratch database on the same server."""
    _fresh(output)
    pg_dump, pg_restore = _tool(pg_bin, "pg_dump"), _tool(pg_bin, "pg_restore")
    source, env = _libpq_env(url)
    scratch = f"ece_masked_{secrets.token_hex(6)}"
    scratch_url = make_url(url).set(database=scratch).render_as_string(hide_password=False)
    admin = await asyncpg.connect(libpq_url(url))
    try:
        await admin.execute(f'CREATE DATABASE "{scratch}"')
        try:
            common = ("--no-owner", "--no-privileges")
            await asyncio.to_thread(
                _run,
                (pg_dump, "--format=custom", *common, "--dbname", source),
                (pg_restore, *common, "--exit-on-error", "--dbname", scratch),
                env=env,
            )
            changed = await _mask_database(scratch_url)
            await asyncio.to_thread(
                _run,
                (pg_dump, "--format=plain", *common, "--file", str(output), "--dbname", scratch),
                env=env,
            )
        finally:
            await admin.execute(f'DROP DATABASE IF EXISTS "{scratch}" WITH (FORCE)')
    finally:
        await admin.close()
    return changed
