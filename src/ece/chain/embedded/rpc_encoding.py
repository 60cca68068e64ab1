"""Solana JSON-RPC response shapes (accounts, token amounts, transactions) for the embedded chain.

Field names and nesting follow the validator's `UiAccount`, `UiTokenAmount`,
`EncodedConfirmedTransactionWithStatusMeta` serializations, which solana-py validates with the
solders response types and web3.js with superstruct: the shape must be exact.
"""

from __future__ import annotations

import base64
from typing import Any

import zstandard
from solders.account import Account
from solders.message import Message, MessageV0
from solders.pubkey import Pubkey

from ece.chain.b58 import b58decode, b58encode
from ece.chain.embedded.litesvm import LiteSvmChain
from ece.chain.embedded.rpc_amounts import ui_token_amount
from ece.chain.embedded.rpc_instructions import parse_instruction
from ece.chain.embedded.transactions import LandedTransaction
from ece.chain.protocol import TokenBalance
from ece.chain.tokens import spl

Json = Any


class EncodingError(ValueError):
    """The requested encoding cannot represent this data."""


# --- token amounts ---------------------------------------------------------------------------


def ui_token_balance(balance: TokenBalance) -> dict[str, Json]:
    return {
        "accountIndex": balance.account_index,
        "mint": str(balance.mint),
        "owner": None if balance.owner is None else str(balance.owner),
        "programId": None if balance.program_id is None else str(balance.program_id),
        "uiTokenAmount": ui_token_amount(balance.amount, balance.decimals),
    }


# --- accounts --------------------------------------------------------------------------------


def _extensions_json(extensions: list[spl.TokenExtension]) -> list[dict[str, Json]]:
    rendered: list[dict[str, Json]] = []
    for ext in extensions:
        if ext.extension_type == spl.EXTENSION_IMMUTABLE_OWNER:
            rendered.append({"extension": "immutableOwner"})
        elif ext.extension_type == spl.EXTENSION_METADATA_POINTER:
            authority, address = spl.decode_metadata_pointer(ext.value)
            pointer: dict[str, Json] = {
                "authority": None if authority is None else str(authority),
                "metadataAddress": None if address is None else str(address),
            }
            rendered.append({"extension": "metadataPointer", "state": pointer})
        elif ext.extension_type == spl.EXTENSION_TOKEN_METADATA:
            meta = spl.decode_token_metadata(ext.value)
            state: dict[str, Json] = {
                "updateAuthority": None
                if meta.update_authority is None
                else str(meta.update_authority),
                "mint": str(meta.mint),
                "name": meta.name,
                "symbol": meta.symbol,
                "uri": meta.uri,
                "additionalMetadata": [list(pair) for pair in meta.additional_metadata],
            }
            rendered.append({"extension": "tokenMetadata", "state": state})
        else:
            rendered.append({"extension": "unparseableExtension"})
    return rendered


def parsed_token_data(chain: LiteSvmChain, account: Account) -> dict[str, Json] | None:
    """The `data` of a jsonParsed token mint or token account, or None if it is neither."""
    data, owner = bytes(account.data), account.owner
    program = "spl-token-2022" if owner == spl.TOKEN_2022_PROGRAM_ID else "spl-token"
    if spl.is_mint(data, owner):
        mint = spl.decode_mint(data)
        info: dict[str, Json] = {
            "decimals": mint.decimals,
            "freezeAuthority": _opt(mint.freeze_authority),
            "isInitialized": mint.is_initialized,
            "mintAuthority": _opt(mint.mint_authority),
            "supply": str(mint.supply),
        }
        if mint.extensions:
            info["extensions"] = _extensions_json(mint.extensions)
        parsed: dict[str, Json] = {"info": info, "type": "mint"}
    elif spl.is_token_account(data, owner):
        state = spl.decode_token_account(data)
        decimals = chain.mint_decimals(state.mint) or 0
        info = {
            "isNative": state.is_native is not None,
            "mint": str(state.mint),
            "owner": str(state.owner),
            "state": state.state,
            "tokenAmount": ui_token_amount(state.amount, decimals),
        }
        if state.delegate is not None:
            info["delegate"] = str(state.delegate)
            info["delegatedAmount"] = ui_token_amount(state.delegated_amount, decimals)
        if state.close_authority is not None:
            info["closeAuthority"] = str(state.close_authority)
        if state.is_native is not None:
            info["rentExemptReserve"] = ui_token_amount(state.is_native, decimals)
        if state.extensions:
            info["extensions"] = _extensions_json(state.extensions)
        parsed = {"info": info, "type": "account"}
    else:
        return None
    return {"program": program, "parsed": parsed, "space": len(data)}


