"""`RpcChain`: the `Chain` protocol over a real Solana JSON-RPC endpoint (solana-py AsyncClient)."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable
from datetime import UTC, datetime
from typing import Any, TypeVar

from solana.exceptions import SolanaRpcException
from solana.rpc.async_api import AsyncClient
from solana.rpc.commitment import Commitment
from solana.rpc.core import RPCException
from solana.rpc.models import TokenAccountOpts, TxOpts
from solders.account import Account
from solders.pubkey import Pubkey
from solders.rpc.errors import SendTransactionPreflightFailureMessage
from solders.signature import Signature
from solders.transaction import VersionedTransaction
from solders.transaction_status import TransactionConfirmationStatus, UiTransactionTokenBalance

from ece.chain.protocol import (
    AccountNotFound,
    AnyTransaction,
    ChainError,
    ChainUnavailable,
    ConfirmationStatus,
    ConfirmedTransaction,
    LatestBlockhash,
    SignatureInfo,
    SignatureStatus,
    SignatureVerificationFailed,
    TokenAccount,
    TokenAmount,
    TokenBalance,
    TransactionFailed,
    transaction_error_json,
)
from ece.chain.tokens import spl
from ece.core.metrics import CHAIN_RPC_ERRORS, CHAIN_TRANSACTIONS

T = TypeVar("T")

_RANK: dict[str, int] = {"processed": 0, "confirmed": 1, "finalized": 2}
# solders' enum is not hashable, hence a list of pairs rather than a dict.
_STATUS_NAMES: list[tuple[TransactionConfirmationStatus, ConfirmationStatus]] = [
    (TransactionConfirmationStatus.Processed, "processed"),
    (TransactionConfirmationStatus.Confirmed, "confirmed"),
    (TransactionConfirmationStatus.Finalized, "finalized"),
]
SIGNATURE_VERIFICATION_FAILURE = -32003


class RpcChain:
    """A Solana cluster reached over JSON-RPC.

    `commitment` applies to every read and to confirmation; keep "finalized" (the default) for
    anything that credits a user.
    """

    def __init__(
        self,
        url: str,
        *,
        commitment: ConfirmationStatus = "finalized",
        cluster: str = "custom",
        timeout: float = 10.0,
        poll_interval: float = 0.5,
    ) -> None:
        self._url = url
        self._commitment = Commitment(commitment)
        self._commitment_name: ConfirmationStatus = commitment
        self._cluster = cluster
        self._poll_interval = poll_interval
        self._client = AsyncClient(url, commitment=self._commitment, timeout=timeout)

    @property
    def cluster(self) -> str:
        return self._cluster

    async def close(self) -> None:
        await self._client.close()

    async def _call(self, request: Awaitable[T]) -> T:
        try:
            return await request
        except SolanaRpcException as exc:
            CHAIN_RPC_ERRORS.labels("unavailable").inc()
            raise ChainUnavailable(f"RPC {self._url} unreachable: {exc}") from exc
        except RPCException as exc:
            CHAIN_RPC_ERRORS.labels("error").inc()
            raise ChainError(f"RPC error: {_rpc_message(exc)}") from exc

    async def get_genesis_hash(self) -> str:
        return str((await self._call(self._client.get_genesis_hash())).value)

    async def get_slot(self) -> int:
        return (await self._call(self._client.get_slot())).value

    async def get_block_height(self) -> int:
        return (await self._call(self._client.get_block_height())).value

    async def get_latest_blockhash(self) -> LatestBlockhash:
        value = (await self._call(self._client.get_latest_blockhash())).value
        return LatestBlockhash(value.blockhash, value.last_valid_block_height)

    async def send_transaction(
        self, tx: AnyTransaction, *, skip_preflight: bool = False
    ) -> Signature:
        opts = TxOpts(skip_preflight=skip_preflight, preflight_commitment=self._commitment)
        try:
            response = await self._client.send_raw_transaction(bytes(tx), opts)
        except SolanaRpcException as exc:
            CHAIN_RPC_ERRORS.labels("unavailable").inc()
            raise ChainUnavailable(f"RPC {self._url} unreachable: {exc}") from exc
        except RPCException as exc:
            CHAIN_TRANSACTIONS.labels("failed").inc()
            raise _send_failure(exc, tx.signatures[0]) from exc
        CHAIN_TRANSACTIONS.labels("sent").inc()
        return response.value

    async def get_signature_status(self, signature: Signature) -> SignatureStatus | None:
        response = await self._call(
            self._client.get_signature_statuses([signature], search_transaction_history=True)
        )
        status = response.value[0]
        if status is None:
            return None
        # No confirmation status on old nodes means the slot is rooted.
        name: ConfirmationStatus = "finalized"
        for level, level_name in _STATUS_NAMES:
            if status.confirmation_status == level:
                name = level_name
        err = None if status.err is None else transaction_error_json(status.err)
        return SignatureStatus(status.slot, err, name)

    async def confirm_transaction(
        self, signature: Signature, *, last_valid_block_height: int | None = None
    ) -> SignatureStatus:
        wanted = _RANK[self._commitment_name]
        while True:
            status = await self.get_signature_status(signature)
            if status is not None and _RANK[status.confirmation_status or "finalized"] >= wanted:
                if status.err is not None:
                    raise TransactionFailed(status.err, signature=signature, landed=True)
                return status
            if (
                status is None
                and last_valid_block_height is not None
                and await self.get_block_height() > last_valid_block_height
            ):
                raise TransactionFailed(
                    "BlockhashNotFound", signature=signature, message="blockhash expired"
                )
            await asyncio.sleep(self._poll_interval)

    async def get_transaction(self, signature: Signature) -> ConfirmedTransaction | None:
        # getTransaction refuses "processed".
        commitment = "confirmed" if self._commitment_name == "processed" else self._commitment
        response = await self._call(
            self._client.get_transaction(
                signature,
                encoding="base64",
                commitment=Commitment(commitment),
                max_supported_transaction_version=0,
            )
        )
        found = response.value
        if found is None:
            return None
        meta = found.transaction.meta
        raw = found.transaction.transaction
        if meta is None or not isinstance(raw, VersionedTransaction):
            raise ChainError(f"transaction {signature} came back without meta or in JSON")
        keys = list(raw.message.account_keys)
        loaded = meta.loaded_addresses
        if loaded is not None:
            keys += [*loaded.writable, *loaded.readonly]
        return ConfirmedTransaction(
            signature=signature,
            slot=found.slot,
            block_time=_time(found.block_time),
            err=None if meta.err is None else transaction_error_json(meta.err),
            fee=meta.fee,
            account_keys=keys,
            log_messages=list(meta.log_messages or []),
            pre_balances=list(meta.pre_balances),
            post_balances=list(meta.post_balances),
            pre_token_balances=[_token_balance(b, keys) for b in meta.pre_token_balances or []],
            post_token_balances=[_token_balance(b, keys) for b in meta.post_token_balances or []],
            transaction=raw,
        )

    async def get_signatures_for_address(
        self,
        address: Pubkey,
        *,
        limit: int = 1000,
        before: Signature | None = None,
        until: Signature | None = None,
    ) -> list[SignatureInfo]:
        response = await self._call(
            self._client.get_signatures_for_address(
                address, before=before, until=until, limit=limit
            )
        )
        return [
            SignatureInfo(
                signature=item.signature,
                slot=item.slot,
                err=None if item.err is None else transaction_error_json(item.err),
                block_time=_time(item.block_time),
                memo=item.memo,
            )
            for item in response.value
        ]

    async def get_balance(self, address: Pubkey) -> int:
        return (await self._call(self._client.get_balance(address))).value

    async def get_account_info(self, address: Pubkey) -> Account | None:
        return (await self._call(self._client.get_account_info(address))).value

    async def get_token_account_balance(self, address: Pubkey) -> TokenAmount:
        try:
            response = await self._call(self._client.get_token_account_balance(address))
        except ChainUnavailable:
            raise
        except ChainError as exc:
            raise AccountNotFound(f"{address} is not a token account") from exc
        return TokenAmount(int(response.value.amount), response.value.decimals)

    async def get_token_accounts_by_owner(
        self, owner: Pubkey, *, mint: Pubkey | None = None, program_id: Pubkey | None = None
    ) -> list[TokenAccount]:
        if mint is not None:
            selectors = [TokenAccountOpts(mint=mint)]
        elif program_id is not None:
            selectors = [TokenAccountOpts(program_id=program_id)]
        else:
            selectors = [
                TokenAccountOpts(program_id=spl.TOKEN_PROGRAM_ID),
                TokenAccountOpts(program_id=spl.TOKEN_2022_PROGRAM_ID),
            ]
        found = []
        for selector in selectors:
            response = await self._call(
                self._client.get_token_accounts_by_owner_json_parsed(owner, selector)
            )
            for keyed in response.value:
                parsed: dict[str, Any] = keyed.account.data.parsed
                info = parsed["info"]
                token_amount = info["tokenAmount"]
                found.append(
                    TokenAccount(
                        address=keyed.pubkey,
                        mint=Pubkey.from_string(info["mint"]),
                        owner=Pubkey.from_string(info["owner"]),
                        amount=int(token_amount["amount"]),
                        decimals=int(token_amount["decimals"]),
                        program_id=keyed.account.owner,
                    )
                )
        return found

    async def get_token_supply(self, mint: Pubkey) -> TokenAmount:
        try:
            response = await self._call(self._client.get_token_supply(mint))
        except ChainUnavailable:
            raise
        except ChainError as exc:
            raise AccountNotFound(f"{mint} is not a mint") from exc
        return TokenAmount(int(response.value.amount), response.value.decimals)

    async def request_airdrop(self, address: Pubkey, lamports: int) -> Signature:
        return (await self._call(self._client.request_airdrop(address, lamports))).value

    async def get_minimum_balance_for_rent_exemption(self, data_len: int) -> int:
        response = await self._call(self._client.get_minimum_balance_for_rent_exemption(data_len))
        return response.value


def _time(timestamp: int | None) -> datetime | None:
    return None if timestamp is None else datetime.fromtimestamp(timestamp, UTC)


def _token_balance(balance: UiTransactionTokenBalance, keys: list[Pubkey]) -> TokenBalance:
    return TokenBalance(
        account_index=balance.account_index,
        account=keys[balance.account_index],
        mint=balance.mint,
        owner=balance.owner,
        program_id=balance.program_id,
        amount=int(balance.ui_token_amount.amount),
        decimals=balance.ui_token_amount.decimals,
    )


def _rpc_message(exc: RPCException) -> str:
    error = exc.args[0] if exc.args else None
    return str(getattr(error, "message", error))


def _send_failure(exc: RPCException, signature: Signature) -> ChainError:
    error = exc.args[0] if exc.args else None
    if isinstance(error, SendTransactionPreflightFailureMessage):
        result = error.data
        err = "Unknown" if result.err is None else transaction_error_json(result.err)
        return TransactionFailed(
            err, list(result.logs or []), signature=signature, message=error.message
        )
    if getattr(error, "code", None) == SIGNATURE_VERIFICATION_FAILURE:
        return SignatureVerificationFailed("SignatureFailure", signature=signature)
    return TransactionFailed(
        {"RpcError": _rpc_message(exc)}, signature=signature, message=_rpc_message(exc)
    )
