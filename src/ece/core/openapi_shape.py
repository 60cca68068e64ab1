"""The shape of the OpenAPI document without its documentation text.

Paths, methods, parameters, request and response schemas are the public contract; summaries,
descriptions and examples are prose that may be reworded. ``shape`` strips the prose so that a
committed snapshot (``tests/core/snapshots/openapi.json``, written by
``python scripts/openapi_snapshot.py``) shows any change to the contract in review.
"""

from __future__ import annotations

from typing import Any

PROSE_KEYS = frozenset({"description", "summary", "example", "examples"})


def shape(node: Any) -> Any:
    """The document with every prose key removed, recursively; dict keys keep their order."""
    if isinstance(node, dict):
        return {
            key: shape(value)
            for key, value in node.items()
            # A property *named* "description" is part of the contract: only strip prose strings
            # and example values, never a schema under "properties".
            if not ((key in PROSE_KEYS and not isinstance(value, dict)) or key == "examples")
        }
    if isinstance(node, list):
        return [shape(value) for value in node]
    return node
