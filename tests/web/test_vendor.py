"""Vendored browser packages are exactly what scripts/vendor_assets.py fetched (pinned, checked)."""

from __future__ import annotations

import hashlib
import importlib.util
import json
import sys
from pathlib import Path
from typing import Any

import pytest

SCRIPT = Path(__file__).resolve().parents[2] / "scripts/vendor_assets.py"


def _packages() -> Any:
    spec = importlib.util.spec_from_file_location("vendor_assets", SCRIPT)
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # its dataclasses look their module up
    spec.loader.exec_module(module)
    return module.PACKAGES


PACKAGES = _packages()


@pytest.mark.parametrize("package", PACKAGES, ids=[p.name for p in PACKAGES])
def test_vendored_files_match_their_manifest(package: Any) -> None:
    manifest = json.loads((package.target / "MANIFEST.json").read_text())
    assert manifest == {
        "package": package.name,
        "version": package.version,
        "sha256": {
            name: hashlib.sha256((package.target / name).read_bytes()).hexdigest()
            for name in package.files
        },
    }
