"""HTTP endpoint for the embedded chain's Solana JSON-RPC (`POST /rpc`)."""

from __future__ import annotations

import json
from typing import Any

from fastapi import APIRouter, Depends, HTTPException, Request, Response
from fastapi.responses import JSONResponse

from ece.chain.base import Chain
from ece.chain.jsonrpc import PARSE_ERROR, RpcError, error_response, handle_jsonrpc
from ece.chain.litesvm import LiteSvmChain

router = APIRouter(tags=["chain"])


async def get_chain(request: Request) -> Chain:
    chain: Chain = request.app.state.chain
    return chain


@router.post("/rpc", summary="Solana JSON-RPC 2.0 over the embedded chain")
async def rpc(request: Request, chain: Chain = Depends(get_chain)) -> Response:
    if not isinstance(chain, LiteSvmChain):
        # Against a real cluster, clients should talk to that cluster's RPC directly.
        raise HTTPException(status_code=404, detail="no embedded chain")
    body = await request.body()
    try:
        payload: Any = json.loads(body)
    except (UnicodeDecodeError, json.JSONDecodeError):
        return JSONResponse(error_response(RpcError(PARSE_ERROR, "Parse error")))
    answer = await handle_jsonrpc(chain, payload)
    if answer is None:
        return Response(status_code=200)
    return JSONResponse(answer)
