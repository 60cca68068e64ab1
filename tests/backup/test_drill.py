"""The restore drill on a throwaway PostgreSQL cluster (PostgreSQL pass): base backup, WAL
archive, the server lost, point-in-time restore; the RPO and RTO it achieved meet the targets
and ledger check and reconciliation pass on the restored platform."""

from __future__ import annotations

import importlib.util
import shutil
import sys
import tempfile
from pathlib import Path
from types import ModuleType

import pytest

SCRIPT = Path(__file__).resolve().parents[2] / "scripts" / "restore_drill.py"
PG_BIN = Path("/usr/lib/postgresql/15/bin")

pytestmark = [
    pytest.mark.pg,
    pytest.mark.skipif(not (PG_BIN / "initdb").exists(), reason="PostgreSQL 15 binaries missing"),
]


def _drill_module() -> ModuleType:
    spec = importlib.util.spec_from_file_location("restore_drill", SCRIPT)
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # its dataclasses look their module up while it loads
    spec.loader.exec_module(module)
    return module


async def test_the_restore_drill_meets_its_rpo_and_rto() -> None:
    drill = _drill_module()
    # Not under pytest's tmp dir: that one is private to root, and the cluster runs as postgres.
    root = Path(tempfile.mkdtemp(prefix="ece-drill-"))
    try:
        report = await drill.drill(PG_BIN, root, before=20, after_seconds=2.0)
    finally:
        shutil.rmtree(root, ignore_errors=True)
    print(*report.lines(), sep="\n")
    assert report.ledger_ok and report.reconciliation_ok
    # Trades after the base backup came back from the WAL archive, without a gap.
    assert report.prefix_ok
    assert report.trades_restored > 20
    assert report.rpo_seconds <= drill.RPO_TARGET_SECONDS
    assert report.rto_seconds <= drill.RTO_TARGET_SECONDS
    assert report.ok
