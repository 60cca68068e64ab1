"""``ece treasury run-payouts`` against a real data dir."""

from __future__ import annotations

import json

import pytest
from solders.keypair import Keypair
from typer.testing import CliRunner

from ece.cli import app
from ece.config import Settings

runner = CliRunner()


def test_run_payouts_makes_a_batch_or_says_why_not(
    settings: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("ECE_ENV", "test")
    monkeypatch.setenv("ECE_DATA_DIR", str(settings.data_dir))
    monkeypatch.setenv("ECE_DATABASE_URL", settings.resolved_database_url)
    refused = runner.invoke(app, ["treasury", "run-payouts"])
    assert refused.exit_code == 1 and "ECE_TREASURY_SIGNERS" in refused.output

    signers = ",".join(str(Keypair().pubkey()) for _ in range(3))
    monkeypatch.setenv("ECE_TREASURY_SIGNERS", signers)
    result = runner.invoke(app, ["treasury", "run-payouts"])
    assert result.exit_code == 0, result.output
    batch = json.loads(result.output)
    assert batch["payouts"] == [] and batch["created_by"] == "cli"
