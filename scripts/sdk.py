"""Generate the Python SDK (clients/python/ece_client) from the app's OpenAPI document.

``make sdk`` runs it after installing the pinned generator (clients/python/generator.lock) into
its own virtualenv, ``.venv-sdk``, apart from the app's lock. ``--output DIR`` writes elsewhere
(tests/interop/test_sdk.py regenerates into a temporary directory and compares).
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "scripts"))

from openapi_document import openapi_document  # noqa: E402

CLIENT_DIR = ROOT / "clients" / "python"
GENERATOR = ROOT / ".venv-sdk" / "bin" / "openapi-python-client"


def generate(output: Path) -> str:
    """Write the SDK package to ``output``; returns what the generator printed."""
    with tempfile.TemporaryDirectory() as tmp:
        document = Path(tmp) / "openapi.json"
        document.write_text(json.dumps(openapi_document(), indent=1, sort_keys=True))
        # The generator's post hooks run the ruff it was installed with, never another on PATH.
        env = {**os.environ, "PATH": f"{GENERATOR.parent}{os.pathsep}{os.environ['PATH']}"}
        done = subprocess.run(  # noqa: S603 - our own pinned generator
            [
                str(GENERATOR),
                "generate",
                "--path",
                str(document),
                "--meta",
                "none",
                "--config",
                str(CLIENT_DIR / "generator.yaml"),
                "--output-path",
                str(output),
                "--overwrite",
                "--fail-on-warning",
            ],
            capture_output=True,
            text=True,
            env=env,
            check=False,
        )
    if done.returncode != 0:
        raise SystemExit(f"openapi-python-client failed:\n{done.stdout}\n{done.stderr}")
    return done.stdout + done.stderr


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--output", type=Path, default=CLIENT_DIR / "ece_client")
    print(generate(parser.parse_args().output).strip())
