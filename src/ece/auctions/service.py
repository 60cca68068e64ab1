"""The auctions domain's public face: routers, the web pages, the worker and other domains
import this module (and ``schemas``) only.

The use cases live in ``creating`` (open, cancel), ``bidding`` (proxy bids), ``settling``
(settlement at the end, buy-now, a Dutch buy) and ``reads``; every decision in ``rules``
(the proxy price: ``rules.standing``); every SQL statement in ``repository``; a sale's card
and money move through ``ece.settlement``.
"""

from __future__ import annotations

from ece.auctions.bidding import BidResult, place_bid
from ece.auctions.creating import cancel_auction, create_auction, terms_of
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
from ece.settlement.service import SettledSale

__all__ = [
    "AuctionFilters",
    "AuctionKind",
    "AuctionSort",
    "AuctionState",
    "AuctionStatus",
    "AuctionView",
    "BidResult",
    "BidStatus",
    "MyBid",
    "PublicBid",
    "SettledSale",
    "bid_history",
    "buy_now",
    "cancel_auction",
    "create_auction",
    "get_auction",
    "list_auctions",
    "my_bids",
    "place_bid",
    "settle_due",
    "terms_of",
]
