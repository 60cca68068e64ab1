"""A Solana JSON-RPC 2.0 server over the embedded chain.

Real clients (solana-py, @solana/web3.js, wallets) talk to it unchanged, so method names,
parameter conventions (positional params, trailing config object), result shapes, `context`
wrappers and error codes follow the validator's RPC.
"""

from __future__ import annotations

import base64
import binascii
import logging
from collections.abc import Awaitable, Callable
from typing import Any

from solders.hash import Hash
from solders.message import from_bytes_versioned
from solders.pubkey import Pubkey
from solders.signature import Signature
from solders.transaction import VersionedTransaction

from ece.chain.b58 import b58decode
from ece.chain.embedded.litesvm import LiteSvmChain
from ece.chain.embedded.rpc_encoding import (
    EncodingError,
    Json,
    encoded_transaction,
    ui_account,
    ui_token_amount,
)
from ece.chain.protocol import SignatureVerificationFailed, TransactionErrorJson, TransactionFailed
from ece.chain.tokens import spl

logger = logging.getLogger(__name__)

API_VERSION = "2.2.0"
FEATURE_SET = 3294202862

# JSON-RPC 2.0 codes, and Solana's server-error codes.
PARSE_ERROR = -32700
INVALID_REQUEST = -32600
METHOD_NOT_FOUND = -32601
INVALID_PARAMS = -32602
INTERNAL_ERROR = -32603
SEND_TRANSACTION_PREFLIGHT_FAILURE = -32002
TRANSACTION_SIGNATURE_VERIFICATION_FAILURE = -32003
UNSUPPORTED_TRANSACTION_VERSION = -32015

MAX_SIGNATURE_STATUSES = 256
MAX_MULTIPLE_ACCOUNTS = 100
MAX_SIGNATURES_FOR_ADDRESS = 1000


class RpcError(Exception):
    def __init__(self, code: int, message: str, data: Json = None) -> None:
        super().__init__(message)
        self.code = code
        self.message = message
        self.data = data

    def to_json(self) -> dict[str, Json]:
        error: dict[str, Json] = {"code": self.code, "message": self.message}
        if self.data is not None:
            error["data"] = self.data
        return error


def error_response(error: RpcError, request_id: Json = None) -> dict[str, Json]:
    return {"jsonrpc": "2.0", "error": error.to_json(), "id": request_id}


# --- parameter parsing -----------------------------------------------------------------------


def _param(params: list[Json], index: int) -> Json:
    if index >= len(params):
        raise RpcError(INVALID_PARAMS, f"`params` should have at least {index + 1} argument(s)")
    return params[index]


def _config(params: list[Json], index: int) -> dict[str, Json]:
    config = params[index] if index < len(params) else None
    if config is None:
        return {}
    if not isinstance(config, dict):
        raise RpcError(INVALID_PARAMS, "Invalid params: config must be an object")
    return config


def _pubkey(value: Json) -> Pubkey:
    try:
        return Pubkey.from_string(str(value))
    except ValueError as exc:
        raise RpcError(INVALID_PARAMS, f"Invalid param: {exc}") from exc


def _signature(value: Json) -> Signature:
    try:
        return Signature.from_string(str(value))
    except ValueError as exc:
        raise RpcError(INVALID_PARAMS, "Invalid param: Invalid") from exc


