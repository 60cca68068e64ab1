"""JSON-RPC methods about blocks: getBlock, getBlockTime, getBlocks, getBlocksWithLimit,
getFirstAvailableBlock and getTransactionCount.

The embedded chain makes one block per slot (none is ever skipped) from its genesis slot, so every
slot from there to the current one has a block: the transactions that landed in it, often none.
A block's hash is derived from the genesis hash and the slot (LiteSVM keeps no per-slot hashes),
so it is stable and `previousBlockhash` is the parent's.
"""

from __future__ import annotations

import hashlib

from solders.hash import Hash

from ece.chain.embedded.litesvm import LiteSvmChain
from ece.chain.embedded.rpc_encoding import EncodingError, Json, encoded_transaction, parsed_keys
from ece.chain.embedded.rpc_errors import (
    BLOCK_NOT_AVAILABLE,
    INVALID_PARAMS,
    SLOT_SKIPPED,
    UNSUPPORTED_TRANSACTION_VERSION,
    RpcError,
)
from ece.chain.embedded.rpc_params import Handler, nonnegative_int, options, param
from ece.chain.embedded.transactions import LandedTransaction

MAX_SLOT_RANGE = 500_000
DETAILS = ("full", "accounts", "signatures", "none")


def block_hash(chain: LiteSvmChain, slot: int) -> str:
    return str(
        Hash(hashlib.sha256(bytes(chain.genesis_hash) + slot.to_bytes(8, "little")).digest())
    )


def _available_slot(chain: LiteSvmChain, value: Json) -> int:
    slot = nonnegative_int(value, "slot")
    if slot > chain.slot:
        raise RpcError(BLOCK_NOT_AVAILABLE, f"Block not available for slot {slot}")
    if slot < chain.genesis_slot:
        raise RpcError(SLOT_SKIPPED, f"Slot {slot} was skipped, or missing in long-term storage")
    return slot


async def _get_block(chain: LiteSvmChain, params: list[Json]) -> Json:
    slot = _available_slot(chain, param(params, 0))
    raw_config = params[1] if len(params) > 1 else None
    config = {"encoding": raw_config} if isinstance(raw_config, str) else options(params, 1)
    encoding = config.get("encoding") or "json"
    details = config.get("transactionDetails") or "full"
    if details not in DETAILS:
        raise RpcError(INVALID_PARAMS, f"Invalid params: unknown transactionDetails {details!r}")
    raw_version = config.get("maxSupportedTransactionVersion")
    max_version = None if raw_version is None else nonnegative_int(raw_version, "version")
    landed = chain.transactions_in_slot(slot)
    block: dict[str, Json] = {
        "blockHeight": slot,
        "blockTime": chain.block_time(slot),
        "blockhash": block_hash(chain, slot),
        "parentSlot": max(slot - 1, chain.genesis_slot),
        "previousBlockhash": block_hash(chain, max(slot - 1, chain.genesis_slot)),
    }
    for tx in landed if details in ("full", "accounts") else []:
        version = tx.transaction.version()
        if isinstance(version, int) and (max_version is None or version > max_version):
            raise RpcError(
                UNSUPPORTED_TRANSACTION_VERSION,
                f"Transaction version ({version}) is not supported by the requesting client. "
                "Please try the request again with the following configuration parameter: "
                f'"maxSupportedTransactionVersion": {version}',
            )
    try:
        if details == "full":
            entries = [encoded_transaction(tx, encoding, max_version) for tx in landed]
            for entry in entries:
                entry.pop("slot", None)
                entry.pop("blockTime", None)
            block["transactions"] = entries
        elif details == "accounts":
            block["transactions"] = [_accounts_entry(tx, max_version) for tx in landed]
        elif details == "signatures":
            block["signatures"] = [str(tx.signature) for tx in landed]
    except EncodingError as exc:
        raise RpcError(INVALID_PARAMS, str(exc)) from exc
    if config.get("rewards", True):
        block["rewards"] = []
    return block


def _accounts_entry(tx: LandedTransaction, max_version: int | None) -> dict[str, Json]:
    full = encoded_transaction(tx, "json", max_version)
    meta = full["meta"]
    entry: dict[str, Json] = {
        "meta": {
            key: meta[key]
            for key in (
                "err",
                "fee",
                "postBalances",
                "postTokenBalances",
                "preBalances",
                "preTokenBalances",
                "status",
            )
        },
        "transaction": {
            "accountKeys": parsed_keys(tx),
            "signatures": [str(sig) for sig in tx.transaction.signatures],
        },
    }
    if "version" in full:
        entry["version"] = full["version"]
    return entry


async def _get_block_time(chain: LiteSvmChain, params: list[Json]) -> Json:
    return chain.block_time(_available_slot(chain, param(params, 0)))


def _slot_range(chain: LiteSvmChain, start: int, end: int) -> list[int]:
    if end - start > MAX_SLOT_RANGE:
        raise RpcError(INVALID_PARAMS, f"Slot range too large; max {MAX_SLOT_RANGE}")
    return list(range(max(start, chain.genesis_slot), end + 1))


async def _get_blocks(chain: LiteSvmChain, params: list[Json]) -> Json:
    start = nonnegative_int(param(params, 0), "start slot")
    end_param = params[1] if len(params) > 1 and not isinstance(params[1], dict) else None
    end = (
        chain.slot if end_param is None else min(nonnegative_int(end_param, "end slot"), chain.slot)
    )
    return _slot_range(chain, start, end) if end >= start else []


async def _get_blocks_with_limit(chain: LiteSvmChain, params: list[Json]) -> Json:
    start = nonnegative_int(param(params, 0), "start slot")
    limit = nonnegative_int(param(params, 1), "limit")
    if limit > MAX_SLOT_RANGE:
        raise RpcError(INVALID_PARAMS, f"Limit too large; max {MAX_SLOT_RANGE}")
    end = min(start + limit - 1, chain.slot)
    return _slot_range(chain, start, end) if limit and end >= start else []


async def _get_first_available_block(chain: LiteSvmChain, params: list[Json]) -> Json:
    return chain.genesis_slot


async def _get_transaction_count(chain: LiteSvmChain, params: list[Json]) -> Json:
    return chain.transaction_count()


METHODS: dict[str, Handler] = {
    "getBlock": _get_block,
    "getBlockTime": _get_block_time,
    "getBlocks": _get_blocks,
    "getBlocksWithLimit": _get_blocks_with_limit,
    "getFirstAvailableBlock": _get_first_available_block,
    "getTransactionCount": _get_transaction_count,
}
