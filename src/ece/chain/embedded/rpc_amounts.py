"""Token amounts as the validator's RPC shows them (`UiTokenAmount`)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any


def ui_amount_string(amount: int, decimals: int) -> str:
    """Exact decimal string with trailing zeros trimmed, as the validator prints it."""
    if decimals == 0:
        return str(amount)
    text = f"{Decimal(amount).scaleb(-decimals):.{decimals}f}"
    return text.rstrip("0").rstrip(".")


def ui_token_amount(amount: int, decimals: int) -> dict[str, Any]:
    # uiAmount is a float only because the wire format demands it; amounts stay integers inside.
    return {
        "amount": str(amount),
        "decimals": decimals,
        "uiAmount": amount / 10**decimals,
        "uiAmountString": ui_amount_string(amount, decimals),
    }


__all__ = ["ui_amount_string", "ui_token_amount"]