def ui_account(
    chain: LiteSvmChain,
    account: Account,
    encoding: str,
    data_slice: dict[str, int] | None = None,
) -> dict[str, Json]:
    raw = bytes(account.data)
    data: Json
    parsed = parsed_token_data(chain, account) if encoding == "jsonParsed" else None
    if parsed is not None:
        data = parsed
    else:
        if data_slice is not None:
            offset = data_slice.get("offset", 0)
            raw = raw[offset : offset + data_slice.get("length", len(raw))]
        if encoding in ("base64", "jsonParsed"):
            data = [base64.b64encode(raw).decode(), "base64"]
        elif encoding == "base64+zstd":
            compressed = zstandard.ZstdCompressor().compress(raw)
            data = [base64.b64encode(compressed).decode(), "base64+zstd"]
        elif encoding in ("base58", "binary"):
            if len(raw) > 128:
                raise EncodingError(
                    "Encoded binary (base 58) data should be less than 128 bytes, "
                    "please use Base64 encoding."
                )
            text = b58encode(raw)
            data = text if encoding == "binary" else [text, "base58"]
        else:
            raise EncodingError(f"unsupported encoding: {encoding}")
    return {
        "data": data,
        "executable": account.executable,
        "lamports": account.lamports,
        "owner": str(account.owner),
        "rentEpoch": account.rent_epoch,
        "space": len(bytes(account.data)),
    }


def _opt(key: Pubkey | None) -> str | None:
    return None if key is None else str(key)


# --- transactions ----------------------------------------------------------------------------


def _header(message: Message | MessageV0) -> dict[str, int]:
    header = message.header
    return {
        "numReadonlySignedAccounts": header.num_readonly_signed_accounts,
        "numReadonlyUnsignedAccounts": header.num_readonly_unsigned_accounts,
        "numRequiredSignatures": header.num_required_signatures,
    }


def _lookups(message: Message | MessageV0) -> list[dict[str, Json]] | None:
    if not isinstance(message, MessageV0):
        return None
    return [
        {
            "accountKey": str(lookup.account_key),
            "writableIndexes": list(lookup.writable_indexes),
            "readonlyIndexes": list(lookup.readonly_indexes),
        }
        for lookup in message.address_table_lookups
    ]


def _is_writable(landed: LandedTransaction, index: int) -> bool:
    header = landed.transaction.message.header
    static = len(landed.transaction.message.account_keys)
    signed = header.num_required_signatures
    if index >= static:
        return index < static + len(landed.loaded_writable)
    if index < signed:
        return index < signed - header.num_readonly_signed_accounts
    return index < static - header.num_readonly_unsigned_accounts


def parsed_keys(landed: LandedTransaction) -> list[dict[str, Json]]:
    """The account keys as jsonParsed shows them: who signs, who is written, where from."""
    message = landed.transaction.message
    signers = message.header.num_required_signatures
    static = len(message.account_keys)
    return [
        {
            "pubkey": str(key),
            "signer": index < signers,
            "source": "transaction" if index < static else "lookupTable",
            "writable": _is_writable(landed, index),
        }
        for index, key in enumerate(landed.account_keys)
    ]


