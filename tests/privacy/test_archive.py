"""The zip export's CSV cells: nulls, nested values, booleans and formula-looking text."""

from __future__ import annotations

import csv
import io

from ece.privacy.archive import table_csv


def test_cells_are_plain_text_a_spreadsheet_never_runs() -> None:
    text = table_csv(
        [
            {"id": "a", "name": '=HYPERLINK("x")', "amount": -15, "ok": True, "note": None},
            {"id": "b", "details": {"z": 1, "a": [1, 2]}},
        ]
    )
    rows = list(csv.reader(io.StringIO(text)))
    assert rows[0] == ["id", "name", "amount", "ok", "note", "details"]
    assert rows[1] == ["a", '\'=HYPERLINK("x")', "-15", "true", "", ""]
    assert rows[2] == ["b", "", "", "", "", '{"a":[1,2],"z":1}']
