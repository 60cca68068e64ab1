"""What a person reads when a request is refused: one table from problem ``code`` to a plain
sentence, used as the problem's ``detail`` by the API and shown as is by the web pages.

A service's own detail stays when its code is not here (those are written for people already);
codes whose service detail names internals (transfer ids, account numbers) must be here. A
message may use the fields the problem carries (``{missing}``, ``{price}``...); a field that is
absent leaves the general sentence instead.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

# code -> (sentence with the problem's fields, sentence without them)
MESSAGES: dict[str, tuple[str, str]] = {
    "insufficient_funds": (
        "Not enough {asset} available: you need {missing} {asset} more. Add funds to continue.",
        "Not enough funds available for this. Add funds to continue.",
    ),
    "price_above_max": (
        "The price changed to {price} {currency} since you opened the page.",
        "The price changed since you opened the page.",
    ),
    "listing_unavailable": ("", "This card is no longer for sale at this listing."),
    "listing_not_found": ("", "This listing does not exist or has ended."),
    "offer_unavailable": ("", "This offer has ended or was already filled."),
    "offer_not_found": ("", "This offer does not exist or has ended."),
    "own_listing": ("", "This is your own listing: you cannot buy it."),
    "own_card": ("", "This card is already yours."),
    "own_offer": ("", "This is your own offer: you cannot accept it."),
    "card_locked": ("", "This card is busy in another listing, auction or trade."),
    "pending_already_resolved": ("", "This was already completed or cancelled."),
    "post_exceeds_pending": ("", "The amount is more than what is reserved for it."),
    "balance_overflow": ("", "The amount is too large for a balance."),
    "transfer_exists_different": (
        "",
        "This request was already made with different details; start it again.",
    ),
    "invalid_transfer": ("", "This payment cannot be made as asked."),
    "account_not_found": ("", "There is no balance in this currency for this account."),
    "asset_mismatch": ("", "The currencies of this payment do not match."),
    "idempotency_key_in_use": ("", "Your previous click is still being processed; wait a moment."),
    "idempotency_key_reused": ("", "This request was already sent with different details."),
    "csrf_failed": ("", "Your session's security check failed: reload the page and try again."),
    "not_authenticated": ("", "Sign in with your wallet to do this."),
    "session_required": ("", "Sign in with your wallet to do this."),
    "token_expired": ("", "Your session has ended: sign in again."),
    "rate_limited": ("", "Too many requests in a short time: wait a moment and try again."),
    "internal_error": ("", "Something went wrong on our side. Nothing was changed; try again."),
}


def plain_detail(code: str, detail: str, fields: Mapping[str, Any] | None = None) -> str:
    """The sentence for ``code`` (with ``fields`` filled in when it has them), else ``detail``."""
    entry = MESSAGES.get(code)
    if entry is None:
        return detail
    with_fields, general = entry
    if with_fields:
        try:
            return with_fields.format_map(dict(fields or {}))
        except KeyError:
            pass
    return general
