"""What the embedded chain records of a transaction: `LandedTransaction` (everything
getTransaction shows), `Simulation`, and their round trip through the chain store's index."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from solders.pubkey import Pubkey
from solders.signature import Signature
from solders.transaction import VersionedTransaction

from ece.chain.embedded.store import StoredTransaction
from ece.chain.protocol import (
    ConfirmedTransaction,
    LatestBlockhash,
    TokenBalance,
    TransactionErrorJson,
)


@dataclass(frozen=True, slots=True)
class LandedTransaction:
    """A transaction included in the embedded chain, with everything getTransaction shows."""

    transaction: VersionedTransaction
    slot: int
    block_time: int | None
    err: TransactionErrorJson | None
    fee: int
    account_keys: list[Pubkey]
    loaded_writable: list[Pubkey]
    loaded_readonly: list[Pubkey]
    pre_balances: list[int]
    post_balances: list[int]
    pre_token_balances: list[TokenBalance]
    post_token_balances: list[TokenBalance]
    log_messages: list[str]
    compute_units_consumed: int
    memo: str | None
    # The calls each instruction made, as getTransaction's `json` shows them:
    # [{"index", "instructions": [{"programIdIndex", "accounts", "data" (base58), "stackHeight"}]}]
    inner_instructions: list[dict[str, Any]] = field(default_factory=list)

    @property
    def signature(self) -> Signature:
        return self.transaction.signatures[0]

    def confirmed(self) -> ConfirmedTransaction:
        return ConfirmedTransaction(
            signature=self.signature,
            slot=self.slot,
            block_time=from_unix(self.block_time),
            err=self.err,
            fee=self.fee,
            account_keys=self.account_keys,
            log_messages=self.log_messages,
            pre_balances=self.pre_balances,
            post_balances=self.post_balances,
            pre_token_balances=self.pre_token_balances,
            post_token_balances=self.post_token_balances,
            transaction=self.transaction,
        )


@dataclass(frozen=True, slots=True)
class Simulation:
    err: TransactionErrorJson | None
    logs: list[str]
    units_consumed: int
    fee: int
    replacement_blockhash: LatestBlockhash | None


def from_unix(timestamp: int | None) -> datetime | None:
    return None if timestamp is None else datetime.fromtimestamp(timestamp, UTC)


def _balance_json(balance: TokenBalance) -> dict[str, Any]:
    return {
        "account_index": balance.account_index,
        "account": str(balance.account),
        "mint": str(balance.mint),
        "owner": None if balance.owner is None else str(balance.owner),
        "program_id": None if balance.program_id is None else str(balance.program_id),
        "amount": str(balance.amount),
        "decimals": balance.decimals,
    }


def _balance_from_json(raw: dict[str, Any]) -> TokenBalance:
    return TokenBalance(
        account_index=raw["account_index"],
        account=Pubkey.from_string(raw["account"]),
        mint=Pubkey.from_string(raw["mint"]),
        owner=None if raw["owner"] is None else Pubkey.from_string(raw["owner"]),
        program_id=None if raw["program_id"] is None else Pubkey.from_string(raw["program_id"]),
        amount=int(raw["amount"]),
        decimals=raw["decimals"],
    )


def to_stored(landed: LandedTransaction) -> StoredTransaction:
    """The row the chain store indexes for ``landed``."""
    record = {
        "fee": landed.fee,
        "account_keys": [str(key) for key in landed.account_keys],
        "loaded_writable": [str(key) for key in landed.loaded_writable],
        "loaded_readonly": [str(key) for key in landed.loaded_readonly],
        "pre_balances": landed.pre_balances,
        "post_balances": landed.post_balances,
        "pre_token_balances": [_balance_json(b) for b in landed.pre_token_balances],
        "post_token_balances": [_balance_json(b) for b in landed.post_token_balances],
        "log_messages": landed.log_messages,
        "compute_units_consumed": landed.compute_units_consumed,
        "inner_instructions": landed.inner_instructions,
    }
    return StoredTransaction(
        signature=str(landed.signature),
        slot=landed.slot,
        block_time=landed.block_time,
        err=landed.err,
        memo=landed.memo,
        record=record,
        tx=bytes(landed.transaction),
    )


def from_stored(stored: StoredTransaction) -> LandedTransaction:
    """The landed transaction a store row holds."""
    record = stored.record
    return LandedTransaction(
        transaction=VersionedTransaction.from_bytes(stored.tx),
        slot=stored.slot,
        block_time=stored.block_time,
        err=stored.err,
        fee=record["fee"],
        account_keys=[Pubkey.from_string(key) for key in record["account_keys"]],
        loaded_writable=[Pubkey.from_string(key) for key in record["loaded_writable"]],
        loaded_readonly=[Pubkey.from_string(key) for key in record["loaded_readonly"]],
        pre_balances=record["pre_balances"],
        post_balances=record["post_balances"],
        pre_token_balances=[_balance_from_json(b) for b in record["pre_token_balances"]],
        post_token_balances=[_balance_from_json(b) for b in record["post_token_balances"]],
        log_messages=record["log_messages"],
        compute_units_consumed=record["compute_units_consumed"],
        memo=stored.memo,
        # Transactions recorded before inner instructions were: none known.
        inner_instructions=record.get("inner_instructions", []),
    )
