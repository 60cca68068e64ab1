"""CSV lines for exports that people open in spreadsheets.

A cell a spreadsheet would run as a formula (starting with ``= + - @``, a tab or a carriage
return) is prefixed with a quote (OWASP CSV injection); a plain decimal number such as a
negative gain ``-1.5`` is left as it is, since no spreadsheet runs it.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Sequence

_NUMBER = re.compile(r"-?[0-9]+(\.[0-9]+)?")


def safe_cell(cell: str) -> str:
    if cell[:1] in ("=", "+", "-", "@", "\t", "\r") and not _NUMBER.fullmatch(cell):
        return "'" + cell
    return cell


def csv_line(values: Sequence[str]) -> str:
    """One CRLF-terminated CSV line of formula-safe cells."""
    out = io.StringIO()
    csv.writer(out, lineterminator="\r\n").writerow([safe_cell(v) for v in values])
    return out.getvalue()
