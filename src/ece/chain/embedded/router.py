"""HTTP endpoint for the embedded chain's Solana JSON-RPC (`POST /rpc`)."""

from __future__ import annotations

import json
from typing import Any

from fastapi import APIRouter, HTTPException, Request, Response
from fastapi.responses import JSONResponse

from ece.chain.embedded.jsonrpc import batch_too_large, handle_jsonrpc
from ece.chain.embedded.litesvm import LiteSvmChain
from ece.chain.embedded.rpc_errors import PARSE_ERROR, RpcError, error_response
from ece.core.errors import UnsupportedMediaType
from ece.runtime.deps import ChainDep, SettingsDep, charge

router = APIRouter(tags=["chain"])


@router.post("/rpc", summary="Solana JSON-RPC 2.0 over the embedded chain")
async def rpc(request: Request, chain: ChainDep, settings: SettingsDep) -> Response:
    if not isinstance(chain, LiteSvmChain):
        # Against a real cluster, clients should talk to that cluster's RPC directly.
        raise HTTPException(status_code=404, detail="no embedded chain")
    media_type = request.headers.get("content-type", "").split(";", 1)[0].strip().lower()
    if media_type != "application/json":
        # A form or text/plain POST needs no CORS preflight: a page on any site could send it.
        raise UnsupportedMediaType("POST /rpc takes Content-Type: application/json.")
    body = await request.body()
    try:
        payload: Any = json.loads(body)
    except (ValueError, RecursionError):
        # Not JSON, not UTF-8, too deeply nested or a number too long: never a 500.
        return JSONResponse(error_response(RpcError(PARSE_ERROR, "Parse error")))
    if (too_large := batch_too_large(payload, settings.rpc_max_batch)) is not None:
        return JSONResponse(too_large)
    # Every call of a batch counts, so a batch cannot multiply the limit.
    calls = len(payload) if isinstance(payload, list) else 1
    await charge(request, "rate_limit_rpc", "/rpc", max(calls, 1))
    answer = await handle_jsonrpc(
        chain,
        payload,
        allow_airdrop=not settings.is_deployed,
        max_batch=settings.rpc_max_batch,
    )
    if answer is None:
        return Response(status_code=200)
    return JSONResponse(answer)
