"""Print the full OpenAPI document of the app, as served at ``/openapi.json``.

``make sdk`` generates the Python SDK (clients/python) from it. It builds the app on a throwaway
platform (fresh keys, embedded chain, SQLite) in a temporary directory, like the snapshot script.
"""

from __future__ import annotations

import asyncio
import json
import sys
import tempfile
from pathlib import Path
from typing import Any

from ece.app import create_app
from ece.config import Settings
from ece.core.migrate import upgrade
from ece.platform_init import init_platform


def openapi_document() -> dict[str, Any]:
    with tempfile.TemporaryDirectory() as tmp:
        url = f"sqlite+aiosqlite:///{tmp}/ece.db"
        upgrade(url)
        settings = Settings(env="test", data_dir=Path(tmp), database_url=url)
        asyncio.run(init_platform(settings))
        return create_app(settings).openapi()


if __name__ == "__main__":
    json.dump(openapi_document(), sys.stdout, indent=1, sort_keys=True)
    sys.stdout.write("\n")
