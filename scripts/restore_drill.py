"""The restore drill: point-in-time recovery of ECE's PostgreSQL, measured.

On a throwaway cluster of its own (``initdb``/``pg_ctl`` in a temporary directory, its own port,
WAL archived by ``archive_command``; the shared server is never touched) it runs a stream of
trades between two users, takes a base backup (``pg_basebackup``), keeps trading, then "loses"
the server (immediate stop, data directory deleted). It restores the base backup, replays the
archived WAL to its end, starts ECE on it and waits for ``/readyz``, then runs the ledger check
and reconciliation. It prints the achieved RPO (last committed trade vs last restored trade) and
RTO (seconds from the start of the restore to ``/readyz`` ok) and exits 1 when a check fails or
a target is missed (RPO <= 60 s, RTO <= 300 s).

    make drill            (ECE_DRILL_PG_BIN: where initdb, pg_ctl, pg_basebackup are)

This is what deploy/pgbackrest/ does in production (pgBackRest's ``archive-push`` and
``restore --type=time``), reduced to PostgreSQL's own tools so it runs anywhere PostgreSQL does.
"""

from __future__ import annotations

import asyncio
import itertools
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

import httpx

from ece.app import create_app, shutdown, startup
from ece.config import Settings
from ece.core.db import Database
from ece.core.migrate import upgrade
from ece.core.money import Asset
from ece.ledger import service as ledger
from ece.ledger.models import LedgerTransfer, OwnerType, TransferCode
from ece.ledger.rules import TransferSpec
from ece.payments import service as payments
from ece.platform_init import init_platform

RPO_TARGET_SECONDS = 60.0
RTO_TARGET_SECONDS = 300.0
DEFAULT_PG_BIN = "/usr/lib/postgresql/15/bin"
TRADE_UNITS = 1_000  # 0.001 USDC per trade
FUNDING_UNITS = 1_000_000_000


@dataclass(frozen=True, slots=True)
class DrillReport:
    trades_committed: int
    trades_restored: int
    rpo_seconds: float
    rto_seconds: float
    ledger_ok: bool
    reconciliation_ok: bool
    prefix_ok: bool  # the restored trades are exactly the first ones committed, no gap

    @property
    def ok(self) -> bool:
        return (
            self.ledger_ok
            and self.reconciliation_ok
            and self.prefix_ok
            and self.rpo_seconds <= RPO_TARGET_SECONDS
            and self.rto_seconds <= RTO_TARGET_SECONDS
        )

    def lines(self) -> list[str]:
        return [
            f"trades committed {self.trades_committed}, restored {self.trades_restored}"
            f" (a gapless prefix: {self.prefix_ok})",
            f"ledger check ok: {self.ledger_ok}; reconciliation ok: {self.reconciliation_ok}",
            f"RPO {self.rpo_seconds:.2f} s (target <= {RPO_TARGET_SECONDS:.0f} s)",
            f"RTO {self.rto_seconds:.2f} s (target <= {RTO_TARGET_SECONDS:.0f} s)",
        ]


_STARTED = time.monotonic()