def _int(value: Json, name: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise RpcError(INVALID_PARAMS, f"Invalid params: {name} must be a non-negative integer")
    return value


def _decode_wire(text: Json, encoding: str) -> bytes:
    if not isinstance(text, str):
        raise RpcError(INVALID_PARAMS, "Invalid params: expected an encoded string")
    try:
        if encoding == "base64":
            return base64.b64decode(text, validate=True)
        if encoding == "base58":
            return b58decode(text)
    except (binascii.Error, ValueError) as exc:
        raise RpcError(INVALID_PARAMS, f"invalid {encoding} encoding: {exc}") from exc
    raise RpcError(INVALID_PARAMS, f"Invalid params: unsupported encoding: {encoding}")


def _transaction(params: list[Json], config: dict[str, Json]) -> VersionedTransaction:
    raw = _decode_wire(_param(params, 0), config.get("encoding") or "base58")
    try:
        return VersionedTransaction.from_bytes(raw)
    except ValueError as exc:
        raise RpcError(
            INVALID_PARAMS, f"failed to deserialize solana_transaction::Transaction: {exc}"
        ) from exc


def _context(chain: LiteSvmChain, value: Json) -> dict[str, Json]:
    return {"context": {"apiVersion": API_VERSION, "slot": chain.slot}, "value": value}


def _error_text(err: TransactionErrorJson) -> str:
    """Human text for a transaction error, as the validator's Display impl words the common ones."""
    named = {
        "BlockhashNotFound": "Blockhash not found",
        "AlreadyProcessed": "This transaction has already been processed",
        "InsufficientFundsForFee": "Insufficient funds for fee",
        "AccountNotFound": "Attempt to debit an account but found no record of a prior credit.",
        "SignatureFailure": "Transaction did not pass signature verification",
    }
    if isinstance(err, str):
        return named.get(err, err)
    if "InstructionError" in err:
        index, detail = err["InstructionError"]
        if isinstance(detail, dict) and "Custom" in detail:
            return (
                f"Error processing Instruction {index}: custom program error: {detail['Custom']:#x}"
            )
        return f"Error processing Instruction {index}: {detail}"
    return str(err)


# --- methods ---------------------------------------------------------------------------------

Handler = Callable[[LiteSvmChain, list[Json]], Awaitable[Json]]


async def _get_health(chain: LiteSvmChain, params: list[Json]) -> Json:
    return "ok"


async def _get_version(chain: LiteSvmChain, params: list[Json]) -> Json:
    return {"feature-set": FEATURE_SET, "solana-core": API_VERSION}


async def _get_genesis_hash(chain: LiteSvmChain, params: list[Json]) -> Json:
    return str(chain.genesis_hash)


async def _get_slot(chain: LiteSvmChain, params: list[Json]) -> Json:
    return chain.slot


async def _get_block_height(chain: LiteSvmChain, params: list[Json]) -> Json:
    return chain.block_height


async def _get_epoch_info(chain: LiteSvmChain, params: list[Json]) -> Json:
    slot = chain.slot
    return {
        "absoluteSlot": slot,
        "blockHeight": chain.block_height,
        "epoch": 0,
        "slotIndex": slot,
        "slotsInEpoch": max(slot + 1, 432000),
        "transactionCount": None,
    }


async def _get_latest_blockhash(chain: LiteSvmChain, params: list[Json]) -> Json:
    latest = chain.latest_blockhash()
    return _context(
        chain,
        {
            "blockhash": str(latest.blockhash),
            "lastValidBlockHeight": latest.last_valid_block_height,
        },
    )


async def _is_blockhash_valid(chain: LiteSvmChain, params: list[Json]) -> Json:
    try:
        blockhash = Hash.from_string(str(_param(params, 0)))
    except ValueError as exc:
        raise RpcError(INVALID_PARAMS, "Invalid param: invalid blockhash") from exc
    return _context(chain, chain.is_blockhash_valid(blockhash))


async def _get_fee_for_message(chain: LiteSvmChain, params: list[Json]) -> Json:
    raw = _decode_wire(_param(params, 0), "base64")
    try:
        message = from_bytes_versioned(raw)
    except ValueError as exc:
        raise RpcError(INVALID_PARAMS, f"Invalid params: invalid message: {exc}") from exc
    if not chain.is_blockhash_valid(message.recent_blockhash):
        return _context(chain, None)
    fee = message.header.num_required_signatures * 5000
    return _context(chain, fee)


async def _get_minimum_balance(chain: LiteSvmChain, params: list[Json]) -> Json:
    return chain.minimum_balance_for_rent_exemption(_int(_param(params, 0), "data length"))


async def _get_balance(chain: LiteSvmChain, params: list[Json]) -> Json:
    account = chain.account(_pubkey(_param(params, 0)))
    return _context(chain, 0 if account is None else account.lamports)


def _render_account(chain: LiteSvmChain, address: Pubkey, config: dict[str, Json]) -> Json:
    account = chain.account(address)
    if account is None:
        return None
    try:
        return ui_account(
            chain, account, config.get("encoding") or "binary", config.get("dataSlice")
        )
    except EncodingError as exc:
        raise RpcError(INVALID_REQUEST, str(exc)) from exc


async def _get_account_info(chain: LiteSvmChain, params: list[Json]) -> Json:
    address = _pubkey(_param(params, 0))
    return _context(chain, _render_account(chain, address, _config(params, 1)))


async def _get_multiple_accounts(chain: LiteSvmChain, params: list[Json]) -> Json:
    addresses = _param(params, 0)
    if not isinstance(addresses, list) or len(addresses) > MAX_MULTIPLE_ACCOUNTS:
        raise RpcError(INVALID_PARAMS, f"Invalid params: up to {MAX_MULTIPLE_ACCOUNTS} keys")
    config = _config(params, 1)
    keys = [_pubkey(address) for address in addresses]
    return _context(chain, [_render_account(chain, key, config) for key in keys])


async def _get_token_account_balance(chain: LiteSvmChain, params: list[Json]) -> Json:
    address = _pubkey(_param(params, 0))
    account = chain.account(address)
    if account is None:
        raise RpcError(INVALID_PARAMS, "Invalid param: could not find account")
    if not spl.is_token_account(bytes(account.data), account.owner):
        raise RpcError(INVALID_PARAMS, "Invalid param: not a Token account")
    state = spl.decode_token_account(bytes(account.data))
    return _context(chain, ui_token_amount(state.amount, chain.mint_decimals(state.mint) or 0))


async def _get_token_supply(chain: LiteSvmChain, params: list[Json]) -> Json:
    account = chain.account(_pubkey(_param(params, 0)))
    if account is None:
        raise RpcError(INVALID_PARAMS, "Invalid param: could not find account")
    if not spl.is_mint(bytes(account.data), account.owner):
        raise RpcError(INVALID_PARAMS, "Invalid param: not a Token mint")
    mint = spl.decode_mint(bytes(account.data))
    return _context(chain, ui_token_amount(mint.supply, mint.decimals))


async def _get_token_accounts_by_owner(chain: LiteSvmChain, params: list[Json]) -> Json:
    owner = _pubkey(_param(params, 0))
    selector = _param(params, 1)
    config = _config(params, 2)
    if not isinstance(selector, dict) or len(selector) != 1:
        raise RpcError(INVALID_PARAMS, "Invalid params: expected {mint} or {programId} filter")
    mint: Pubkey | None = None
    if "mint" in selector:
        mint = _pubkey(selector["mint"])
        mint_account = chain.account(mint)
        if mint_account is None or mint_account.owner not in spl.TOKEN_PROGRAMS:
            raise RpcError(INVALID_PARAMS, "Invalid param: could not find mint")
        program = mint_account.owner
    elif "programId" in selector:
        program = _pubkey(selector["programId"])
        if program not in spl.TOKEN_PROGRAMS:
            raise RpcError(INVALID_PARAMS, "Invalid param: unrecognized Token program id")
    else:
        raise RpcError(INVALID_PARAMS, "Invalid params: expected {mint} or {programId} filter")
    matches: list[Json] = [
        {
            "account": ui_account(chain, account, config.get("encoding") or "binary"),
            "pubkey": str(address),
        }
        for address, account, _ in chain.token_accounts(owner, program, mint=mint)
    ]
    return _context(chain, matches)


def _preflight_error(failure: TransactionFailed) -> RpcError:
    data = {
        "accounts": None,
        "err": failure.err,
        "innerInstructions": None,
        "logs": failure.logs,
        "replacementBlockhash": None,
        "returnData": None,
        "unitsConsumed": 0,
    }
    return RpcError(
        SEND_TRANSACTION_PREFLIGHT_FAILURE,
        f"Transaction simulation failed: {_error_text(failure.err)}",
        data,
    )


async def _send_transaction(chain: LiteSvmChain, params: list[Json]) -> Json:
    config = _config(params, 1)
    tx = _transaction(params, config)
    try:
        landed = chain.submit(tx, preflight=not config.get("skipPreflight", False))
    except SignatureVerificationFailed as exc:
        raise RpcError(
            TRANSACTION_SIGNATURE_VERIFICATION_FAILURE, "Transaction signature verification failure"
        ) from exc
    except TransactionFailed as failure:
        if config.get("skipPreflight", False):
            # Without preflight a validator accepts and then drops such a transaction.
            return str(tx.signatures[0])
        raise _preflight_error(failure) from failure
    return str(landed.signature)


async def _simulate_transaction(chain: LiteSvmChain, params: list[Json]) -> Json:
    config = _config(params, 1)
    tx = _transaction(params, {"encoding": config.get("encoding") or "base58"})
    sig_verify = bool(config.get("sigVerify", False))
    replace = bool(config.get("replaceRecentBlockhash", False))
    if sig_verify and replace:
        raise RpcError(INVALID_PARAMS, "sigVerify may not be used with replaceRecentBlockhash")
    try:
        simulation = chain.simulate(tx, sig_verify=sig_verify, replace_blockhash=replace)
    except SignatureVerificationFailed as exc:
        raise RpcError(
            TRANSACTION_SIGNATURE_VERIFICATION_FAILURE, "Transaction signature verification failure"
        ) from exc
    replacement = simulation.replacement_blockhash
    return _context(
        chain,
        {
            "accounts": None,
            "err": simulation.err,
            "fee": simulation.fee,
            "innerInstructions": None,
            "logs": simulation.logs,
            "replacementBlockhash": None
            if replacement is None
            else {
                "blockhash": str(replacement.blockhash),
                "lastValidBlockHeight": replacement.last_valid_block_height,
            },
            "returnData": None,
            "unitsConsumed": simulation.units_consumed,
        },
    )


async def _get_signature_statuses(chain: LiteSvmChain, params: list[Json]) -> Json:
    signatures = _param(params, 0)
    if not isinstance(signatures, list) or len(signatures) > MAX_SIGNATURE_STATUSES:
        raise RpcError(INVALID_PARAMS, f"Invalid params: up to {MAX_SIGNATURE_STATUSES} sigs")
    statuses: list[Json] = []
    for raw in signatures:
        status = await chain.get_signature_status(_signature(raw))
        if status is None:
            statuses.append(None)
            continue
        statuses.append(
            {
                "confirmationStatus": status.confirmation_status,
                "confirmations": None,
                "err": status.err,
                "slot": status.slot,
                "status": {"Ok": None} if status.err is None else {"Err": status.err},
            }
        )
    return _context(chain, statuses)


async def _get_signatures_for_address(chain: LiteSvmChain, params: list[Json]) -> Json:
    address = _pubkey(_param(params, 0))
    config = _config(params, 1)
    limit = _int(config.get("limit") or MAX_SIGNATURES_FOR_ADDRESS, "limit")
    if not 1 <= limit <= MAX_SIGNATURES_FOR_ADDRESS:
        raise RpcError(INVALID_PARAMS, "Invalid limit; max 1000")
    before = config.get("before")
    until = config.get("until")
    infos = chain.signature_infos(
        address,
        limit=limit,
        before=None if before is None else _signature(before),
        until=None if until is None else _signature(until),
    )
    return [
        {
            "blockTime": None if info.block_time is None else int(info.block_time.timestamp()),
            "confirmationStatus": "finalized",
            "err": info.err,
            "memo": info.memo,
            "signature": str(info.signature),
            "slot": info.slot,
        }
        for info in infos
    ]


async def _get_transaction(chain: LiteSvmChain, params: list[Json]) -> Json:
    signature = _signature(_param(params, 0))
    # A bare string as second param is the legacy way to pass the encoding.
    raw_config = params[1] if len(params) > 1 else None
    config = {"encoding": raw_config} if isinstance(raw_config, str) else _config(params, 1)
    raw_version = config.get("maxSupportedTransactionVersion")
    max_version = None if raw_version is None else _int(raw_version, "version")
    landed = chain.landed_transaction(signature)
    if landed is None:
        return None
    version = landed.transaction.version()
    if isinstance(version, int) and (max_version is None or version > max_version):
        raise RpcError(
            UNSUPPORTED_TRANSACTION_VERSION,
            f"Transaction version ({version}) is not supported by the requesting client. "
            "Please try the request again with the following configuration parameter: "
            f'"maxSupportedTransactionVersion": {version}',
        )
    try:
        return encoded_transaction(landed, config.get("encoding") or "json", max_version)
    except EncodingError as exc:
        raise RpcError(INVALID_PARAMS, str(exc)) from exc


async def _request_airdrop(chain: LiteSvmChain, params: list[Json]) -> Json:
    address = _pubkey(_param(params, 0))
    lamports = _int(_param(params, 1), "lamports")
    try:
        return str(chain.airdrop_transaction(address, lamports).signature)
    except TransactionFailed as failure:
        raise RpcError(INTERNAL_ERROR, f"airdrop failed: {_error_text(failure.err)}") from failure


async def _get_recent_prioritization_fees(chain: LiteSvmChain, params: list[Json]) -> Json:
    return []


METHODS: dict[str, Handler] = {
    "getAccountInfo": _get_account_info,
    "getBalance": _get_balance,
    "getBlockHeight": _get_block_height,
    "getEpochInfo": _get_epoch_info,
    "getFeeForMessage": _get_fee_for_message,
    "getGenesisHash": _get_genesis_hash,
    "getHealth": _get_health,
    "getLatestBlockhash": _get_latest_blockhash,
    "getMinimumBalanceForRentExemption": _get_minimum_balance,
    "getMultipleAccounts": _get_multiple_accounts,
    "getRecentPrioritizationFees": _get_recent_prioritization_fees,
    "getSignatureStatuses": _get_signature_statuses,
    "getSignaturesForAddress": _get_signatures_for_address,
    "getSlot": _get_slot,
    "getTokenAccountBalance": _get_token_account_balance,
    "getTokenAccountsByOwner": _get_token_accounts_by_owner,
    "getTokenSupply": _get_token_supply,
    "getTransaction": _get_transaction,
    "getVersion": _get_version,
    "isBlockhashValid": _is_blockhash_valid,
    "requestAirdrop": _request_airdrop,
    "sendTransaction": _send_transaction,
    "simulateTransaction": _simulate_transaction,
}


async def _handle_one(chain: LiteSvmChain, request: Json, *, allow_airdrop: bool) -> Json:
    if not isinstance(request, dict):
        return error_response(RpcError(INVALID_REQUEST, "Invalid request"))
    request_id = request.get("id")
    if not isinstance(request_id, str | int | None) or isinstance(request_id, bool):
        return error_response(RpcError(INVALID_REQUEST, "Invalid request"))
    method = request.get("method")
    params = request.get("params", [])
    if request.get("jsonrpc") != "2.0" or not isinstance(method, str):
        return error_response(RpcError(INVALID_REQUEST, "Invalid request"), request_id)
    if params is None:
        params = []
    if not isinstance(params, list):
        return error_response(RpcError(INVALID_PARAMS, "Invalid params"), request_id)
    handler = METHODS.get(method)
    if method == "requestAirdrop" and not allow_airdrop:
        handler = None  # free SOL is for development and tests only
    if handler is None:
        return error_response(RpcError(METHOD_NOT_FOUND, "Method not found"), request_id)
    try:
        result = await handler(chain, params)
    except RpcError as error:
        response = error_response(error, request_id)
    except (TypeError, KeyError, AttributeError, ValueError) as exc:
        # Malformed values inside params (e.g. a number where an object belongs).
        response = error_response(RpcError(INVALID_PARAMS, f"Invalid params: {exc}"), request_id)
    except Exception:
        # One broken request must not take down its batch; the failure is logged, not hidden.
        logger.exception("jsonrpc method %s failed", method)
        response = error_response(RpcError(INTERNAL_ERROR, "Internal error"), request_id)
    else:
        response = {"jsonrpc": "2.0", "result": result, "id": request_id}
    # A request without "id" is a notification: it runs, but gets no response.
    return response if "id" in request else None


def batch_too_large(payload: Any, max_batch: int) -> dict[str, Json] | None:
    """The error answer for a batch of more than ``max_batch`` calls (none of which runs)."""
    if isinstance(payload, list) and len(payload) > max_batch:
        message = f"Invalid request: a batch holds at most {max_batch} calls"
        return error_response(RpcError(INVALID_REQUEST, message))
    return None


async def handle_jsonrpc(
    chain: LiteSvmChain, payload: Any, *, allow_airdrop: bool = True, max_batch: int = 100
) -> Any:
    """Answer one JSON-RPC request or a batch; None when nothing needs answering."""
    if isinstance(payload, list):
        if not payload:
            return error_response(RpcError(INVALID_REQUEST, "Invalid request"))
        if (too_large := batch_too_large(payload, max_batch)) is not None:
            return too_large
        responses = [
            await _handle_one(chain, request, allow_airdrop=allow_airdrop) for request in payload
        ]
        answered = [response for response in responses if response is not None]
        return answered or None
    return await _handle_one(chain, payload, allow_airdrop=allow_airdrop)
