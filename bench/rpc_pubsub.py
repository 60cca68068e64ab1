"""The embedded chain's RPC PubSub, in process: what one landed transaction and one slot of the
slot clock cost with many subscribers (sessions as a WebSocket connection holds them, frames
collected instead of sent). Figures only.

    .venv/bin/python bench/rpc_pubsub.py
"""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from solders.keypair import Keypair  # noqa: E402

from ece.chain.embedded.litesvm import LiteSvmChain  # noqa: E402
from ece.chain.embedded.pubsub import PubSubSession  # noqa: E402

SESSIONS = 100
ACCOUNT_SUBS_PER_SESSION = 10
SENDS = 200
TICKS = 200


def _subscribe(session: PubSubSession, method: str, *params: Any) -> None:
    session.handle_text(json.dumps({"jsonrpc": "2.0", "id": 1, "method": method, "params": params}))


def run() -> dict[str, Any]:
    chain = LiteSvmChain(None)
    frames: list[str] = []
    sessions = [
        PubSubSession(chain, frames.append, max_subscriptions=1000) for _ in range(SESSIONS)
    ]
    targets = [Keypair().pubkey() for _ in range(SENDS)]
    for session in sessions:
        chain.add_listener(session.on_event)
        _subscribe(session, "slotSubscribe")
        _subscribe(session, "logsSubscribe", "all")
        for target in targets[:ACCOUNT_SUBS_PER_SESSION]:
            _subscribe(session, "accountSubscribe", str(target), {"encoding": "base64"})
    frames.clear()

    began = time.perf_counter()
    for target in targets:
        chain.airdrop_transaction(target, 10**9)
    send_seconds = time.perf_counter() - began
    send_frames = len(frames)
    frames.clear()

    began = time.perf_counter()
    for _ in range(TICKS):
        chain.tick()
    tick_seconds = time.perf_counter() - began
    return {
        "sessions": SESSIONS,
        "subscriptions": SESSIONS * (2 + ACCOUNT_SUBS_PER_SESSION),
        "send_ms": round(send_seconds / SENDS * 1000, 3),
        "notifications_per_send": round(send_frames / SENDS, 1),
        "notifications_per_s": round(send_frames / send_seconds),
        "tick_ms": round(tick_seconds / TICKS * 1000, 3),
        "slot_notifications_per_tick": round(len(frames) / TICKS, 1),
    }


if __name__ == "__main__":
    print(json.dumps(run(), indent=2))
