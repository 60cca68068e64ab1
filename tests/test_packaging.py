"""The production image installs the runtime dependencies only, at the versions tested in dev.

Pure file checks: no install, no Docker.
"""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEV_ONLY = {
    "pytest",
    "pytest-asyncio",
    "pytest-xdist",
    "playwright",
    "mypy",
    "ruff",
    "schemathesis",
    "hypothesis",
    "httpx",
}
PIN = re.compile(r"^([A-Za-z0-9][A-Za-z0-9._-]*)==(\S+)")


def _pins(name: str) -> dict[str, str]:
    pins: dict[str, str] = {}
    for line in (ROOT / name).read_text().splitlines():
        match = PIN.match(line)
        if match:
            pins[re.sub(r"[-_.]+", "-", match[1]).lower()] = match[2]
    return pins


def test_runtime_lock_pins_are_the_development_pins() -> None:
    runtime, dev = _pins("requirements-runtime.lock"), _pins("requirements.lock")
    assert runtime
    assert {
        name: (pin, dev.get(name)) for name, pin in runtime.items() if dev.get(name) != pin
    } == {}


def test_runtime_lock_has_no_development_tooling() -> None:
    assert sorted(DEV_ONLY & _pins("requirements-runtime.lock").keys()) == []
    # The development lock does have them: the names above are spelled as the locks spell them.
    assert _pins("requirements.lock").keys() >= DEV_ONLY


def test_runtime_lock_has_one_redis_client_library() -> None:
    runtime = _pins("requirements-runtime.lock")
    assert "redis" in runtime
    assert "coredis" not in runtime


def test_production_image_installs_the_runtime_lock_and_the_package_without_deps() -> None:
    commands = [
        line.strip()
        for line in (ROOT / "deploy" / "Dockerfile").read_text().splitlines()
        if line.strip().startswith(("RUN", "COPY"))
    ]
    installs = [c for c in commands if "pip sync" in c or "pip install" in c]
    syncs = [c for c in installs if "pip sync" in c]
    assert syncs and all(c.endswith(" requirements-runtime.lock") for c in syncs)
    assert not any("requirements.lock" in c for c in commands)
    # Besides the locked sync, only uv itself and the package (with --no-deps) are installed.
    others = [c for c in installs if c not in syncs and "uv==" not in c]
    assert others and all("--no-deps" in c for c in others)


def test_production_image_runs_the_code_beside_its_migrations() -> None:
    """``ece init`` finds alembic.ini and migrations/ next to the package's src/ directory, so the
    image runs the package from /app/src (editable) with both copied beside it."""
    lines = [line.strip() for line in (ROOT / "deploy" / "Dockerfile").read_text().splitlines()]
    package = [c for c in lines if "pip install" in c and "--no-deps" in c]
    assert package and all(c.endswith("--no-deps -e .") for c in package)
    final = lines[max(i for i, line in enumerate(lines) if line.startswith("FROM")) :]
    assert "WORKDIR /app" in final
    for copied in ("COPY alembic.ini ./", "COPY migrations ./migrations", "COPY src ./src"):
        assert copied in final
    # The same layout in this checkout: the migration runner's root holds both.
    from ece.core.migrate import ROOT as MIGRATE_ROOT

    assert (MIGRATE_ROOT / "alembic.ini").is_file()
    assert (MIGRATE_ROOT / "migrations" / "env.py").is_file()
