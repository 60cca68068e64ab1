"""The hot auction: one English auction created through the API, 32 bidders raising in turn.

The seller, the card and the bidders come from the benchmark's seeded world (``bench/seed.py``):
users with session tokens, cards they own, 100,000 USDC each as deposits on the ledger, so
every bidder's maximum can be held. The auction is created with ``POST /api/v1/auctions`` as a
seller would; ``bench/wrk/bid.lua`` then sends the bids. When this build has no auctions API
(``/api/v1/auctions`` answers 404) the scenario is skipped and says so.
"""

from __future__ import annotations

import json
import secrets
import urllib.error
import urllib.request
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from bench.seed import World
from ece.core.clock import utcnow

CLIENTS = 32
START = 10  # USDC: the first bid's maximum
# Bid n's maximum is START + n * STEP: maximums rise in the order sent, the order that leaves
# the fewest refusals. STEP is at least two increments of the top tier (5 at 100 and more), so
# a bid overtaken in flight by one later bid still clears the minimum and is answered 201
# (``outbid``). Only a bid overtaken by two later ones is refused (``409 bid_too_low``: its max
# is then below the runner-up's plus an increment), and no choice of maximums avoids that
# while 32 bids of different bidders are in flight: of any three, the lowest, applied last, is
# below two other bidders' maxes. So the refusals measure how far the server reorders bids;
# they are correct answers, counted in ``errors`` and shown apart (``refused_bid_too_low``).
STEP = 10


@dataclass(frozen=True)
class HotAuction:
    id: str
    seller: str  # user id
    bidders: list[str]  # session tokens, none the seller's


def call(
    url: str, method: str, path: str, token: str | None = None, body: Any = None
) -> tuple[int, Any]:
    """One JSON request; (status, decoded body or None)."""
    headers = {"Accept": "application/json"}
    if token:
        headers["Authorization"] = f"Bearer {token}"
    data = None
    if body is not None:
        data = json.dumps(body).encode()
        headers["Content-Type"] = "application/json"
        headers["Idempotency-Key"] = f"bench-{secrets.token_hex(8)}"
    request = urllib.request.Request(url + path, data=data, method=method, headers=headers)
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            status, raw = response.status, response.read()
    except urllib.error.HTTPError as exc:
        status, raw = exc.code, exc.read()
    try:
        return status, json.loads(raw) if raw else None
    except ValueError:
        return status, raw.decode(errors="replace")[:200]


def unavailable(url: str) -> str | None:
    """Why the scenario cannot run on this server, or None when the auctions API answers."""
    status, body = call(url, "GET", "/api/v1/auctions?status=live&limit=1")
    if status == 404:
        return "/api/v1/auctions answers 404: this build serves no auctions API"
    if status != 200:
        return f"GET /api/v1/auctions answered {status}: {body}"
    return None


def create(url: str, world: World) -> HotAuction | str:
    """The auction through the API (the reason as text when it cannot be created)."""
    reason = unavailable(url)
    if reason:
        return reason
    seller, *others = world.user_ids
    # A card of the seller's that no listing holds (listings take each user's first cards).
    card_id = next(
        (
            c
            for c in reversed(world.cards_of[seller])
            if call(url, "GET", f"/api/v1/cards/{c}")[1].get("status") == "available"
        ),
        None,
    )
    if card_id is None:
        return "the seller has no card left that is not listed"
    body = {
        "type": "english",
        "card_id": card_id,
        "currency": "USDC",
        "start_price": "1",
        "ends_at": (utcnow() + timedelta(hours=2)).isoformat().replace("+00:00", "Z"),
    }
    status, created = call(url, "POST", "/api/v1/auctions", world.tokens[seller], body)
    if status != 201:
        return f"POST /api/v1/auctions answered {status}: {created}"
    return HotAuction(str(created["id"]), seller, [world.tokens[u] for u in others[:CLIENTS]])


def checks(url: str, auction: HotAuction, bids_2xx: int, unseen: int) -> dict[str, Any]:
    """The auction as the API shows it after the run: every accepted bid counted, still live."""
    status, shown = call(url, "GET", f"/api/v1/auctions/{auction.id}")
    if status != 200:
        return {"ok": False, "detail": f"GET /api/v1/auctions/{auction.id} answered {status}"}
    count = int(shown.get("bid_count") or 0)
    # A bid still in flight when wrk stops may be accepted without wrk seeing its answer.
    counted = bids_2xx <= count <= bids_2xx + unseen
    return {
        "auction_id": auction.id,
        "bid_count": count,
        "bids_2xx": bids_2xx,
        "bids_unanswered_at_stop": unseen,
        "bid_count_matches_2xx": counted,
        "current_price": shown.get("current_price"),
        "status": shown.get("status"),
        "ok": counted and shown.get("status") == "live",
    }
