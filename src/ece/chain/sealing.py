"""Platform key files encrypted at rest: AES-256-GCM under a key derived from ``ECE_SECRET_KEY``.

A sealed key file is a small JSON document (never the Solana CLI's plain byte array): the
keypair's 64 bytes encrypted with AES-256-GCM, under a key derived by HKDF-SHA256 from the
secret with a random salt per file, the file's name as associated data (a sealed file copied
over another name does not open) and its public key in clear (so operators can tell files
apart without the secret). ``KeySealing`` is the local key provider; a KMS or HSM provider
would wrap and unwrap the same 64 bytes behind the same two methods.
"""

from __future__ import annotations

import base64
import json
import os
from dataclasses import dataclass

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from solders.keypair import Keypair

FORMAT = "ece-sealed-key-v1"
_INFO = b"ece platform key file v1"


class UnsealError(ValueError):
    """The file is sealed under another secret, or was altered."""


def is_sealed(text: str) -> bool:
    return text.lstrip().startswith("{") and f'"{FORMAT}"' in text


def _derive(secret: str, salt: bytes) -> bytes:
    return HKDF(algorithm=hashes.SHA256(), length=32, salt=salt, info=_INFO).derive(secret.encode())


@dataclass(frozen=True, slots=True)
class KeySealing:
    """Seals key files under ``secret``; with ``refuse_plain`` (production) a plain keypair
    file is refused instead of read."""

    secret: str
    refuse_plain: bool = False

    def seal(self, keypair: Keypair, name: str) -> str:
        salt, nonce = os.urandom(16), os.urandom(12)
        sealed = AESGCM(_derive(self.secret, salt)).encrypt(
            nonce, bytes(keypair), b"ece-key:" + name.encode()
        )
        return json.dumps(
            {
                "format": FORMAT,
                "cipher": "AES-256-GCM",
                "kdf": "HKDF-SHA256",
                "public_key": str(keypair.pubkey()),
                "salt": base64.b64encode(salt).decode(),
                "nonce": base64.b64encode(nonce).decode(),
                "ciphertext": base64.b64encode(sealed).decode(),
            }
        )

    def unseal(self, text: str, name: str) -> Keypair:
        document = json.loads(text)
        if document.get("format") != FORMAT:
            raise ValueError("not a sealed key file")
        salt = base64.b64decode(document["salt"])
        nonce = base64.b64decode(document["nonce"])
        try:
            raw = AESGCM(_derive(self.secret, salt)).decrypt(
                nonce, base64.b64decode(document["ciphertext"]), b"ece-key:" + name.encode()
            )
        except InvalidTag:
            raise UnsealError("sealed under another ECE_SECRET_KEY, or altered") from None
        return Keypair.from_bytes(raw)
