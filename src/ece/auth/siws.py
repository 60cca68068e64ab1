"""Sign-In With Solana messages (CAIP-122 text form, as wallets display them)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from solders.pubkey import Pubkey
from solders.signature import Signature

HEADER_SUFFIX = " wants you to sign in with your Solana account:"
STATEMENT = "Sign in to ECE, the Elite Card Exchange."


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
                f"Issued At: {_iso(self.issued_at)}",
                f"Expiration Time: {_iso(self.expiration_time)}",
            ]
        )


def _iso(value: datetime) -> str:
    return value.isoformat(timespec="milliseconds").replace("+00:00", "Z")


class MalformedMessage(ValueError):
    pass


def parse(text: str) -> SiwsMessage:
    """Parse the exact layout ``SiwsMessage.text`` writes; anything else is malformed."""
    lines = text.split("\n")
    if len(lines) != 11 or not lines[0].endswith(HEADER_SUFFIX) or lines[2] or lines[4]:
        raise MalformedMessage("not a sign-in message")
    fields: dict[str, str] = {}
    for line in lines[5:]:
        name, sep, value = line.partition(": ")
        if not sep:
            raise MalformedMessage(f"bad field line: {line!r}")
        fields[name] = value
    expected = ["URI", "Version", "Chain ID", "Nonce", "Issued At", "Expiration Time"]
    if list(fields) != expected:
        raise MalformedMessage("fields missing or out of order")
    try:
        issued = datetime.fromisoformat(fields["Issued At"])
        expires = datetime.fromisoformat(fields["Expiration Time"])
    except ValueError as exc:
        raise MalformedMessage("bad timestamp") from exc
    return SiwsMessage(
        domain=lines[0][: -len(HEADER_SUFFIX)],
        address=lines[1],
        statement=lines[3],
        uri=fields["URI"],
        version=fields["Version"],
        chain_id=fields["Chain ID"],
        nonce=fields["Nonce"],
        issued_at=issued,
        expiration_time=expires,
    )


def parse_pubkey(text: str) -> Pubkey:
    """A base58 ed25519 public key, 32 bytes; ValueError otherwise."""
    if not 32 <= len(text) <= 44:
        raise ValueError("a Solana address is 32 to 44 base58 characters")
    try:
        return Pubkey.from_string(text)
    except ValueError as exc:
        raise ValueError("not a valid base58 Solana address") from exc


def verify_signature(address: str, message: str, signature_b58: str) -> bool:
    try:
        signature = Signature.from_string(signature_b58)
        pubkey = parse_pubkey(address)
    except ValueError:
        return False
    return signature.verify(pubkey, message.encode("utf-8"))
