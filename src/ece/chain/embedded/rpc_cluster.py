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
    options,
    param,
    with_context,
)

FEATURE_SET = 3294202862
SLOTS_PER_EPOCH = 432_000
LARGEST_ACCOUNTS = 20


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
        "epoch": slot // SLOTS_PER_EPOCH,
        "slotIndex": slot % SLOTS_PER_EPOCH,
        "slotsInEpoch": SLOTS_PER_EPOCH,
        "transactionCount": chain.transaction_count(),
    }


async def _get_epoch_schedule(chain: LiteSvmChain, params: list[Json]) -> Json:
    # No warm-up: every epoch, from the first, is SLOTS_PER_EPOCH long.
    return {
        "firstNormalEpoch": 0,
        "firstNormalSlot": 0,
        "leaderScheduleSlotOffset": SLOTS_PER_EPOCH,
        "slotsPerEpoch": SLOTS_PER_EPOCH,
        "warmup": False,
    }


async def _get_identity(chain: LiteSvmChain, params: list[Json]) -> Json:
    return {"identity": str(chain.identity)}


async def _get_slot_leader(chain: LiteSvmChain, params: list[Json]) -> Json:
    return str(chain.identity)  # the only node leads every slot


async def _get_inflation_governor(chain: LiteSvmChain, params: list[Json]) -> Json:
    # The validator's defaults (its wire format uses floats for these rates).
    return {
        "foundation": 0.05,
        "foundationTerm": 7.0,
        "initial": 0.08,
        "taper": 0.15,
        "terminal": 0.015,
    }


async def _get_supply(chain: LiteSvmChain, params: list[Json]) -> Json:
    config = options(params, 0)
    total = chain.total_lamports()
    faucet = chain.account(chain.faucet)
    # The development faucet's reserve is the only lamports not in circulation.
    held = 0 if faucet is None else faucet.lamports
    value: dict[str, Json] = {
        "circulating": total - held,
        "nonCirculating": held,
        "nonCirculatingAccounts": []
        if config.get("excludeNonCirculatingAccountsList")
        else [str(chain.faucet)],
        "total": total,
    }
    return with_context(chain, value)


async def _get_largest_accounts(chain: LiteSvmChain, params: list[Json]) -> Json:
    config = options(params, 0)
    which = config.get("filter")
    if len(params) > 1 and isinstance(params[1], str):
        which = params[1]  # solders (solana-py) sends the filter after the config
    if which not in (None, "circulating", "nonCirculating"):
        raise RpcError(INVALID_PARAMS, "Invalid params: filter is circulating or nonCirculating")
    faucet = str(chain.faucet)
    rows = chain.largest_accounts(LARGEST_ACCOUNTS + 1)
    if which == "circulating":
        rows = [row for row in rows if row[0] != faucet]
    elif which == "nonCirculating":
        rows = [row for row in rows if row[0] == faucet]
    value = [{"address": address, "lamports": lamports} for address, lamports in rows]
    return with_context(chain, value[:LARGEST_ACCOUNTS])


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
    "getEpochSchedule": _get_epoch_schedule,
    "getIdentity": _get_identity,
    "getInflationGovernor": _get_inflation_governor,
    "getLargestAccounts": _get_largest_accounts,
    "getSlotLeader": _get_slot_leader,
    "getSupply": _get_supply,
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
