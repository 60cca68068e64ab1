"""Personal data at rest: AES-256-GCM, one random 96-bit nonce per value, the key's id stored
beside each value so keys rotate value by value. The associated data binds a ciphertext to its
user and field: a value copied into another row or field does not open."""

from __future__ import annotations

import base64
import os
from dataclasses import dataclass
from pathlib import Path

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from ece.config import Settings, parse_key_entries
from ece.core.errors import DomainError, ServiceUnavailable

NONCE_BYTES = 12
KEY_FILE = "kyc-keys"


class PersonalDataUnreadable(DomainError):
    """A stored value does not open: changed, moved from another row, or its key is gone.
    The problem names the field and key id, never a value or a key."""

    status = 500
    code = "personal_data_unreadable"


def associated_data(user_id: str, field: str) -> bytes:
    return f"ece.kyc.v1:{user_id}:{field}".encode()


@dataclass(frozen=True)
class KeyRing:
    keys: dict[str, bytes]
    active: str

    def __repr__(self) -> str:  # never a key in a log line or traceback
        return f"KeyRing(ids={sorted(self.keys)}, active={self.active!r})"

    def seal(self, plaintext: str, aad: bytes) -> tuple[str, bytes]:
        """(key id, nonce + ciphertext) of ``plaintext`` under the active key."""
        nonce = os.urandom(NONCE_BYTES)
        sealed = AESGCM(self.keys[self.active]).encrypt(nonce, plaintext.encode(), aad)
        return self.active, nonce + sealed

    def open(self, key_id: str, blob: bytes, aad: bytes, field: str) -> str:
        key = self.keys.get(key_id)
        if key is None:
            raise PersonalDataUnreadable(
                f"{field}: sealed with key {key_id!r}, which is not configured (ECE_KYC_KEYS).",
                field=field,
            )
        try:
            plain = AESGCM(key).decrypt(blob[:NONCE_BYTES], blob[NONCE_BYTES:], aad)
        except InvalidTag as exc:
            raise PersonalDataUnreadable(
                f"{field}: the stored value does not authenticate (changed, or moved from "
                "another record).",
                field=field,
            ) from exc
        return plain.decode()


def key_file(settings: Settings) -> Path:
    return settings.resolved_keys_dir / KEY_FILE


def keyring(settings: Settings) -> KeyRing:
    """The keys of ECE_KYC_KEYS, or outside production those of ``keys/kyc-keys``. 503
    ``kyc_keys_missing`` when there are none."""
    entries = settings.kyc_key_entries()
    path = key_file(settings)
    if not entries and not settings.is_deployed and path.exists():
        entries = parse_key_entries(path.read_text(), str(path))
    if not entries:
        raise ServiceUnavailable(
            "No KYC keys: set ECE_KYC_KEYS (or run `ece init` for a development key).",
            code="kyc_keys_missing",
        )
    active = settings.kyc_active_key or list(entries)[-1]
    if active not in entries:
        raise ServiceUnavailable("ECE_KYC_ACTIVE_KEY names no configured key.", code="kyc_keys")
    return KeyRing(entries, active)


def create_development_key(settings: Settings) -> list[str]:
    """Outside production, without ECE_KYC_KEYS: a random key in ``keys/kyc-keys`` (mode 600)
    if there is none yet. Returns the file names created."""
    path = key_file(settings)
    if settings.is_deployed or settings.kyc_keys is not None or path.exists():
        return []
    path.parent.mkdir(parents=True, exist_ok=True)
    key_id = "dev-" + os.urandom(4).hex()
    line = f"{key_id}:{base64.b64encode(AESGCM.generate_key(bit_length=256)).decode()}\n"
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w") as handle:
        handle.write(line)
    return [KEY_FILE]
