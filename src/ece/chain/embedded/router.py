"""The embedded chain's Solana JSON-RPC: `POST /rpc` (HTTP) and `ws://…/rpc` (RPC PubSub)."""

from __future__ import annotations

import asyncio
import contextlib
import json
from typing import Any

from fastapi import APIRouter, HTTPException, Request, Response, WebSocket
from fastapi.responses import JSONResponse
from starlette.websockets import WebSocketDisconnect

from ece.chain.embedded.events import ChainEvent
from ece.chain.embedded.jsonrpc import batch_too_large, handle_jsonrpc
from ece.chain.embedded.litesvm import LiteSvmChain
from ece.chain.embedded.pubsub import PubSubSession
from ece.chain.embedded.rpc_errors import PARSE_ERROR, RpcError, error_response
from ece.core.errors import UnsupportedMediaType, problem_responses
from ece.runtime.deps import ChainDep, SettingsDep, app_services, charge

router = APIRouter(tags=["chain"])

# Frames queued for one slow PubSub client before it is disconnected (1008, policy violation).
MAX_PENDING_FRAMES = 10_000


# Any JSON: a JSON-RPC request or a batch is answered with its results, anything else with a
# JSON-RPC error object (HTTP 200, as JSON-RPC 2.0 over HTTP does); only the media type is refused.
_RPC_BODY = {
    "required": True,
    "description": "A JSON-RPC 2.0 request or batch",
    "content": {"application/json": {"schema": {}}},
}


@router.post(
    "/rpc",
    summary="Solana JSON-RPC 2.0 over the embedded chain",
    responses=problem_responses(404, 415, 429),
    openapi_extra={"requestBody": _RPC_BODY},
)
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


@router.websocket("/rpc")
async def rpc_pubsub(websocket: WebSocket) -> None:
    """Solana RPC PubSub: accountSubscribe, programSubscribe, signatureSubscribe, logsSubscribe,
    slotSubscribe, rootSubscribe and their unsubscribes, with the validator's notifications."""
    services = app_services(websocket.app)
    chain = services.chain
    if not isinstance(chain, LiteSvmChain):
        await websocket.close(code=1008)
        return
    await websocket.accept()
    outgoing: asyncio.Queue[str | None] = asyncio.Queue()
    loop = asyncio.get_running_loop()

    def send(frame: str) -> None:
        if outgoing.qsize() >= MAX_PENDING_FRAMES:
            outgoing.put_nowait(None)  # too far behind: the writer closes the connection
        else:
            outgoing.put_nowait(frame)

    session = PubSubSession(chain, send, max_subscriptions=services.settings.rpc_max_subscriptions)

    def listener(event: ChainEvent) -> None:
        # Called under the chain's lock, maybe from another thread: only hand the event over.
        loop.call_soon_threadsafe(session.on_event, event)

    async def write() -> None:
        while (frame := await outgoing.get()) is not None:
            await websocket.send_text(frame)
        await websocket.close(code=1008)

    writer = asyncio.create_task(write())
    chain.add_listener(listener)
    try:
        while True:
            message = await websocket.receive()
            if message["type"] == "websocket.disconnect":
                break
            text = message.get("text")
            if text is None and message.get("bytes") is not None:
                text = message["bytes"].decode("utf-8", "replace")
            if text is not None:
                session.handle_text(text)
            if writer.done():
                break
    except WebSocketDisconnect:
        pass
    finally:
        chain.remove_listener(listener)
        writer.cancel()
        with contextlib.suppress(asyncio.CancelledError, Exception):
            await writer
