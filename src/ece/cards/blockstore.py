"""Content-addressed storage for card metadata and artwork, addressed by IPFS CIDv1.

Blocks are stored as CIDv1, codec `raw` (0x55), sha2-256, base32 ("bafkrei..."). That is the
CID `ipfs add --cid-version 1 --raw-leaves` gives any file that fits one chunk, JSON included:
IPFS stores a file's bytes as-is and never tags it with the `json` codec, which is only
produced by the DAG APIs. So a document put here can later be pinned on a real IPFS node or
gateway and keep its URI.
"""

from __future__ import annotations

import asyncio
import os
import re
import tempfile
from pathlib import Path
from typing import Final, Protocol

from multiformats import CID, multihash

RAW_CODEC: Final = "raw"
HASH_FUNCTION: Final = "sha2-256"
# kubo's default chunker splits files at 256 KiB; anything bigger becomes a dag-pb tree with a
# different root CID, so refusing it keeps our CIDs equal to what `ipfs add` would compute.
MAX_BLOCK_SIZE: Final = 256 * 1024
# A sha2-256 CIDv1 is 59 characters in base32; 128 leaves room for other bases and hashes.
# Multibase alphabets are ASCII letters and digits (plus '-' and '_' for base64url).
_CID_TEXT = re.compile(r"[A-Za-z0-9_-]{2,128}")


class CorruptBlockError(Exception):
    """A stored block no longer hashes to its CID (disk damage or tampering)."""


def parse_cid(text: str) -> CID:
    """Parse a CID string; raise ValueError with a clear message if it is not one."""
    if not _CID_TEXT.fullmatch(text):
        raise ValueError("not a valid CID: wrong length or characters")
    try:
        return CID.decode(text)
    except (ValueError, KeyError, TypeError, IndexError) as exc:
        # multiformats raises several error kinds (unknown multibase, bad alphabet, a prefix
        # with nothing after it...).
        raise ValueError(f"not a valid CID: {text!r}") from exc


def cid_for(data: bytes) -> str:
    """The CIDv1 (raw, sha2-256, base32) of a block's bytes."""
    return str(CID("base32", 1, RAW_CODEC, multihash.digest(data, HASH_FUNCTION)))


class Blockstore(Protocol):
    async def put(self, data: bytes) -> str: ...

    async def get(self, cid: str) -> bytes | None: ...

    async def has(self, cid: str) -> bool: ...


class LocalBlockstore:
    """Blocks as files under `root`, fanned out by two CID characters to keep dirs small."""

    def __init__(self, root: Path) -> None:
        self._root = root

    def _block_path(self, key: str) -> Path:
        return self._root / key[-3:-1] / key

    def _path(self, cid: str) -> Path | None:
        parsed = parse_cid(cid)
        if parsed.codec.name != RAW_CODEC or parsed.hashfun.name != HASH_FUNCTION:
            return None  # never stored here; only raw sha2-256 blocks are
        # Normalise so the same block is found whatever multibase the caller used.
        return self._block_path(str(parsed.set(base="base32")))

    async def put(self, data: bytes) -> str:
        if len(data) > MAX_BLOCK_SIZE:
            raise ValueError(f"block is larger than {MAX_BLOCK_SIZE} bytes")
        cid = cid_for(data)
        await asyncio.to_thread(_write_atomically, self._block_path(cid), data)
        return cid

    async def get(self, cid: str) -> bytes | None:
        path = self._path(cid)
        if path is None:
            return None
        data = await asyncio.to_thread(_read_if_present, path)
        if data is not None and cid_for(data) != path.name:
            raise CorruptBlockError(f"block {path.name} does not match its content")
        return data

    async def has(self, cid: str) -> bool:
        path = self._path(cid)
        return path is not None and await asyncio.to_thread(path.is_file)


def _write_atomically(path: Path, data: bytes) -> None:
    if path.is_file():
        return  # content-addressed: an existing block already holds these exact bytes
    path.parent.mkdir(parents=True, exist_ok=True)
    # Write beside the target then rename, so a reader never sees a partial block.
    fd, tmp_name = tempfile.mkstemp(dir=path.parent, prefix=".tmp-")
    try:
        with os.fdopen(fd, "wb") as tmp:
            tmp.write(data)
            tmp.flush()
            os.fsync(tmp.fileno())
        os.replace(tmp_name, path)
    except BaseException:
        Path(tmp_name).unlink(missing_ok=True)
        raise


def _read_if_present(path: Path) -> bytes | None:
    try:
        return path.read_bytes()
    except FileNotFoundError:
        return None
