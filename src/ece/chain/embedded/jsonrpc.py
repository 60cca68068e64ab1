"""A Solana JSON-RPC 2.0 server over the embedded chain.

Real clients (solana-py, @solana/web3.js, wallets) talk to it unchanged, so method names,
parameter conventions (positional params, trailing config object), result shapes, `context`
wrappers and error codes follow the validator's RPC. This module answers a request or a batch;
the methods are in `rpc_cluster`, `rpc_accounts` and `rpc_transactions`.
"""

from __future__ import annotations

import logging
from typing import Any

from ece.chain.embedded import rpc_accounts, rpc_blocks, rpc_cluster, rpc_transactions
from ece.chain.embedded.litesvm import LiteSvmChain
from ece.chain.embedded.rpc_encoding import Json
from ece.chain.embedded.rpc_errors import (
    INTERNAL_ERROR,
    INVALID_PARAMS,
    INVALID_REQUEST,
    METHOD_NOT_FOUND,
    MIN_CONTEXT_SLOT_NOT_REACHED,
    RpcError,
    error_response,
)
from ece.chain.embedded.rpc_params import Handler

logger = logging.getLogger(__name__)

METHODS: dict[str, Handler] = {
    **rpc_cluster.METHODS,
    **rpc_accounts.METHODS,
    **rpc_blocks.METHODS,
    **rpc_transactions.METHODS,
}


async def _handle_one(chain: LiteSvmChain, request: Json, *, allow_airdrop: bool) -> Json:
    if not isinstance(request, dict):
        return error_response(RpcError(INVALID_REQUEST, "Invalid request"))
    request_id = request.get("id")
    if not isinstance(request_id, str | int | None) or isinstance(request_id, bool):
        return error_response(RpcError(INVALID_REQUEST, "Invalid request"))
    method = request.get("method")
    params = request.get("params", [])
    if request.get("jsonrpc") != "2.0" or not isinstance(method, str):
        return error_response(RpcError(INVALID_REQUEST, "Invalid request"), request_id)
    if params is None:
        params = []
    if not isinstance(params, list):
        return error_response(RpcError(INVALID_PARAMS, "Invalid params"), request_id)
    handler = METHODS.get(method)
    if method == "requestAirdrop" and not allow_airdrop:
        handler = None  # free SOL is for development and tests only
    if handler is None:
        return error_response(RpcError(METHOD_NOT_FOUND, "Method not found"), request_id)
    try:
        _check_min_context_slot(chain, params)
        result = await handler(chain, params)
    except RpcError as error:
        response = error_response(error, request_id)
    except (TypeError, KeyError, AttributeError, ValueError) as exc:
        # Malformed values inside params (e.g. a number where an object belongs).
        response = error_response(RpcError(INVALID_PARAMS, f"Invalid params: {exc}"), request_id)
    except Exception:
        # One broken request must not take down its batch; the failure is logged, not hidden.
        logger.exception("jsonrpc method %s failed", method)
        response = error_response(RpcError(INTERNAL_ERROR, "Internal error"), request_id)
    else:
        response = {"jsonrpc": "2.0", "result": result, "id": request_id}
    # A request without "id" is a notification: it runs, but gets no response.
    return response if "id" in request else None


def _check_min_context_slot(chain: LiteSvmChain, params: list[Json]) -> None:
    """Refuse a call whose config asks for a slot the chain has not reached."""
    for value in params:
        if isinstance(value, dict) and value.get("minContextSlot") is not None:
            wanted = value["minContextSlot"]
            if isinstance(wanted, bool) or not isinstance(wanted, int):
                raise RpcError(INVALID_PARAMS, "Invalid params: minContextSlot must be an integer")
            if wanted > (slot := chain.slot):
                raise RpcError(
                    MIN_CONTEXT_SLOT_NOT_REACHED,
                    "Minimum context slot has not been reached",
                    {"contextSlot": slot},
                )


def batch_too_large(payload: Any, max_batch: int) -> dict[str, Json] | None:
    """The error answer for a batch of more than ``max_batch`` calls (none of which runs)."""
    if isinstance(payload, list) and len(payload) > max_batch:
        message = f"Invalid request: a batch holds at most {max_batch} calls"
        return error_response(RpcError(INVALID_REQUEST, message))
    return None


async def handle_jsonrpc(
    chain: LiteSvmChain, payload: Any, *, allow_airdrop: bool = True, max_batch: int = 100
) -> Any:
    """Answer one JSON-RPC request or a batch; None when nothing needs answering."""
    if isinstance(payload, list):
        if not payload:
            return error_response(RpcError(INVALID_REQUEST, "Invalid request"))
        if (too_large := batch_too_large(payload, max_batch)) is not None:
            return too_large
        responses = [
            await _handle_one(chain, request, allow_airdrop=allow_airdrop) for request in payload
        ]
        answered = [response for response in responses if response is not None]
        return answered or None
    return await _handle_one(chain, payload, allow_airdrop=allow_airdrop)