def parsed_instruction(
    program_id: Pubkey, accounts: list[Pubkey], data: bytes, stack_height: int | None
) -> dict[str, Json]:
    """One instruction as jsonParsed shows it: parsed when its program is one the validator
    parses, else partially decoded (account addresses, base58 data)."""
    known = parse_instruction(program_id, accounts, data)
    if known is None:
        return {
            "accounts": [str(key) for key in accounts],
            "data": b58encode(data),
            "programId": str(program_id),
            "stackHeight": stack_height,
        }
    program, parsed = known
    return {
        "parsed": parsed,
        "program": program,
        "programId": str(program_id),
        "stackHeight": stack_height,
    }


def _inner_instructions(landed: LandedTransaction, parsed: bool) -> list[dict[str, Json]]:
    if not parsed:
        return landed.inner_instructions
    keys = landed.account_keys
    return [
        {
            "index": group["index"],
            "instructions": [
                parsed_instruction(
                    keys[inner["programIdIndex"]],
                    [keys[i] for i in inner["accounts"]],
                    b58decode(inner["data"]),
                    inner["stackHeight"],
                )
                for inner in group["instructions"]
            ],
        }
        for group in landed.inner_instructions
    ]


def _ui_message(landed: LandedTransaction, parsed: bool) -> dict[str, Json]:
    message = landed.transaction.message
    if not isinstance(message, Message | MessageV0):
        raise EncodingError("unsupported message version")
    static = list(message.account_keys)
    keys = landed.account_keys
    rendered: dict[str, Json]
    if parsed:
        rendered = {
            "accountKeys": parsed_keys(landed),
            "recentBlockhash": str(message.recent_blockhash),
            "instructions": [
                parsed_instruction(
                    keys[ix.program_id_index], [keys[i] for i in ix.accounts], bytes(ix.data), None
                )
                for ix in message.instructions
            ],
        }
    else:
        rendered = {
            "accountKeys": [str(key) for key in static],
            "header": _header(message),
            "recentBlockhash": str(message.recent_blockhash),
            "instructions": [
                {
                    "accounts": list(ix.accounts),
                    "data": b58encode(bytes(ix.data)),
                    "programIdIndex": ix.program_id_index,
                    "stackHeight": None,
                }
                for ix in message.instructions
            ],
        }
    lookups = _lookups(message)
    if lookups is not None:
        rendered["addressTableLookups"] = lookups
    return rendered


def encoded_transaction(
    landed: LandedTransaction, encoding: str, max_supported_version: int | None
) -> dict[str, Json]:
    tx = landed.transaction
    is_legacy = isinstance(tx.message, Message)
    transaction: Json
    if encoding == "base64":
        transaction = [base64.b64encode(bytes(tx)).decode(), "base64"]
    elif encoding in ("base58", "binary"):
        text = b58encode(bytes(tx))
        transaction = text if encoding == "binary" else [text, "base58"]
    elif encoding in ("json", "jsonParsed"):
        transaction = {
            "message": _ui_message(landed, parsed=encoding == "jsonParsed"),
            "signatures": [str(sig) for sig in tx.signatures],
        }
    else:
        raise EncodingError(f"unsupported encoding: {encoding}")
    meta: dict[str, Json] = {
        "computeUnitsConsumed": landed.compute_units_consumed,
        "err": landed.err,
        "fee": landed.fee,
        "innerInstructions": _inner_instructions(landed, encoding == "jsonParsed"),
        "logMessages": landed.log_messages,
        "postBalances": landed.post_balances,
        "postTokenBalances": [ui_token_balance(b) for b in landed.post_token_balances],
        "preBalances": landed.pre_balances,
        "preTokenBalances": [ui_token_balance(b) for b in landed.pre_token_balances],
        "rewards": [],
        "status": {"Ok": None} if landed.err is None else {"Err": landed.err},
    }
    if max_supported_version is not None:
        meta["loadedAddresses"] = {
            "readonly": [str(key) for key in landed.loaded_readonly],
            "writable": [str(key) for key in landed.loaded_writable],
        }
    result: dict[str, Json] = {
        "blockTime": landed.block_time,
        "meta": meta,
        "slot": landed.slot,
        "transaction": transaction,
    }
    if max_supported_version is not None:
        result["version"] = "legacy" if is_legacy else 0
    return result
