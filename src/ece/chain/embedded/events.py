"""What the embedded chain tells its listeners (the RPC PubSub server): a slot passed, a
transaction landed."""

from __future__ import annotations

from dataclasses import dataclass

from ece.chain.embedded.transactions import LandedTransaction


@dataclass(frozen=True, slots=True)
class SlotAdvanced:
    slot: int
    parent: int


@dataclass(frozen=True, slots=True)
class TransactionLanded:
    landed: LandedTransaction


ChainEvent = SlotAdvanced | TransactionLanded