def _phase(name: str) -> None:
    print(f"[{time.monotonic() - _STARTED:6.1f} s] {name}", file=sys.stderr, flush=True)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class Cluster:
    """A throwaway PostgreSQL cluster; PostgreSQL refuses to run as root, so as root the server
    runs as the ``postgres`` system user."""

    def __init__(self, pg_bin: Path, root: Path, port: int) -> None:
        self.pg_bin = pg_bin
        self.root = root
        self.port = port
        self.data = root / "data"
        self.archive = root / "wal-archive"
        self.base = root / "base-backup"
        self.as_postgres = os.geteuid() == 0

    def _run(self, tool: str, *args: str) -> None:
        command = [str(self.pg_bin / tool), *args]
        if self.as_postgres:
            command = ["setpriv", "--reuid=postgres", "--regid=postgres", "--init-groups", *command]
        subprocess.run(command, check=True, capture_output=True, cwd=self.root)  # noqa: S603

    def _own(self, path: Path) -> None:
        if self.as_postgres:
            shutil.chown(path, "postgres", "postgres")
            for child in path.rglob("*"):
                shutil.chown(child, "postgres", "postgres")

    def init(self) -> None:
        self.archive.mkdir()
        self._own(self.root)
        self._own(self.archive)
        self._run(
            "initdb", "-D", str(self.data), "-U", "postgres", "--auth=trust", "--wal-segsize=1"
        )
        with (self.data / "postgresql.conf").open("a") as conf:
            conf.write(
                f"port = {self.port}\nlisten_addresses = '127.0.0.1'\n"
                f"unix_socket_directories = '{self.root}'\n"
                "wal_level = replica\narchive_mode = on\n"
                f"archive_command = 'test ! -f {self.archive}/%f && cp %p {self.archive}/%f'\n"
                # A partly filled WAL segment is archived after at most a second: the RPO.
                "archive_timeout = 1\n"
                "fsync = off\nshared_buffers = 32MB\nmax_connections = 40\n"
            )

    def start(self) -> None:
        self._run(
            "pg_ctl", "-D", str(self.data), "-l", str(self.root / "server.log"), "-w", "start"
        )

    def crash(self) -> None:
        """The server is lost: stopped without a checkpoint, its data directory gone."""
        self._run("pg_ctl", "-D", str(self.data), "-m", "immediate", "-w", "stop")
        shutil.rmtree(self.data)

    def base_backup(self) -> None:
        self._run(
            "pg_basebackup", "-h", "127.0.0.1", "-p", str(self.port), "-U", "postgres",
            "-D", str(self.base), "-c", "fast",
        )  # fmt: skip

    def restore_to_end_of_archive(self) -> None:
        shutil.copytree(self.base, self.data)
        (self.data / "recovery.signal").touch()
        with (self.data / "postgresql.auto.conf").open("a") as conf:
            conf.write(
                f"restore_command = 'cp {self.archive}/%f %p'\nrecovery_target_action = 'promote'\n"
            )
        self._own(self.data)
        self.data.chmod(0o700)
        self.start()

    def stop(self) -> None:
        if (self.data / "postmaster.pid").exists():
            self._run("pg_ctl", "-D", str(self.data), "-m", "fast", "-w", "stop")


async def _create_database(port: int) -> str:
    import asyncpg

    conn = await asyncpg.connect(host="127.0.0.1", port=port, user="postgres", database="postgres")
    try:
        await conn.execute("CREATE DATABASE ece")
    finally:
        await conn.close()
    return f"postgresql+asyncpg://postgres@127.0.0.1:{port}/ece"


async def _wait_promoted(port: int, deadline: float) -> None:
    import asyncpg

    while True:
        try:
            conn = await asyncpg.connect(host="127.0.0.1", port=port, user="postgres")
            try:
                if not await conn.fetchval("SELECT pg_is_in_recovery()"):
                    return
            finally:
                await conn.close()
        except (OSError, asyncpg.PostgresError):
            pass  # still starting or replaying
        if time.monotonic() > deadline:
            raise TimeoutError("the restored server did not finish recovery")
        await asyncio.sleep(0.1)


class Trades:
    """A stream of trades between two funded users; each id is recorded with its commit time."""

    def __init__(self, db: Database, accounts: tuple[int, int]) -> None:
        self.db = db
        self.accounts = accounts
        self.serial = itertools.count()
        self.committed: list[tuple[str, float]] = []

    async def run(self, count: int) -> None:
        for _ in range(count):
            n = next(self.serial)
            debit, credit = self.accounts if n % 2 == 0 else self.accounts[::-1]
            trade_id = f"drill-{n:06d}"
            async with self.db.unit_of_work() as session:
                await ledger.create_transfers(
                    session,
                    [
                        TransferSpec(
                            trade_id, debit, credit, Asset.USDC, TRADE_UNITS, TransferCode.trade
                        )
                    ],
                )
            self.committed.append((trade_id, time.time()))


