"""``ece backup``: one archive of an embedded data dir, taken while the server runs, and its
restore into an empty data dir.

SQLite files (the ECE database and the embedded chain's store) are copied with SQLite's online
backup API, which yields a consistent snapshot of each while writers go on; every other file
(the platform keys, the blockstore) is copied as it is. The chain store is copied before the
database: a withdrawal is debited on the ledger before it is sent, so a database newer than the
chain only holds withdrawals still in flight, which reconciliation already counts as owed.
PostgreSQL deployments back up with pgBackRest instead (deploy/pgbackrest/).
"""

from __future__ import annotations

import shutil
import sqlite3
import tarfile
import tempfile
import time
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from ece.core.metrics import BACKUP_LAST_SUCCESS

SQLITE_SUFFIXES = (".db", ".sqlite3")
# Sidecars of live SQLite files and the embedded chain's process lock: never archived.
SKIPPED_SUFFIXES = ("-wal", "-shm", "-journal", ".lock")
BACKUPS_DIR = "backups"


class BackupError(Exception):
    """A backup or restore that cannot be done as asked (the message says why)."""


@dataclass(frozen=True, slots=True)
class BackupReport:
    archive: Path
    files: int
    seconds: float


def _sqlite_files(data_dir: Path) -> list[Path]:
    found = [p for p in data_dir.rglob("*") if p.is_file() and p.suffix in SQLITE_SUFFIXES]
    # The chain store first, the ECE database last (see the module docstring).
    return sorted(found, key=lambda p: (p.parent == data_dir, str(p)))


def _skipped(path: Path, data_dir: Path) -> bool:
    relative = path.relative_to(data_dir)
    return relative.parts[0] == BACKUPS_DIR or path.name.endswith(SKIPPED_SUFFIXES)


def _online_copy(source: Path, target: Path) -> None:
    target.parent.mkdir(parents=True, exist_ok=True)
    src = sqlite3.connect(f"file:{source}?mode=ro", uri=True, timeout=30)
    try:
        dst = sqlite3.connect(target)
        try:
            src.backup(dst)
        finally:
            dst.close()
    finally:
        src.close()


def create(data_dir: Path, output: Path | None = None) -> BackupReport:
    """Archive ``data_dir`` (``<data_dir>/backups/ece-<UTC time>.tar.gz`` unless ``output``)."""
    started = time.perf_counter()
    data_dir = data_dir.resolve()
    if not (data_dir / "ece.db").is_file():
        raise BackupError(
            f"{data_dir} holds no ece.db: nothing to back up (PostgreSQL: pgBackRest)"
        )
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S%fZ")
    archive = (output or data_dir / BACKUPS_DIR / f"ece-{stamp}.tar.gz").resolve()
    archive.parent.mkdir(parents=True, exist_ok=True)
    files = 0
    with tempfile.TemporaryDirectory(prefix="ece-backup-") as staging:
        stage = Path(staging)
        databases = _sqlite_files(data_dir)
        for path in sorted(data_dir.rglob("*")):
            if path.is_file() and path not in databases and not _skipped(path, data_dir):
                target = stage / path.relative_to(data_dir)
                target.parent.mkdir(parents=True, exist_ok=True)
                shutil.copy2(path, target)
                files += 1
        for path in databases:
            if not _skipped(path, data_dir):
                _online_copy(path, stage / path.relative_to(data_dir))
                files += 1
        partial = archive.with_name(archive.name + ".partial")
        with tarfile.open(partial, "w:gz") as tar:
            tar.add(stage, arcname=".")
        partial.replace(archive)  # a crash never leaves a truncated archive under the real name
    BACKUP_LAST_SUCCESS.set(time.time())
    return BackupReport(archive, files, time.perf_counter() - started)


def restore(archive: Path, data_dir: Path, *, force: bool = False) -> int:
    """Unpack ``archive`` into ``data_dir``, which must be empty unless ``force``; the number
    of files restored."""
    if not archive.is_file():
        raise BackupError(f"{archive} is not a file")
    if data_dir.exists() and any(data_dir.iterdir()) and not force:
        raise BackupError(f"{data_dir} is not empty: restore into an empty data dir or use --force")
    data_dir.mkdir(parents=True, exist_ok=True)
    with tarfile.open(archive, "r:gz") as tar:
        members = [m for m in tar.getmembers() if m.isfile() or m.isdir()]
        for member in members:
            if member.name.startswith("/") or ".." in Path(member.name).parts:
                raise BackupError(f"{archive} holds an unsafe path: {member.name}")
        if force:
            for name in (m.name for m in members if m.isfile()):
                for sidecar in ("-wal", "-shm"):
                    (data_dir / (name + sidecar)).unlink(missing_ok=True)
        tar.extractall(data_dir, members=members, filter="data")
    return sum(1 for m in members if m.isfile())


def archives(folder: Path) -> list[Path]:
    """The archives in ``folder``, oldest first."""
    if not folder.is_dir():
        return []
    return sorted(folder.glob("ece-*.tar.gz"), key=lambda p: p.stat().st_mtime)


def integrity_ok(database: Path) -> bool:
    """SQLite's own integrity check of a restored file."""
    with sqlite3.connect(database) as conn:
        return bool(conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok")


__all__ = ["BackupError", "BackupReport", "archives", "create", "integrity_ok", "restore"]
