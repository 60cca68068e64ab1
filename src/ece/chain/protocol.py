"""The `Chain` protocol: what the app needs from Solana, whichever runtime answers.

Two implementations: `LiteSvmChain` (embedded, in-process) and `RpcChain` (a real RPC node).
Values are solders types; errors are `ChainError` subclasses; a transaction error is carried in
the JSON shape Solana RPC uses (e.g. ``{"InstructionError": [0, {"Custom": 1}]}``) so both
implementations report the same thing.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Literal, Protocol, runtime_checkable

from solders.account import Account
from solders.hash import Hash
from solders.pubkey import Pubkey
from solders.signature import Signature
from solders.transaction import Transaction, VersionedTransaction
from solders.transaction_status import TransactionErrorType, TransactionStatus

# The JSON form of a TransactionError, exactly as Solana RPC renders it.
TransactionErrorJson = str | dict[str, Any]
ConfirmationStatus = Literal["processed", "confirmed", "finalized"]
AnyTransaction = Transaction | VersionedTransaction


def transaction_error_json(err: TransactionErrorType) -> TransactionErrorJson:
    """Render a solders TransactionError as Solana RPC JSON."""
    # Fieldless variants have no to_json; a TransactionStatus serializes every variant with serde.
    status = TransactionStatus(0, None, None, err, None)
    rendered: TransactionErrorJson = json.loads(status.to_json())["err"]
    return rendered


class ChainError(Exception):
    """Base of every error raised by a `Chain`."""


class ChainUnavailable(ChainError):
    """The chain could not be reached or answered nonsense."""


class AccountNotFound(ChainError):
    """The account does not exist, or is not of the kind asked for (e.g. not a token account)."""


class TransactionFailed(ChainError):
    """The chain rejected or failed a transaction.

    `landed` is True when the transaction was included with an error (fee charged, nothing else
    changed); False when it was refused before inclusion (preflight, bad blockhash, replay).
    """

    def __init__(
        self,
        err: TransactionErrorJson,
        logs: list[str] | None = None,
        *,
        signature: Signature | None = None,
        landed: bool = False,
        message: str | None = None,
    ) -> None:
        self.err = err
        self.logs = logs or []
        self.signature = signature
        self.landed = landed
        super().__init__(message or f"transaction failed: {json.dumps(err)}")


class SignatureVerificationFailed(TransactionFailed):
    """A signature on the transaction does not verify."""


@dataclass(frozen=True, slots=True)
class LatestBlockhash:
    blockhash: Hash
    last_valid_block_height: int


@dataclass(frozen=True, slots=True)
class TokenAmount:
    amount: int
    decimals: int


@dataclass(frozen=True, slots=True)
class TokenAccount:
    address: Pubkey
    mint: Pubkey
    owner: Pubkey
    amount: int
    decimals: int
    program_id: Pubkey


@dataclass(frozen=True, slots=True)
class TokenBalance:
    """A token account's balance before or after a transaction (`meta.pre/postTokenBalances`)."""

    account_index: int
    account: Pubkey
    mint: Pubkey
    owner: Pubkey | None
    program_id: Pubkey | None
    amount: int
    decimals: int


@dataclass(frozen=True, slots=True)
class SignatureStatus:
    slot: int
    err: TransactionErrorJson | None
    confirmation_status: ConfirmationStatus | None


@dataclass(frozen=True, slots=True)
class SignatureInfo:
    """One entry of `getSignaturesForAddress`, newest first."""

    signature: Signature
    slot: int
    err: TransactionErrorJson | None
    block_time: datetime | None
    memo: str | None


@dataclass(frozen=True, slots=True)
class ConfirmedTransaction:
    """A landed transaction as `getTransaction` reports it.

    `account_keys` is the full list (static keys, then addresses loaded from lookup tables), the
    list that `TokenBalance.account_index` and the balance lists index into.
    """

    signature: Signature
    slot: int
    block_time: datetime | None
    err: TransactionErrorJson | None
    fee: int
    account_keys: list[Pubkey]
    log_messages: list[str]
    pre_balances: list[int]
    post_balances: list[int]
    pre_token_balances: list[TokenBalance] = field(default_factory=list)
    post_token_balances: list[TokenBalance] = field(default_factory=list)
    # The signed transaction itself, for reading its instructions (Solana Pay validation).
    transaction: VersionedTransaction | None = None


@runtime_checkable
class Chain(Protocol):
    """What the application needs from Solana.

    Crediting decisions must only trust what `get_signature_status` / `get_transaction` report at
    the implementation's configured commitment (finalized for `RpcChain`; the embedded chain
    finalizes at once).
    """

    @property
    def cluster(self) -> str: ...

    async def get_genesis_hash(self) -> str:
        """The chain's identity: a platform is pinned to one chain and refuses any other."""
        ...

    async def get_slot(self) -> int: ...

    async def get_block_height(self) -> int:
        """The height a transaction's ``last_valid_block_height`` is compared with."""
        ...

    async def get_latest_blockhash(self) -> LatestBlockhash: ...

    async def send_transaction(
        self, tx: AnyTransaction, *, skip_preflight: bool = False
    ) -> Signature:
        """Submit a signed transaction; raise `TransactionFailed` if it is refused or fails."""
        ...

    async def get_signature_status(self, signature: Signature) -> SignatureStatus | None: ...

    async def confirm_transaction(
        self, signature: Signature, *, last_valid_block_height: int | None = None
    ) -> SignatureStatus:
        """Wait until the signature reaches the commitment; raise `TransactionFailed` if it
        failed or its blockhash expired first."""
        ...

    async def get_transaction(self, signature: Signature) -> ConfirmedTransaction | None: ...

    async def get_signatures_for_address(
        self,
        address: Pubkey,
        *,
        limit: int = 1000,
        before: Signature | None = None,
        until: Signature | None = None,
    ) -> list[SignatureInfo]: ...

    async def get_balance(self, address: Pubkey) -> int: ...

    async def get_account_info(self, address: Pubkey) -> Account | None: ...

    async def get_token_account_balance(self, address: Pubkey) -> TokenAmount: ...

    async def get_token_accounts_by_owner(
        self, owner: Pubkey, *, mint: Pubkey | None = None, program_id: Pubkey | None = None
    ) -> list[TokenAccount]: ...

    async def get_token_supply(self, mint: Pubkey) -> TokenAmount: ...

    async def request_airdrop(self, address: Pubkey, lamports: int) -> Signature: ...

    async def get_minimum_balance_for_rent_exemption(self, data_len: int) -> int: ...

    async def close(self) -> None:
        """Release what the chain holds (the embedded chain's process lock, an RPC session)."""
        ...
