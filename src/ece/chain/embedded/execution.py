"""Running a transaction on LiteSVM and recording what it did: the accounts it touched (lookup
tables resolved), lamport and token balances before and after, logs, memo and error.

The checks a node makes before running one (signatures, replay, blockhash) are `LiteSvmChain`'s.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from solders.account import Account
from solders.litesvm import LiteSVM
from solders.message import MessageV0
from solders.pubkey import Pubkey
from solders.signature import Signature
from solders.transaction import VersionedTransaction
from solders.transaction_metadata import FailedTransactionMetadata, TransactionMetadata

from ece.chain.b58 import b58encode
from ece.chain.embedded.transactions import LandedTransaction, Simulation
from ece.chain.protocol import (
    LatestBlockhash,
    SignatureVerificationFailed,
    TokenBalance,
    TransactionErrorJson,
    TransactionFailed,
    transaction_error_json,
)
from ece.chain.tokens import spl

MEMO_PROGRAMS = frozenset(
    {
        Pubkey.from_string("MemoSq4gqABAXKb96qnH8TysNcWxMyWCqXgDLGmfcHr"),
        Pubkey.from_string("Memo1UhkJRfHyvLMcVucJwxXeuD728EqVDDwQDxFMNo"),
    }
)
_LOOKUP_TABLE_META_SIZE = 56


def execute(
    svm: LiteSVM, tx: VersionedTransaction, *, preflight: bool
) -> tuple[LandedTransaction, list[Account | None]]:
    """Run ``tx`` (after a simulation when ``preflight``): the landed transaction, which may carry
    an `err` (fee charged, nothing else changed), and its accounts afterwards. Raises
    `TransactionFailed` when it is refused without landing."""
    signature = tx.signatures[0]
    if preflight:
        simulated = svm.simulate_transaction(tx)
        if isinstance(simulated, FailedTransactionMetadata):
            raise _failure(simulated, signature, landed=False)
    keys, loaded_writable, loaded_readonly = _resolve_keys(svm, tx)
    pre = [svm.get_account(key) for key in keys]
    result = svm.send_transaction(tx)
    if isinstance(result, FailedTransactionMetadata):
        # Refused before execution (no fee): LiteSVM reports the default signature.
        if result.meta().signature() != signature:
            raise _failure(result, signature, landed=False)
        meta, err = result.meta(), transaction_error_json(result.err())
    else:
        meta, err = result, None
    post = [svm.get_account(key) for key in keys]
    clock = svm.get_clock()
    landed = LandedTransaction(
        transaction=tx,
        slot=clock.slot,
        block_time=clock.unix_timestamp,
        err=err,
        fee=meta.fee(),
        account_keys=keys,
        loaded_writable=loaded_writable,
        loaded_readonly=loaded_readonly,
        pre_balances=[0 if a is None else a.lamports for a in pre],
        post_balances=[0 if a is None else a.lamports for a in post],
        pre_token_balances=_token_balances(svm, keys, pre),
        post_token_balances=_token_balances(svm, keys, post),
        log_messages=list(meta.logs()),
        compute_units_consumed=meta.compute_units_consumed(),
        memo=_memo(tx, keys),
        inner_instructions=_inner_instructions(meta),
    )
    return landed, post


def _inner_instructions(meta: TransactionMetadata) -> list[dict[str, Any]]:
    groups: list[dict[str, Any]] = []
    for index, group in enumerate(meta.inner_instructions()):
        if group:
            groups.append(
                {
                    "index": index,
                    "instructions": [
                        {
                            "accounts": list(compiled.accounts),
                            "data": b58encode(bytes(compiled.data)),
                            "programIdIndex": compiled.program_id_index,
                            "stackHeight": inner.stack_height(),
                        }
                        for inner in group
                        for compiled in [inner.instruction()]
                    ],
                }
            )
    return groups


def simulate(
    svm: LiteSVM,
    tx: VersionedTransaction,
    *,
    sig_verify: bool,
    fee: int,
    replacement: LatestBlockhash | None,
) -> Simulation:
    # Simulation without sigVerify must accept unsigned transactions (wallets do this).
    svm.with_sigverify(sig_verify)
    try:
        result = svm.simulate_transaction(tx)
    finally:
        svm.with_sigverify(True)
    if isinstance(result, FailedTransactionMetadata):
        meta = result.meta()
        err: TransactionErrorJson | None = transaction_error_json(result.err())
    else:
        meta, err = result.meta(), None
    return Simulation(err, list(meta.logs()), meta.compute_units_consumed(), fee, replacement)


def mint_decimals(svm: LiteSVM, mint: Pubkey) -> int | None:
    account = svm.get_account(mint)
    if account is None or not spl.is_mint(bytes(account.data), account.owner):
        return None
    return spl.decode_mint(bytes(account.data)).decimals


def _resolve_keys(
    svm: LiteSVM, tx: VersionedTransaction
) -> tuple[list[Pubkey], list[Pubkey], list[Pubkey]]:
    """Static keys + addresses loaded from lookup tables (writable first, as the runtime)."""
    message = tx.message
    static = list(message.account_keys)
    if not isinstance(message, MessageV0):
        return static, [], []
    writable: list[Pubkey] = []
    readonly: list[Pubkey] = []
    for lookup in message.address_table_lookups:
        table = svm.get_account(lookup.account_key)
        if table is None:
            continue
        data = bytes(table.data)[_LOOKUP_TABLE_META_SIZE:]
        addresses = [Pubkey.from_bytes(data[i : i + 32]) for i in range(0, len(data), 32)]
        writable += [addresses[i] for i in lookup.writable_indexes if i < len(addresses)]
        readonly += [addresses[i] for i in lookup.readonly_indexes if i < len(addresses)]
    return static + writable + readonly, writable, readonly


def _token_balances(
    svm: LiteSVM, keys: Sequence[Pubkey], accounts: Sequence[Account | None]
) -> list[TokenBalance]:
    balances = []
    for index, (key, account) in enumerate(zip(keys, accounts, strict=True)):
        if account is None or not spl.is_token_account(bytes(account.data), account.owner):
            continue
        state = spl.decode_token_account(bytes(account.data))
        balances.append(
            TokenBalance(
                account_index=index,
                account=key,
                mint=state.mint,
                owner=state.owner,
                program_id=account.owner,
                amount=state.amount,
                decimals=mint_decimals(svm, state.mint) or 0,
            )
        )
    return balances


def _failure(
    result: FailedTransactionMetadata, signature: Signature, *, landed: bool
) -> TransactionFailed:
    err = transaction_error_json(result.err())
    logs = list(result.meta().logs())
    if err == "SignatureFailure":
        return SignatureVerificationFailed(err, logs, signature=signature, landed=landed)
    return TransactionFailed(err, logs, signature=signature, landed=landed)


def _memo(tx: VersionedTransaction, keys: Sequence[Pubkey]) -> str | None:
    # getSignaturesForAddress shows memos as "[<byte length>] <text>", joined with "; ".
    memos = []
    for instruction in tx.message.instructions:
        if keys[instruction.program_id_index] in MEMO_PROGRAMS:
            data = bytes(instruction.data)
            memos.append(f"[{len(data)}] {data.decode(errors='replace')}")
    return "; ".join(memos) or None
