"""Reading a Token-2022 mint account back: base mint, metadata pointer and token metadata.

The layout is `nft`'s (solana-program/token-2022 `interface/src/extension/mod.rs`); the decoder
refuses anything that is not a well-formed mint.
"""

from __future__ import annotations

import struct
from dataclasses import dataclass

from solders.pubkey import Pubkey

from ece.chain.tokens.nft import (
    ACCOUNT_BASE_LEN,
    ACCOUNT_TYPE_MINT,
    EXTENSION_METADATA_POINTER,
    EXTENSION_TOKEN_METADATA,
    METADATA_POINTER_LEN,
    MINT_BASE_LEN,
    MULTISIG_LEN,
    TLV_HEADER_LEN,
)

_ZERO_KEY = bytes(32)


@dataclass(frozen=True, slots=True)
class MetadataPointer:
    authority: Pubkey | None
    metadata_address: Pubkey | None


@dataclass(frozen=True, slots=True)
class TokenMetadata:
    update_authority: Pubkey | None
    mint: Pubkey
    name: str
    symbol: str
    uri: str
    additional_metadata: tuple[tuple[str, str], ...]


@dataclass(frozen=True, slots=True)
class Token2022Mint:
    """What a Token-2022 mint account says about a card, decoded from its raw data."""

    mint_authority: Pubkey | None
    supply: int
    decimals: int
    is_initialized: bool
    freeze_authority: Pubkey | None
    extension_types: tuple[int, ...]
    metadata_pointer: MetadataPointer | None
    token_metadata: TokenMetadata | None


class _Reader:
    """Little-endian cursor over account bytes that fails loudly on truncation."""

    def __init__(self, data: bytes) -> None:
        self._data = data
        self._pos = 0

    def take(self, n: int) -> bytes:
        end = self._pos + n
        if end > len(self._data):
            raise ValueError("token metadata is truncated")
        chunk = self._data[self._pos : end]
        self._pos = end
        return chunk

    def u32(self) -> int:
        value: int = struct.unpack("<I", self.take(4))[0]
        return value

    def string(self) -> str:
        try:
            return self.take(self.u32()).decode("utf-8")
        except UnicodeDecodeError as exc:
            raise ValueError("token metadata string is not UTF-8") from exc

    def optional_nonzero_key(self) -> Pubkey | None:
        raw = self.take(32)
        return None if raw == _ZERO_KEY else Pubkey.from_bytes(raw)


def _coption_key(raw: bytes) -> Pubkey | None:
    # COption<Pubkey>: u32 tag (0 none, 1 some) then 32 bytes.
    tag = int.from_bytes(raw[:4], "little")
    if tag not in (0, 1):
        raise ValueError("invalid COption tag in mint")
    return Pubkey.from_bytes(raw[4:36]) if tag == 1 else None


def _decode_token_metadata(value: bytes) -> TokenMetadata:
    reader = _Reader(value)
    update_authority = reader.optional_nonzero_key()
    mint = Pubkey.from_bytes(reader.take(32))
    name, symbol, uri = reader.string(), reader.string(), reader.string()
    pairs = tuple((reader.string(), reader.string()) for _ in range(reader.u32()))
    return TokenMetadata(update_authority, mint, name, symbol, uri, pairs)


def _decode_extensions(
    data: bytes,
) -> tuple[list[int], MetadataPointer | None, TokenMetadata | None]:
    """The TLV area after a mint's base: extension types in order, pointer and metadata."""
    if len(data) <= ACCOUNT_BASE_LEN or len(data) == MULTISIG_LEN:
        raise ValueError("account data length is not a mint's")
    if any(data[MINT_BASE_LEN:ACCOUNT_BASE_LEN]):
        raise ValueError("mint padding is not zero")
    if data[ACCOUNT_BASE_LEN] != ACCOUNT_TYPE_MINT:
        raise ValueError("account type is not mint")
    extension_types: list[int] = []
    pointer: MetadataPointer | None = None
    metadata: TokenMetadata | None = None
    offset = ACCOUNT_BASE_LEN + 1
    # Entries run until the data ends or an Uninitialized (type 0) entry, as in Token-2022.
    while offset + TLV_HEADER_LEN <= len(data):
        ext_type, length = struct.unpack_from("<HH", data, offset)
        if ext_type == 0:
            break
        value = data[offset + TLV_HEADER_LEN : offset + TLV_HEADER_LEN + length]
        if len(value) != length:
            raise ValueError(f"extension {ext_type} is truncated")
        extension_types.append(ext_type)
        if ext_type == EXTENSION_METADATA_POINTER:
            if length != METADATA_POINTER_LEN:
                raise ValueError("metadata pointer has the wrong length")
            keys = _Reader(value)
            pointer = MetadataPointer(keys.optional_nonzero_key(), keys.optional_nonzero_key())
        elif ext_type == EXTENSION_TOKEN_METADATA:
            metadata = _decode_token_metadata(value)
        offset += TLV_HEADER_LEN + length
    return extension_types, pointer, metadata


def decode_token2022_mint(data: bytes) -> Token2022Mint:
    """Decode a Token-2022 mint account, including metadata pointer and token metadata.

    Raises ValueError if the bytes are not a well-formed mint.
    """
    if len(data) < MINT_BASE_LEN:
        raise ValueError("account data is shorter than a mint")
    mint_authority = _coption_key(data[0:36])
    supply, decimals, is_initialized = struct.unpack_from("<QB?", data, 36)
    freeze_authority = _coption_key(data[46:82])
    extension_types, pointer, metadata = (
        _decode_extensions(data) if len(data) > MINT_BASE_LEN else ([], None, None)
    )
    return Token2022Mint(
        mint_authority=mint_authority,
        supply=supply,
        decimals=decimals,
        is_initialized=is_initialized,
        freeze_authority=freeze_authority,
        extension_types=tuple(extension_types),
        metadata_pointer=pointer,
        token_metadata=metadata,
    )
