"""The import contracts in ``.importlinter`` hold, and they would catch a forbidden import.

``make lint`` runs ``lint-imports`` on the tree; here the same contracts run on a copy of
``src/ece`` with one forbidden import added, and must fail: a contract that cannot break is no
check at all.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

import ece

ROOT = Path(__file__).resolve().parents[2]
SRC = Path(ece.__file__).parent
LINT_IMPORTS = Path(sys.executable).parent / "lint-imports"


def _lint(package_root: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": str(package_root)}
    return subprocess.run(
        [str(LINT_IMPORTS), "--no-logo", "--no-cache", str(ROOT / ".importlinter")],
        cwd=package_root,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def _copy(tmp_path: Path) -> Path:
    shutil.copytree(SRC, tmp_path / "ece", ignore=shutil.ignore_patterns("__pycache__", "web"))
    (tmp_path / "ece" / "web").mkdir()
    for module in (SRC / "web").glob("*.py"):
        shutil.copy(module, tmp_path / "ece" / "web" / module.name)
    return tmp_path


def test_the_tree_keeps_every_contract() -> None:
    result = _lint(SRC.parent)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "0 broken" in result.stdout


@pytest.mark.parametrize(
    ("module", "line", "contract"),
    [
        # The core reaching up into a domain.
        ("core/money.py", "import ece.payments.service", "The core imports no domain"),
        # A domain reading another's tables instead of asking its service.
        ("trades/rules.py", "import ece.cards.models", "reach cards only through its service"),
        # A router running SQL.
        ("market/router.py", "import ece.market.repository", "Routers run no SQL"),
        # The ledger calling up into a domain that settles through it.
        (
            "ledger/service.py",
            "import ece.market.service",
            "Layers: no package imports a layer above it",
        ),
    ],
)
def test_a_forbidden_import_breaks_a_contract(
    tmp_path: Path, module: str, line: str, contract: str
) -> None:
    root = _copy(tmp_path)
    target = root / "ece" / module
    target.write_text(target.read_text() + f"\n{line}  # noqa: E402\n")
    result = _lint(root)
    assert result.returncode != 0
    broken = [t for t in result.stdout.splitlines() if t.endswith("BROKEN") or " BROKEN (" in t]
    assert any(contract in text for text in broken), result.stdout
