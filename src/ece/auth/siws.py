"""Sign-In With Solana: the messages we issue (CAIP-122 text form, as wallets display them), the
Wallet Standard ``SolanaSignInInput`` that lets a wallet write the message itself, and the
reading of whatever message a wallet signed back.

A wallet's ``solana:signIn`` may add optional fields (``Request ID``, ``Resources``, ``Not
Before``) and may write a timestamp in another RFC 3339 form (no milliseconds, an offset for
``Z``): the message is read field by field, and the rules compare what it states with what was
issued, never its bytes.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime

from solders.pubkey import Pubkey
from solders.signature import Signature

HEADER_SUFFIX = " wants you to sign in with your Solana account:"
STATEMENT = "Sign in to ECE, the Elite Card Exchange."
VERSION = "1"


def iso(value: datetime) -> str:
    """How we write a timestamp: UTC, to the millisecond, with ``Z``."""
    return value.isoformat(timespec="milliseconds").replace("+00:00", "Z")


@dataclass(frozen=True)
class SiwsMessage:
    domain: str
    address: str
    statement: str
    uri: str
    version: str
    chain_id: str
    nonce: str
    issued_at: datetime
    expiration_time: datetime

    def text(self) -> str:
        return "\n".join(
            [
                f"{self.domain}{HEADER_SUFFIX}",
                self.address,
                "",
                self.statement,
                "",
                f"URI: {self.uri}",
                f"Version: {self.version}",
                f"Chain ID: {self.chain_id}",
                f"Nonce: {self.nonce}",
                f"Issued At: {iso(self.issued_at)}",
                f"Expiration Time: {iso(self.expiration_time)}",
            ]
        )

    def sign_in_input(self, *, with_address: bool) -> dict[str, str]:
        """The Wallet Standard ``SolanaSignInInput`` whose message is ``text()`` (camelCase keys;
        absent fields are left out, never null: wallets compare them with ``!==``)."""
        fields = {
            "domain": self.domain,
            "address": self.address,
            "statement": self.statement,
            "uri": self.uri,
            "version": self.version,
            "chainId": self.chain_id,
            "nonce": self.nonce,
            "issuedAt": iso(self.issued_at),
            "expirationTime": iso(self.expiration_time),
        }
        if not with_address:
            del fields["address"]
        return fields


class MalformedMessage(ValueError):
    pass


@dataclass(frozen=True)
class StatedFields:
    """What a signed sign-in message states; every field after the address is optional."""

    domain: str
    address: str
    statement: str | None = None
    uri: str | None = None
    version: str | None = None
    chain_id: str | None = None
    nonce: str | None = None
    issued_at: str | None = None
    expiration_time: str | None = None
    not_before: str | None = None
    request_id: str | None = None
    resources: tuple[str, ...] | None = None


# The fields of the SIWS/CAIP-122 grammar, in the only order it allows them.
_FIELDS = (
    ("URI", "uri"),
    ("Version", "version"),
    ("Chain ID", "chain_id"),
    ("Nonce", "nonce"),
    ("Issued At", "issued_at"),
    ("Expiration Time", "expiration_time"),
    ("Not Before", "not_before"),
    ("Request ID", "request_id"),
)
_FIELD_NAMES = (*(f"{name}: " for name, _ in _FIELDS), "Resources:")


def parse(text: str) -> StatedFields:
    """Read a sign-in message in the SIWS grammar; anything else is malformed."""
    lines = text.split("\n")
    while len(lines) > 2 and lines[-1] == "":
        lines.pop()  # trailing line breaks are allowed
    if len(lines) < 2 or not lines[0].endswith(HEADER_SUFFIX):
        raise MalformedMessage("not a sign-in message")
    domain, address = lines[0][: -len(HEADER_SUFFIX)], lines[1]
    if not domain or not address:
        raise MalformedMessage("no domain or no address")
    rest = lines[2:]
    statement: str | None = None
    if rest:
        if rest[0] != "" or len(rest) < 2:
            raise MalformedMessage("a blank line must follow the address")
        rest = rest[1:]
        if not rest[0].startswith(_FIELD_NAMES):
            statement, rest = rest[0], rest[1:]
            if rest and (rest[0] != "" or len(rest) < 2):
                raise MalformedMessage("a blank line must follow the statement")
            rest = rest[1:]
    values, resources = _fields(rest)
    return StatedFields(domain, address, statement, **values, resources=resources)


def _fields(lines: list[str]) -> tuple[dict[str, str], tuple[str, ...] | None]:
    values: dict[str, str] = {}
    position = 0
    for name, key in _FIELDS:
        if position < len(lines) and lines[position].startswith(f"{name}: "):
            value = lines[position][len(name) + 2 :]
            if not value:
                raise MalformedMessage(f"{name} is empty")
            values[key] = value
            position += 1
    resources: tuple[str, ...] | None = None
    if position < len(lines) and lines[position] == "Resources:":
        items = lines[position + 1 :]
        if not all(item.startswith("- ") and len(item) > 2 for item in items):
            raise MalformedMessage("bad resource line")
        resources = tuple(item[2:] for item in items)
        position = len(lines)
    if position != len(lines):
        raise MalformedMessage(f"unexpected line: {lines[position][:40]!r}")
    return values, resources


_RFC3339 = re.compile(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,9})?(Z|[+-]\d{2}:\d{2})")


def parse_time(text: str) -> tuple[datetime, bool] | None:
    """An RFC 3339 date-time with its offset, and whether it has fractional seconds; None if
    the text is not one."""
    match = _RFC3339.fullmatch(text)
    if match is None:
        return None
    try:
        return datetime.fromisoformat(text), match.group(1) is not None
    except ValueError:
        return None


def parse_pubkey(text: str) -> Pubkey:
    """A base58 ed25519 public key, 32 bytes; ValueError otherwise."""
    if not 32 <= len(text) <= 44:
        raise ValueError("a Solana address is 32 to 44 base58 characters")
    try:
        return Pubkey.from_string(text)
    except ValueError as exc:
        raise ValueError("not a valid base58 Solana address") from exc


def verify_signature(address: str, signed: bytes, signature: bytes) -> bool:
    """``signature`` is the ed25519 signature of ``signed`` by the key ``address`` names."""
    try:
        pubkey = parse_pubkey(address)
        parsed = Signature.from_bytes(signature)
    except ValueError:
        return False
    return parsed.verify(pubkey, signed)


def base58_signature(text: str) -> bytes:
    """The bytes of a base58 signature; empty (never valid) when the text is not one."""
    try:
        return bytes(Signature.from_string(text))
    except ValueError:
        return b""


def base58_of(key: bytes) -> str:
    """The base58 address of a 32-byte public key."""
    return str(Pubkey.from_bytes(key))
