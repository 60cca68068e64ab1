"""The job registry is a leaf; the worker's entry point is what knows the domains' jobs."""

from __future__ import annotations

import subprocess
import sys

from ece.runtime.jobs import registered
from ece.worker import main as worker
from tests.core.test_import_graph import module_graph

EXPECTED_JOBS = {
    "purge_signin_nonces",
    "purge_idempotency_keys",
    "market_expiry",
    "deposit_watcher",
    "withdrawal_sender",
    "reconciliation",
    "trade_offer_expiry",
    "auction_settlement",
    "battle_settlement",
    "outbox_relay",
    "purge_outbox",
    "send_webhooks",
    "send_emails",
    "send_push",
    "treasury_payouts",
    "treasury_prepare",
    "treasury_sender",
    "trade_monitoring",
    "ledger_check",
    "backup",
    "price_alerts",
}


def test_the_registry_imports_no_domain() -> None:
    """In a fresh interpreter, importing the registry loads no other ``ece`` module."""
    code = "import sys, ece.runtime.jobs; print(*sorted(m for m in sys.modules if 'ece' in m))"
    loaded = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    ).stdout.split()
    assert sorted(m for m in loaded if m.startswith("ece")) == [
        "ece",
        "ece.runtime",
        "ece.runtime.jobs",
    ]


def test_the_runner_imports_no_domain() -> None:
    imported = module_graph()["ece.worker.runner"]
    assert {m for m in imported if not m.startswith(("ece.core.", "ece.runtime."))} == set()


def test_the_worker_entry_point_registers_every_domains_jobs() -> None:
    jobs = registered()
    assert {j.name for j in jobs} == EXPECTED_JOBS
    assert len(jobs) == len(EXPECTED_JOBS)
    modules = {m.__name__ for m in worker.JOB_MODULES}
    assert {j.run.__module__ for j in jobs} == modules
