"""The auctions domain's public face: routers, the web pages, the worker and other domains
import this module (and ``schemas``) only.

The use cases live in ``creating`` (open, cancel), ``bidding`` (proxy bids; on PostgreSQL
``one_call`` places them in one round trip), ``settling``
(settlement at the end, buy-now, a Dutch buy) and ``reads``; every decision in ``rules``
(the proxy price: ``rules.standing``); every SQL statement in ``repository``; a sale's card
and money move through ``ece.settlement``.
"""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession

from ece.auctions import bidding
from ece.auctions.batching import BidBatcher
from ece.auctions.batching import batcher as bid_batcher
from ece.auctions.bidding import BidResult
from ece.auctions.creating import cancel_auction, create_auction, terms_of
from ece.auctions.one_call import (
    WaitingBid,
    batchable,
    in_one_call,
    place_bid_in_one_call,
    place_bids_in_one_call,
    waiting_bid,
)
from ece.auctions.reads import (
    AuctionFilters,
    AuctionSort,
    AuctionView,
    MyBid,
    PublicBid,
    bid_history,
    get_auction,
    list_auctions,
    my_bids,
)
from ece.auctions.rules import AuctionKind, AuctionState, AuctionStatus, BidStatus
from ece.auctions.settling import buy_now, settle_due
from ece.auth.service import User
from ece.config import Settings
from ece.settlement.service import SettledSale

__all__ = [
    "AuctionFilters",
    "AuctionKind",
    "AuctionSort",
    "AuctionState",
    "AuctionStatus",
    "AuctionView",
    "BidBatcher",
    "BidResult",
    "BidStatus",
    "MyBid",
    "PublicBid",
    "SettledSale",
    "WaitingBid",
    "batchable",
    "bid_batcher",
    "bid_history",
    "buy_now",
    "cancel_auction",
    "create_auction",
    "get_auction",
    "in_one_call",
    "list_auctions",
    "my_bids",
    "place_bid",
    "place_bids_in_one_call",
    "settle_due",
    "terms_of",
    "waiting_bid",
]


async def place_bid(
    session: AsyncSession,
    settings: Settings,
    user: User,
    auction_id: str,
    max_amount: str,
    *,
    one_call: bool | None = None,
) -> BidResult:
    """Bid a max of ``max_amount`` (a decimal string in the auction's currency), or raise
    yours: see ``bidding.place_bid`` for the rules and refusals. In one round trip where the
    database can (``one_call``: None for the database's default, ``in_one_call``), else
    statement by statement; both write the same rows."""
    if one_call is None:
        one_call = in_one_call(session)
    if one_call:
        return await place_bid_in_one_call(session, settings, user, auction_id, max_amount)
    return await bidding.place_bid(session, settings, user, auction_id, max_amount)
