"""The Jinja2 environment of the web pages: autoescaped templates and display filters only."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from fastapi.templating import Jinja2Templates

from ece.core.clock import utcnow

WEB_DIR = Path(__file__).parent
STATIC_DIR = WEB_DIR / "static"

templates = Jinja2Templates(directory=WEB_DIR / "templates")


def short_address(value: str | None) -> str:
    """``7xKX…9fQm``: enough of a wallet to recognise it, short enough for a phone."""
    if not value:
        return ""
    return value if len(value) <= 12 else f"{value[:4]}…{value[-4:]}"


def when(value: datetime | None) -> str:
    if value is None:
        return ""
    return value.astimezone(UTC).strftime("%Y-%m-%d %H:%M UTC")


def ago(value: datetime | None, now: datetime | None = None) -> str:
    """``5 min ago``, ``3 h ago``, ``2 d ago``: how long ago, at a glance (the exact time is the
    element's title)."""
    if value is None:
        return ""
    seconds = int(((now or utcnow()) - value.astimezone(UTC)).total_seconds())
    if seconds < 60:
        return "just now"
    if seconds >= 86_400:
        return f"{seconds // 86_400} d ago"
    if seconds >= 3_600:
        return f"{seconds // 3_600} h ago"
    return f"{seconds // 60} min ago"


def per_currency(values: dict[str, str] | None) -> str:
    """``{"ECE": "3", "USDC": "12.5"}`` → ``"3 ECE · 12.5 USDC"``; currencies are never added."""
    if not values:
        return "—"
    return " · ".join(f"{amount} {currency}" for currency, amount in sorted(values.items()))


templates.env.filters["short"] = short_address
templates.env.filters["when"] = when
templates.env.filters["ago"] = ago
templates.env.filters["per_currency"] = per_currency
