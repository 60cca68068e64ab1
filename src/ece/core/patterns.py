"""Text formats the API refuses by rule, as JSON Schema patterns, so that the OpenAPI document
says what a request must look like (generated clients and fuzzers read them) and the refusal is
the same 422 as every other invalid field. A pattern is the shape only: a well-shaped value can
still be refused for what it means (a cursor this server never issued, an unknown CID)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

_BASE58 = "1-9A-HJ-NP-Za-km-z"

# A Solana public key: 32 bytes in base58, 32 to 44 characters.
ADDRESS_PATTERN = rf"^[{_BASE58}]{{32,44}}$"
# An ed25519 signature: 64 bytes in base58, 64 to 88 characters.
SIGNATURE_PATTERN = rf"^[{_BASE58}]{{64,88}}$"
# Standard base64 (padded), any length; of 32 bytes; of 64 bytes.
BASE64_PATTERN = r"^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$"
BASE64_32_PATTERN = r"^[A-Za-z0-9+/]{42}[AEIMQUYcgkosw048]=$"
BASE64_64_PATTERN = r"^[A-Za-z0-9+/]{85}[AQgw]==$"
# A page cursor as the server issues it: unpadded base64url.
CURSOR_PATTERN = r"^[A-Za-z0-9_-]{1,512}$"
# A content identifier as ECE stores them: CIDv1 in base32, or a CIDv0 (base58, "Qm...").
CID_PATTERN = rf"^(b[a-z2-7]{{58,}}|Qm[{_BASE58}]{{44}})$"


def stated(pattern: str) -> dict[str, Any]:
    """``json_schema_extra`` that puts ``pattern`` in the OpenAPI document while the field keeps
    its own check, and so its stable problem ``code`` (``invalid_address``, ``invalid_cursor``,
    ``invalid_amount``, ``invalid_cid``) rather than a generic ``validation_error``."""
    return {"pattern": pattern}


CURSOR_DESCRIPTION = "`next_cursor` of the previous page, as given (any other value: 422)"


def shape(given: Sequence[str] = (), absent: Sequence[str] = (), **other: Any) -> dict[str, Any]:
    """A shape of a body, as JSON Schema: ``given`` fields present and not null, ``absent`` ones
    missing or null, ``other`` ones present and different from the value named."""
    properties: dict[str, Any] = {name: {"not": {"type": "null"}} for name in given}
    properties |= {name: {"type": "null"} for name in absent}
    properties |= {name: {"not": {"const": value}} for name, value in other.items()}
    return {"required": [*given, *other], "properties": properties}


def refused(*shapes: dict[str, Any]) -> dict[str, Any]:
    """``json_schema_extra`` for a body that must take none of ``shapes``: the rule between
    fields its validator enforces, stated in the OpenAPI document too (as ``not``, which
    generated clients leave out of their models' types)."""
    return {"not": {"anyOf": list(shapes)}}
