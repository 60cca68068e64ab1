"""The public API's contract (paths, parameters, schemas) matches the committed snapshot.

Refactoring must not change what clients see; documentation text may change freely. When a change
to the contract is intended, regenerate with ``.venv/bin/python scripts/openapi_snapshot.py`` and
commit the snapshot with it.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from fastapi import FastAPI

from ece.core.openapi_shape import shape

SNAPSHOT = Path(__file__).parent / "snapshots" / "openapi.json"


def current_shape(app: FastAPI) -> Any:
    """The contract of the app as built from the code."""
    return json.loads(json.dumps(shape(app.openapi()), sort_keys=True))


def test_openapi_contract_matches_the_snapshot(app: FastAPI) -> None:
    expected = json.loads(SNAPSHOT.read_text())
    actual = current_shape(app)
    assert sorted(actual["paths"]) == sorted(expected["paths"])
    for path, operations in expected["paths"].items():
        assert actual["paths"][path] == operations, path
    assert sorted(actual["components"]["schemas"]) == sorted(expected["components"]["schemas"])
    assert actual == expected


def test_shape_strips_prose_but_keeps_a_property_named_description() -> None:
    doc = {
        "summary": "Buy a card",
        "description": "Long text",
        "properties": {"description": {"type": "string", "description": "Company blurb"}},
        "examples": [{"a": 1}],
    }
    assert shape(doc) == {"properties": {"description": {"type": "string"}}}
