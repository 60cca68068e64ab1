"""JSON-RPC methods about the node itself: health, version, slots, blockhashes and fees."""

from __future__ import annotations

from solders.hash import Hash
from solders.message import from_bytes_versioned

from ece.chain.embedded.litesvm import LiteSvmChain
from ece.chain.embedded.rpc_encoding import Json
from ece.chain.embedded.rpc_errors import INVALID_PARAMS, RpcError
from ece.chain.embedded.rpc_params import (
    API_VERSION,
    Handler,
    decode_wire,
    nonnegative_int,
    param,
    with_context,
)

FEATURE_SET = 3294202862


async def _get_health(chain: LiteSvmChain, params: list[Json]) -> Json:
    return "ok"


async def _get_version(chain: LiteSvmChain, params: list[Json]) -> Json:
    return {"feature-set": FEATURE_SET, "solana-core": API_VERSION}


async def _get_genesis_hash(chain: LiteSvmChain, params: list[Json]) -> Json:
    return str(chain.genesis_hash)


async def _get_slot(chain: LiteSvmChain, params: list[Json]) -> Json:
    return chain.slot


async def _get_block_height(chain: LiteSvmChain, params: list[Json]) -> Json:
    return chain.block_height


async def _get_epoch_info(chain: LiteSvmChain, params: list[Json]) -> Json:
    slot = chain.slot
    return {
        "absoluteSlot": slot,
        "blockHeight": chain.block_height,
        "epoch": 0,
        "slotIndex": slot,
        "slotsInEpoch": max(slot + 1, 432000),
        "transactionCount": None,
    }


async def _get_latest_blockhash(chain: LiteSvmChain, params: list[Json]) -> Json:
    latest = chain.latest_blockhash()
    return with_context(
        chain,
        {
            "blockhash": str(latest.blockhash),
            "lastValidBlockHeight": latest.last_valid_block_height,
        },
    )


async def _is_blockhash_valid(chain: LiteSvmChain, params: list[Json]) -> Json:
    try:
        blockhash = Hash.from_string(str(param(params, 0)))
    except ValueError as exc:
        raise RpcError(INVALID_PARAMS, "Invalid param: invalid blockhash") from exc
    return with_context(chain, chain.is_blockhash_valid(blockhash))


async def _get_fee_for_message(chain: LiteSvmChain, params: list[Json]) -> Json:
    raw = decode_wire(param(params, 0), "base64")
    try:
        message = from_bytes_versioned(raw)
    except ValueError as exc:
        raise RpcError(INVALID_PARAMS, f"Invalid params: invalid message: {exc}") from exc
    if not chain.is_blockhash_valid(message.recent_blockhash):
        return with_context(chain, None)
    fee = message.header.num_required_signatures * 5000
    return with_context(chain, fee)


async def _get_minimum_balance(chain: LiteSvmChain, params: list[Json]) -> Json:
    return chain.minimum_balance_for_rent_exemption(
        nonnegative_int(param(params, 0), "data length")
    )


async def _get_recent_prioritization_fees(chain: LiteSvmChain, params: list[Json]) -> Json:
    return []


METHODS: dict[str, Handler] = {
    "getBlockHeight": _get_block_height,
    "getEpochInfo": _get_epoch_info,
    "getFeeForMessage": _get_fee_for_message,
    "getGenesisHash": _get_genesis_hash,
    "getHealth": _get_health,
    "getLatestBlockhash": _get_latest_blockhash,
    "getMinimumBalanceForRentExemption": _get_minimum_balance,
    "getRecentPrioritizationFees": _get_recent_prioritization_fees,
    "getSlot": _get_slot,
    "getVersion": _get_version,
    "isBlockhashValid": _is_blockhash_valid,
}
