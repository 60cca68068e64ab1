"""Vendor the browser packages we serve from our own origin, pinned and checked.

The app's Content-Security-Policy loads scripts and styles only from ourselves, so third-party
browser code is fetched once from npm (``npm pack`` of an exact version), its tarball checked
against the integrity npm published for it, and the few files we use copied unchanged (with the
package's licence) under a ``vendor/`` folder. ``MANIFEST.json`` records each file's SHA-256;
``tests/web/test_vendor.py`` checks the files still match it.

Run after changing a pin: ``.venv/bin/python scripts/vendor_assets.py`` (needs ``npm``).
"""

from __future__ import annotations

import base64
import hashlib
import json
import shutil
import subprocess
import tarfile
import tempfile
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


@dataclass(frozen=True)
class Package:
    name: str
    version: str
    integrity: str  # npm's dist.integrity of this exact version's tarball
    files: tuple[str, ...]  # paths inside the tarball (under package/)
    target: Path


PACKAGES = (
    Package(
        "swagger-ui-dist",
        "5.35.0",
        "sha512-U06rpMtW9V3XPGOBeamTUSr0Z09jMX4IJuANpE/EZbAhw0G8CgwrzU4YmXkn/h0wCDNsXdGarTNNHC3sU8yVUQ==",
        ("swagger-ui-bundle.js", "swagger-ui.css", "LICENSE"),
        ROOT / "src/ece/web/static/vendor/swagger-ui",
    ),
    # The price charts of companies and cards (TradingView Lightweight Charts, ES module build).
    Package(
        "lightweight-charts",
        "5.2.1",
        "sha512-IVwoK1RLFiLPubaKIjNbtjWLnpPMqiABSrTay6whmNa8L1+19292VtHJ+BWyPUuLCwF0tcQlhEWd1CLB2a1nsQ==",
        ("dist/lightweight-charts.standalone.production.mjs", "LICENSE"),
        ROOT / "src/ece/web/static/vendor/lightweight-charts",
    ),
    # Only the browser tests load axe-core (injected into each page they open).
    Package(
        "axe-core",
        "4.14.1",
        "sha512-FHfa+lmNjQZfJz1q8wKqIDwC6DExcHt/pkjNQb09a3NPjCKg2rhu5qb2S4r76ASyFNNtuFooJpZe37OgudVGtQ==",
        ("axe.min.js", "LICENSE"),
        ROOT / "tests/web/vendor/axe-core",
    ),
)


def _integrity(data: bytes) -> str:
    return "sha512-" + base64.b64encode(hashlib.sha512(data).digest()).decode()


def vendor(package: Package, work: Path) -> dict[str, str]:
    npm = shutil.which("npm")
    if npm is None:
        raise SystemExit("needs npm (apt-get install npm)")
    # The arguments are this file's own pins, not outside input.
    packed = subprocess.run(  # noqa: S603
        [npm, "pack", f"{package.name}@{package.version}", "--json", "--silent"],
        cwd=work,
        check=True,
        capture_output=True,
        text=True,
    )
    tarball = work / json.loads(packed.stdout)[0]["filename"]
    data = tarball.read_bytes()
    if _integrity(data) != package.integrity:
        raise SystemExit(f"{package.name}@{package.version}: tarball integrity mismatch")
    package.target.mkdir(parents=True, exist_ok=True)
    hashes: dict[str, str] = {}
    with tarfile.open(tarball) as archive:
        for name in package.files:
            member = archive.extractfile(f"package/{name}")
            if member is None:
                raise SystemExit(f"{package.name}: {name} is not a file")
            content = member.read()
            (package.target / name).parent.mkdir(parents=True, exist_ok=True)
            (package.target / name).write_bytes(content)
            hashes[name] = hashlib.sha256(content).hexdigest()
    manifest = {"package": package.name, "version": package.version, "sha256": hashes}
    (package.target / "MANIFEST.json").write_text(json.dumps(manifest, indent=2) + "\n")
    return hashes


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        for package in PACKAGES:
            vendor(package, Path(tmp))
            print(f"{package.name}@{package.version} -> {package.target.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
