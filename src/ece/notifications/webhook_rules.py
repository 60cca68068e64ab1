"""Webhooks, pure: signatures, the retry schedule, which events an endpoint may receive, and
which addresses outbound requests refuse (SSRF)."""

from __future__ import annotations

import hashlib
import hmac
import ipaddress
import re
from collections.abc import Iterable, Mapping
from datetime import datetime, timedelta
from typing import Any, Final

from ece.realtime.rules import channels_for, user_channel

SIGNATURE_HEADER: Final = "ECE-Signature"
TOLERANCE_SECONDS: Final = 300
# Retries after a failure: 30 s, then 4 times longer each time (2 min, 8 min, 32 min, ~2 h, ~8.5 h),
# capped at 12 h, until 3 days after the delivery was made; then it fails for good and the
# endpoint is disabled.
FIRST_RETRY: Final = timedelta(seconds=30)
MAX_RETRY: Final = timedelta(hours=12)
GIVE_UP_AFTER: Final = timedelta(days=3)
MAX_ENDPOINTS: Final = 10
_EVENT_PATTERN = re.compile(r"^(\*|[a-z_]+\.\*|[a-z_]+\.[a-z_]+)$")


def sign(secret: str, timestamp: int, body: bytes) -> str:
    """The ``ECE-Signature`` header: ``t=<unix>,v1=<hex HMAC-SHA256 of "t.body">``."""
    mac = hmac.new(secret.encode(), f"{timestamp}.".encode() + body, hashlib.sha256)
    return f"t={timestamp},v1={mac.hexdigest()}"


def verify(secret: str, header: str, body: bytes, now: int) -> bool:
    """Whether ``header`` signs ``body`` with ``secret`` within the tolerance of ``now``."""
    fields = dict(part.split("=", 1) for part in header.split(",") if "=" in part)
    try:
        timestamp = int(fields["t"])
    except (KeyError, ValueError):
        return False
    if abs(now - timestamp) > TOLERANCE_SECONDS:
        return False
    expected = sign(secret, timestamp, body).partition(",v1=")[2]
    return hmac.compare_digest(expected, fields.get("v1", ""))


def next_attempt(created_at: datetime, failures: int, now: datetime) -> datetime | None:
    """When to try again after the ``failures``-th failure, or None: give up."""
    delay = min(FIRST_RETRY * 4 ** (failures - 1), MAX_RETRY)
    due = now + delay
    return None if due > created_at + GIVE_UP_AFTER else due


def valid_pattern(pattern: str) -> bool:
    return bool(_EVENT_PATTERN.match(pattern))


def wants(patterns: Iterable[str], event_type: str) -> bool:
    """Whether an endpoint subscribed to ``patterns`` (``*``, ``auction.*``, ``trade.executed``)
    takes ``event_type``."""
    family = event_type.split(".", 1)[0]
    return any(p in ("*", event_type, f"{family}.*") for p in patterns)


def may_see(owner_id: str, event_type: str, aggregate_id: str, payload: Mapping[str, Any]) -> bool:
    """An endpoint gets public events and those naming its owner, nothing else."""
    channels = channels_for(event_type, aggregate_id, payload)
    return any(not c.startswith("user:") for c in channels) or user_channel(owner_id) in channels


def refused_address(address: str) -> bool:
    """Private, loopback, link-local, multicast, reserved or unspecified: never called in
    production (a webhook must not reach the platform's own network)."""
    ip = ipaddress.ip_address(address)
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped
    return not ip.is_global or ip.is_multicast
