"""Deny-list rules, without I/O: what an address is, and how a published list file reads."""

from __future__ import annotations

import csv
import hashlib
import io
from collections.abc import Sequence
from dataclasses import dataclass

from solders.pubkey import Pubkey

from ece.core.errors import Unprocessable

ADDRESS_COLUMN = "address"


def valid_address(text: str) -> str | None:
    """``text`` as a canonical base58 Solana public key, or None."""
    candidate = text.strip()
    if not 32 <= len(candidate) <= 44:
        return None
    try:
        key = Pubkey.from_string(candidate)
    except ValueError:
        return None
    return str(key) if str(key) == candidate else None


def parse_address(text: str) -> str:
    """A deny-list address typed by an officer, exactly (surrounding spaces are refused, not
    trimmed: what was typed is what gets listed), or 422 ``invalid_address``."""
    address = valid_address(text) if text == text.strip() else None
    if address is None:
        raise Unprocessable("address: not a base58 Solana public key.", code="invalid_address")
    return address


@dataclass(frozen=True, slots=True)
class ParsedList:
    addresses: tuple[str, ...]  # valid, unique, in file order
    invalid: int  # lines (rows) that held something other than an address
    duplicates: int  # valid addresses repeated in the file


def _lines(text: str) -> list[str]:
    """The address cells of a file: one address a line, or a CSV whose header names an
    ``address`` column (any case); blank lines and ``#`` comments are skipped."""
    rows = [
        line for line in text.splitlines() if line.strip() and not line.lstrip().startswith("#")
    ]
    if not rows:
        return []
    header = next(csv.reader([rows[0]]))
    names = [name.strip().lower() for name in header]
    if ADDRESS_COLUMN in names:
        index = names.index(ADDRESS_COLUMN)
        body = csv.reader(io.StringIO("\n".join(rows[1:])))
        return [row[index] if index < len(row) else "" for row in body]
    return rows


def digest(addresses: Sequence[str]) -> str:
    """SHA-256 of addresses one a line (in the order given): what an import's audit entry
    records of the set it added."""
    return hashlib.sha256("\n".join(addresses).encode()).hexdigest()


def parse_list(text: str) -> ParsedList:
    """The addresses of a published deny list, with counts of what was not one."""
    seen: dict[str, None] = {}
    invalid = duplicates = 0
    for cell in _lines(text):
        address = valid_address(cell)
        if address is None:
            invalid += 1
        elif address in seen:
            duplicates += 1
        else:
            seen[address] = None
    return ParsedList(tuple(seen), invalid, duplicates)
