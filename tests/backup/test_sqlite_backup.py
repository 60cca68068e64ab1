"""SQLite backups: taken while writes go on, restored into an empty data dir, where the ledger
check and reconciliation pass; restores refuse a non-empty data dir."""

from __future__ import annotations

import asyncio
import itertools
import tarfile
from pathlib import Path

import pytest
from solana.rpc.async_api import AsyncClient
from sqlalchemy import func, select
from typer.testing import CliRunner

from ece.backup import service as backup
from ece.cli import app as cli
from ece.config import Settings
from ece.core.money import Asset
from ece.ledger import service as ledger
from ece.ledger.models import LedgerTransfer, TransferCode
from ece.ledger.rules import TransferSpec
from ece.payments import service as payments
from tests.builders import api_client, served, sign_in
from tests.chain.chain_builders import serve_chain
from tests.conftest import PG_URL
from tests.payments.support import funded_user

pytestmark = pytest.mark.skipif(bool(PG_URL), reason="the SQLite data dir (PostgreSQL: drill)")


async def test_a_backup_taken_during_writes_restores_to_a_consistent_platform(
    settings: Settings, tmp_path_factory: pytest.TempPathFactory
) -> None:
    serial = itertools.count()
    async with served(settings) as app, api_client(app) as client:
        services = app.state.services
        # A real deposit through the chain: custody holds what the ledger owes.
        with serve_chain(services.chain) as chain_http:
            rpc = AsyncClient(chain_http.url)
            try:
                alice = await funded_user(client, app, rpc, "USDC", "10")
            finally:
                await rpc.close()
        bob = await sign_in(client)
        async with services.db.unit_of_work() as session:
            a = await ledger.user_account(session, alice.user["id"], Asset.USDC)
            b = await ledger.user_account(session, bob.user["id"], Asset.USDC)
        # Value moving between users while the backup runs: liabilities stay what custody holds.
        stop = asyncio.Event()

        done = 0  # transfers committed so far

        async def trading() -> int:
            nonlocal done
            while not stop.is_set():
                debit, credit = (a, b) if done % 2 == 0 else (b, a)
                async with services.db.unit_of_work() as session:
                    await ledger.create_transfers(
                        session,
                        [
                            TransferSpec(
                                f"drill-{next(serial)}",
                                debit,
                                credit,
                                Asset.USDC,
                                1,
                                TransferCode.adjustment,
                            )
                        ],
                    )
                done += 1
                await asyncio.sleep(0)
            return done

        writer = asyncio.create_task(trading())
        await asyncio.sleep(0.2)
        committed_before = done
        report = await asyncio.to_thread(backup.create, settings.data_dir)
        during = done - committed_before
        stop.set()
        written = await writer
        source_check = await ledger.run_check(services.db)
        source_recon = await payments.reconcile(services.db, services.chain, services.platform)
    assert committed_before > 0 and during > 0, (committed_before, during)  # writes overlapped
    assert written >= committed_before + during
    assert source_check.ok and source_recon.ok

    with tarfile.open(report.archive) as tar:
        names = set(tar.getnames())
    assert {"./ece.db", "./chain/chain.sqlite3"} <= names
    assert any(n.startswith("./keys/") for n in names)
    assert not any(n.endswith(("-wal", "-shm", ".lock")) for n in names)

    restored_dir = tmp_path_factory.mktemp("restored")
    backup.restore(report.archive, restored_dir)
    assert backup.integrity_ok(restored_dir / "ece.db")
    restored = settings.model_copy(
        update={
            "data_dir": restored_dir,
            "database_url": f"sqlite+aiosqlite:///{restored_dir / 'ece.db'}",
        }
    )
    async with served(restored) as app:
        services = app.state.services
        check = await ledger.run_check(services.db)
        recon = await payments.reconcile(services.db, services.chain, services.platform)
        async with services.db.unit_of_work(write=False) as session:
            restored_transfers = await session.scalar(
                select(func.count())
                .select_from(LedgerTransfer)
                .where(LedgerTransfer.id.like("drill-%"))
            )
    assert check.ok, check
    assert recon.ok, recon.warnings
    # Everything committed before the backup began is in it; nothing half-written is.
    assert committed_before <= (restored_transfers or 0) <= written


def test_the_cli_prints_the_archive_last_and_refuses_a_non_empty_data_dir(
    settings: Settings, tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("ECE_DATA_DIR", str(settings.data_dir))
    monkeypatch.setenv("ECE_DATABASE_URL", settings.resolved_database_url)
    runner = CliRunner()
    made = runner.invoke(cli, ["backup", "create"])
    assert made.exit_code == 0, made.output
    archive = Path(made.output.strip().splitlines()[-1])
    assert archive.is_file() and archive.parent == settings.data_dir.resolve() / "backups"

    target = tmp_path_factory.mktemp("target")
    (target / "ece.db").write_text("someone else's data")
    monkeypatch.setenv("ECE_DATA_DIR", str(target))
    refused = runner.invoke(cli, ["backup", "restore", str(archive)])
    assert refused.exit_code == 1
    assert (target / "ece.db").read_text() == "someone else's data"  # untouched
    forced = runner.invoke(cli, ["backup", "restore", str(archive), "--force"])
    assert forced.exit_code == 0, forced.output
    assert backup.integrity_ok(target / "ece.db")


def test_an_archive_with_an_escaping_path_is_refused(tmp_path: Path) -> None:
    evil = tmp_path / "evil.tar.gz"
    outside = tmp_path / "outside.txt"
    source = tmp_path / "payload.txt"
    source.write_text("x")
    with tarfile.open(evil, "w:gz") as tar:
        tar.add(source, arcname="../outside.txt")
    with pytest.raises(backup.BackupError, match="unsafe"):
        backup.restore(evil, tmp_path / "data")
    assert not outside.exists()
