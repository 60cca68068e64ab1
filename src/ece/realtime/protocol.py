"""The WebSocket protocol ECE's server runs (``ece serve``, the bench stack, the tests' server).

uvicorn's own protocol on the ``websockets`` library's sans-I/O state machine, plus one thing
ASGI has no message for: the hub may write an event's frame, built once for all subscribers of
a channel, straight to a socket's transport. Through ASGI each subscriber would cost a task
switch, four awaits and a frame built per socket; at 10,000 sockets that was most of the
fan-out. A connection advertises the writer in its scope's extensions (``FRAMES``); servers
without it (other ASGI servers, test clients) get the plain ``websocket.send`` path.

Per-message deflate is off (``UVICORN_OPTIONS``): a broadcast would be compressed once per
socket, and a pre-built frame could not be shared.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Final

from uvicorn.protocols.websockets.websockets_sansio_impl import WebSocketsSansIOProtocol
from websockets.frames import Frame, Opcode
from websockets.http11 import Request

# The scope extension carrying ``{"write": WriteFrame}``.
FRAMES: Final = "ece.websocket.frames"
# Writes one whole server frame now; False when it cannot go at once (the caller queues it).
WriteFrame = Callable[[bytes], bool]

UVICORN_OPTIONS: Final[dict[str, Any]] = {
    "ws": "ece.realtime.protocol:FanoutWebSocketProtocol",
    "ws_per_message_deflate": False,
}


def text_frame(text: str) -> bytes:
    """A complete, unfragmented server-to-client text frame (servers never mask)."""
    return Frame(Opcode.TEXT, text.encode()).serialize(mask=False)


class FanoutWebSocketProtocol(WebSocketsSansIOProtocol):
    """uvicorn's sans-I/O WebSocket protocol that also takes pre-built frames (``FRAMES``)."""

    def handle_connect(self, event: Request) -> None:
        super().handle_connect(event)
        if self.response.status_code == 101:  # accepted: the app's task is about to start
            self.scope["extensions"] = {
                **(self.scope.get("extensions") or {}),
                FRAMES: {"write": self.write_frame},
            }

    def write_frame(self, frame: bytes) -> bool:
        """Write ``frame`` now, unless the socket is not open for data or its transport is
        paused (the peer reads slowly): then nothing is written and the caller queues it."""
        if (
            not self.handshake_complete
            or self.close_sent
            or self.disconnected
            or self.initial_response is not None
            or not self.writable.is_set()
            or self.transport.is_closing()
        ):
            return False
        self.transport.write(frame)
        return True
