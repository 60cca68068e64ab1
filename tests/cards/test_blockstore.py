from __future__ import annotations

import asyncio
import hashlib
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from multiformats import CID

from ece.cards.blockstore import (
    MAX_BLOCK_SIZE,
    Blockstore,
    CorruptBlockError,
    LocalBlockstore,
    cid_for,
    parse_cid,
)

DOCUMENT = b'{"name":"Acme Legend","symbol":"ACME"}'


def make_store(tmp_path: Path) -> Blockstore:
    return LocalBlockstore(tmp_path / "blocks")


async def test_put_returns_the_cidv1_of_the_bytes_and_get_returns_them(tmp_path: Path) -> None:
    store = make_store(tmp_path)

    cid = await store.put(DOCUMENT)

    parsed = CID.decode(cid)
    assert cid.startswith("bafkrei")  # base32, CIDv1, raw, sha2-256
    assert (parsed.version, parsed.codec.code, parsed.hashfun.name) == (1, 0x55, "sha2-256")
    # The multihash inside the CID is 0x12 (sha2-256), 0x20 (32 bytes), then the digest.
    assert parsed.digest == bytes([0x12, 0x20]) + hashlib.sha256(DOCUMENT).digest()
    assert await store.get(cid) == DOCUMENT
    assert await store.has(cid)


def test_cid_matches_what_ipfs_computes_for_a_raw_leaf() -> None:
    # Known kubo vectors: `ipfs add --cid-version 1 --raw-leaves` of "hello" and of "".
    assert cid_for(b"hello") == "bafkreibm6jg3ux5qumhcn2b3flc3tyu6dmlb4xa7u5bf44yegnrjhc4yeq"
    assert cid_for(b"") == "bafkreihdwdcefgh4dqkjv67uzcmw7ojee6xedzdetojuzjevtenxquvyku"


async def test_unknown_cid_is_absent(tmp_path: Path) -> None:
    store = make_store(tmp_path)
    cid = cid_for(b"never stored")
    assert await store.get(cid) is None
    assert not await store.has(cid)


async def test_put_is_idempotent_and_leaves_no_temp_files(tmp_path: Path) -> None:
    store = make_store(tmp_path)
    first = await store.put(DOCUMENT)
    second = await store.put(DOCUMENT)
    assert first == second
    files = [p for p in (tmp_path / "blocks").rglob("*") if p.is_file()]
    assert [p.name for p in files] == [first]


async def test_same_block_is_found_under_another_multibase(tmp_path: Path) -> None:
    store = make_store(tmp_path)
    cid = await store.put(DOCUMENT)
    base58 = str(CID.decode(cid).set(base="base58btc"))
    assert base58 != cid
    assert await store.get(base58) == DOCUMENT


async def test_cid_of_another_codec_is_not_served(tmp_path: Path) -> None:
    # Same digest under the dag-pb codec names a different IPFS object, not these bytes.
    store = make_store(tmp_path)
    cid = await store.put(DOCUMENT)
    dag_pb = str(CID.decode(cid).set(codec="dag-pb"))
    assert await store.get(dag_pb) is None
    assert not await store.has(dag_pb)


@pytest.mark.parametrize(
    "text",
    [
        "",
        "hello",
        "bafkreibm6jg3ux5qumhcn2b3flc3tyu6dmlb4xa7u5bf44yegnrjhc4ye!",
        "bafkrei",
        "Qm123",
        " bafkreibm6jg3ux5qumhcn2b3flc3tyu6dmlb4xa7u5bf44yegnrjhc4yeq",
    ],
)
async def test_malformed_cids_are_rejected(tmp_path: Path, text: str) -> None:
    with pytest.raises(ValueError, match="not a valid CID"):
        parse_cid(text)
    store = make_store(tmp_path)
    with pytest.raises(ValueError, match="not a valid CID"):
        await store.get(text)


async def test_tampered_block_is_detected(tmp_path: Path) -> None:
    store = make_store(tmp_path)
    cid = await store.put(DOCUMENT)
    (stored,) = [p for p in (tmp_path / "blocks").rglob(cid)]
    stored.write_bytes(b"something else")
    with pytest.raises(CorruptBlockError):
        await store.get(cid)


async def test_blocks_larger_than_one_ipfs_chunk_are_refused(tmp_path: Path) -> None:
    store = make_store(tmp_path)
    with pytest.raises(ValueError, match="larger"):
        await store.put(b"x" * (MAX_BLOCK_SIZE + 1))
    assert await store.get(await store.put(b"x" * MAX_BLOCK_SIZE)) == b"x" * MAX_BLOCK_SIZE


@settings(max_examples=50)
@given(data=st.binary(max_size=2048))
def test_any_bytes_round_trip_through_their_cid(
    tmp_path_factory: pytest.TempPathFactory, data: bytes
) -> None:
    store = LocalBlockstore(tmp_path_factory.mktemp("blocks"))
    cid = asyncio.run(store.put(data))
    assert CID.decode(cid).raw_digest == hashlib.sha256(data).digest()
    assert asyncio.run(store.get(cid)) == data
