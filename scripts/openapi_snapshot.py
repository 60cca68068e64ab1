"""Write the OpenAPI contract snapshot that tests/core/test_openapi_snapshot.py compares against.

Run it only when a change to the public API is intended, and commit the snapshot with the change:
``.venv/bin/python scripts/openapi_snapshot.py``. It builds the app on a throwaway platform
(fresh keys, embedded chain, SQLite) in a temporary directory.
"""

from __future__ import annotations

import asyncio
import json
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.core.test_openapi_snapshot import SNAPSHOT, current_shape  # noqa: E402

from ece.app import create_app  # noqa: E402
from ece.config import Settings  # noqa: E402
from ece.core.migrate import upgrade  # noqa: E402
from ece.platform_init import init_platform  # noqa: E402

if __name__ == "__main__":
    with tempfile.TemporaryDirectory() as tmp:
        url = f"sqlite+aiosqlite:///{tmp}/ece.db"
        upgrade(url)
        settings = Settings(env="test", data_dir=Path(tmp), database_url=url)
        asyncio.run(init_platform(settings))
        app = create_app(settings)
        SNAPSHOT.write_text(json.dumps(current_shape(app), indent=1, sort_keys=True) + "\n")
    print(f"wrote {SNAPSHOT.relative_to(ROOT)}")
