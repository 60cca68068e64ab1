"""The alert rules: valid, unit-tested by promtool, each with its runbook section."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
RULES = ROOT / "deploy" / "prometheus" / "alerts.yml"
RULE_TESTS = ROOT / "deploy" / "prometheus" / "alerts_test.yml"
RUNBOOKS = ROOT / "docs" / "runbooks.md"

pytestmark = pytest.mark.skipif(
    shutil.which("promtool") is None and not os.environ.get("CI"),
    reason="promtool missing: `make promtool` installs Debian's prometheus package",
)


def _alerts() -> list[str]:
    return re.findall(r"^\s+- alert: (\w+)$", RULES.read_text(), flags=re.MULTILINE)


def test_promtool_checks_the_rules() -> None:
    done = subprocess.run(
        ["promtool", "check", "rules", str(RULES)], capture_output=True, text=True
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert f"SUCCESS: {len(_alerts())} rules found" in done.stdout


def test_every_alert_fires_on_its_symptom_and_not_on_healthy_data() -> None:
    done = subprocess.run(
        ["promtool", "test", "rules", str(RULE_TESTS)], capture_output=True, text=True
    )
    assert done.returncode == 0, done.stdout + done.stderr
    tests = RULE_TESTS.read_text()
    for alert in _alerts():
        # One case where it fires (expected labels) and one where it stays silent.
        fires = re.search(rf"alertname: {alert}\n\s+exp_alerts:\n\s+- exp_labels", tests)
        silent = re.search(rf"alertname: {alert}\n\s+exp_alerts: \[\]", tests)
        assert fires and silent, alert


def test_every_alert_has_a_runbook_section() -> None:
    runbooks = RUNBOOKS.read_text()
    for alert in _alerts():
        assert f"docs/runbooks.md#{alert.lower()}" in RULES.read_text()
        assert re.search(rf"^## {alert}$", runbooks, flags=re.MULTILINE), alert


def test_the_dashboard_charts_only_metrics_ece_exports() -> None:
    import json

    from ece.core.metrics import REGISTRY

    dashboard = json.loads((ROOT / "deploy" / "grafana" / "ece-dashboard.json").read_text())
    exported = {m.name for m in REGISTRY.collect()}
    used = set()
    for panel in dashboard["panels"]:
        for target in panel["targets"]:
            used.update(re.findall(r"\b(ece_[a-z_]+?)(?:_bucket|_total)?\b", target["expr"]))
    assert used and used <= exported, used - exported
