"""`getProgramAccounts` / `programSubscribe` filters, as the validator reads them: up to four of
`{"dataSize": n}` and `{"memcmp": {"offset": n, "bytes": "...", "encoding": "base58"|"base64"}}`,
all of which an account must match."""

from __future__ import annotations

import base64
import binascii
from typing import Any

from ece.chain.b58 import b58decode
from ece.chain.embedded.rpc_encoding import Json
from ece.chain.embedded.rpc_errors import INVALID_PARAMS, RpcError

MAX_FILTERS = 4
MAX_MEMCMP_BYTES = 128
MAX_ENCODED_CHARS = {"base58": 175, "base64": 172}  # 128 bytes, as the validator bounds them


def _bad(reason: str) -> RpcError:
    return RpcError(INVALID_PARAMS, f"Invalid params: {reason}")


def _memcmp(spec: Json) -> dict[str, Any]:
    if not isinstance(spec, dict):
        raise _bad("memcmp must be an object")
    offset = spec.get("offset")
    if isinstance(offset, bool) or not isinstance(offset, int) or offset < 0:
        raise _bad("memcmp offset must be a non-negative integer")
    text = spec.get("bytes")
    encoding = spec.get("encoding") or "base58"
    if not isinstance(text, str):
        raise _bad("memcmp bytes must be a string")
    if len(text) > MAX_ENCODED_CHARS.get(str(encoding), 0):
        raise _bad("memcmp bytes too long (or unknown encoding)")
    try:
        if encoding == "base58":
            raw = b58decode(text)
        elif encoding == "base64":
            raw = base64.b64decode(text, validate=True)
        else:
            raise _bad(f"unknown memcmp encoding {encoding!r}")
    except (binascii.Error, ValueError) as exc:
        raise _bad(f"invalid memcmp bytes: {exc}") from exc
    if len(raw) > MAX_MEMCMP_BYTES:
        raise _bad("encoded binary data should be less than 129 bytes")
    return {"memcmp": (offset, raw)}


def account_filters(value: Json) -> list[dict[str, Any]]:
    """The filters of a request, checked; each is {"dataSize": n} or {"memcmp": (offset, bytes)}."""
    if value is None:
        return []
    if not isinstance(value, list):
        raise _bad("filters must be a list")
    if len(value) > MAX_FILTERS:
        raise _bad(f"too many filters provided; max {MAX_FILTERS}")
    parsed: list[dict[str, Any]] = []
    for item in value:
        if not isinstance(item, dict) or len(item) != 1:
            raise _bad('each filter is {"dataSize": n} or {"memcmp": {...}}')
        if "dataSize" in item:
            size = item["dataSize"]
            if isinstance(size, bool) or not isinstance(size, int) or size < 0:
                raise _bad("dataSize must be a non-negative integer")
            parsed.append({"dataSize": size})
        elif "memcmp" in item:
            parsed.append(_memcmp(item["memcmp"]))
        else:
            raise _bad(f"unsupported filter {next(iter(item))!r}")
    return parsed


def matches_filters(data: bytes, filters: list[dict[str, Any]]) -> bool:
    for spec in filters:
        if "dataSize" in spec and len(data) != spec["dataSize"]:
            return False
        if "memcmp" in spec:
            offset, raw = spec["memcmp"]
            if data[offset : offset + len(raw)] != raw:
                return False
    return True
