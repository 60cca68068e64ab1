"""The personal-data export as a zip of CSV files, for people who read it in a spreadsheet.

One ``<table>.csv`` per table of the JSON export, with the same rows: a header of the table's
columns, then one line per row. Empty cells are nulls; nested values (audit details, event
payloads) are compact JSON; booleans read ``true``/``false``; cells a spreadsheet would run
as a formula are quoted (``ece.core.csvcells``). ``manifest.json`` holds the export's header
(format, version, user id, how amounts are written) and each file's row count.
"""

from __future__ import annotations

import io
import json
import zipfile
from collections.abc import Mapping, Sequence
from typing import Any

from ece.core.csvcells import csv_line


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, dict | list):
        return json.dumps(value, separators=(",", ":"), sort_keys=True, default=str)
    return str(value)


def table_csv(rows: Sequence[Mapping[str, Any]]) -> str:
    """The rows as CSV text: the header names every column any row has, in first-seen order."""
    columns: dict[str, None] = {}
    for row in rows:
        columns.update(dict.fromkeys(row))
    lines = [csv_line(list(columns))]
    lines += [csv_line([_cell(row.get(c)) for c in columns]) for row in rows]
    return "".join(lines)


def export_zip(export: Mapping[str, Any]) -> bytes:
    """The zip archive of ``export`` (what ``service.export`` returns)."""
    tables: Mapping[str, Sequence[Mapping[str, Any]]] = export["tables"]
    manifest = {key: value for key, value in export.items() if key != "tables"}
    manifest["files"] = {f"{name}.csv": len(rows) for name, rows in tables.items()}
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("manifest.json", json.dumps(manifest, indent=2, sort_keys=True))
        for name, rows in tables.items():
            archive.writestr(f"{name}.csv", table_csv(rows))
    return buffer.getvalue()