async def _fund(settings: Settings, db: Database) -> tuple[int, int]:
    """Two users, the first credited by a deposit that custody really holds on chain."""
    app = create_app(settings, run_workers=False)
    await startup(app)
    try:
        services = app.state.services
        await payments.drip(
            services.chain,
            services.platform,
            services.platform.custody_owner,
            "USDC",
            FUNDING_UNITS,
        )
        async with db.unit_of_work() as session:
            custody = await ledger.account_for(session, OwnerType.custody, "solana", Asset.USDC)
            alice = await ledger.user_account(session, "drill-alice", Asset.USDC)
            bob = await ledger.user_account(session, "drill-bob", Asset.USDC)
            await ledger.create_transfers(
                session,
                [
                    TransferSpec(
                        "drill-funding",
                        custody,
                        alice,
                        Asset.USDC,
                        FUNDING_UNITS,
                        TransferCode.deposit,
                    )
                ],
            )
        return alice, bob
    finally:
        await shutdown(app)


async def _ready(app: object, deadline: float) -> None:
    transport = httpx.ASGITransport(app=app)  # type: ignore[arg-type]
    async with httpx.AsyncClient(transport=transport, base_url="http://drill") as client:
        while (await client.get("/readyz")).status_code != 200:
            if time.monotonic() > deadline:
                raise TimeoutError("/readyz never answered ok")
            await asyncio.sleep(0.1)


async def drill(
    pg_bin: Path, root: Path, *, before: int = 40, after_seconds: float = 3.0
) -> DrillReport:
    """Run the drill in ``root`` (an empty directory); the report of what it achieved."""
    cluster = Cluster(pg_bin, root, _free_port())
    cluster.init()
    cluster.start()
    _phase("cluster started")
    try:
        url = await _create_database(cluster.port)
        await asyncio.to_thread(upgrade, url)
        _phase("migrated")
        settings = Settings(
            env="development",
            data_dir=root / "ece",
            database_url=url,
            run_workers=False,
            log_level="WARNING",
        )
        settings.data_dir.mkdir()
        await init_platform(settings)
        db = Database(url, pool_size=2, max_overflow=0)
        try:
            trades = Trades(db, await _fund(settings, db))
            _phase("platform initialized and funded")
            await trades.run(before)
            await asyncio.to_thread(cluster.base_backup)
            _phase("base backup taken")
            until = time.monotonic() + after_seconds
            while time.monotonic() < until:
                await trades.run(10)
        finally:
            await db.dispose()
        cluster.crash()
        _phase("server lost")

        restore_started = time.monotonic()
        await asyncio.to_thread(cluster.restore_to_end_of_archive)
        await _wait_promoted(cluster.port, restore_started + RTO_TARGET_SECONDS)
        app = create_app(settings, run_workers=False)
        await startup(app)
        try:
            await _ready(app, restore_started + RTO_TARGET_SECONDS)
            rto = time.monotonic() - restore_started
            _phase("restored: /readyz ok")
            services = app.state.services
            check = await ledger.run_check(services.db)
            recon = await payments.reconcile(services.db, services.chain, services.platform)
            async with services.db.unit_of_work(write=False) as session:
                from sqlalchemy import select

                restored = set(
                    await session.scalars(
                        select(LedgerTransfer.id).where(LedgerTransfer.id.like("drill-0%"))
                    )
                )
        finally:
            await shutdown(app)
            _phase("ECE stopped")
    finally:
        cluster.stop()
        _phase("cluster stopped")
    committed = trades.committed
    prefix = [trade_id for trade_id, _ in committed[: len(restored)]]
    last_committed = committed[-1][1]
    last_restored = committed[len(restored) - 1][1] if restored else committed[0][1]
    return DrillReport(
        trades_committed=len(committed),
        trades_restored=len(restored),
        rpo_seconds=max(last_committed - last_restored, 0.0),
        rto_seconds=rto,
        ledger_ok=check.ok,
        reconciliation_ok=recon.ok,
        prefix_ok=set(prefix) == restored,
    )


def main() -> int:
    pg_bin = Path(os.environ.get("ECE_DRILL_PG_BIN", DEFAULT_PG_BIN))
    with tempfile.TemporaryDirectory(prefix="ece-drill-") as tmp:
        root = Path(tmp)
        report = asyncio.run(drill(pg_bin, root))
        _phase("event loop closed")
    _phase("work dir removed")
    for line in report.lines():
        print(line)
    print("drill ok" if report.ok else "drill FAILED")
    return 0 if report.ok else 1


if __name__ == "__main__":
    sys.exit(main())
