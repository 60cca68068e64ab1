"""JSON-RPC methods about transactions: sending and simulating one, its status and history,
and the development faucet (requestAirdrop)."""

from __future__ import annotations

from ece.chain.embedded.litesvm import LiteSvmChain
from ece.chain.embedded.rpc_encoding import EncodingError, Json, encoded_transaction
from ece.chain.embedded.rpc_errors import (
    INTERNAL_ERROR,
    INVALID_PARAMS,
    SEND_TRANSACTION_PREFLIGHT_FAILURE,
    TRANSACTION_SIGNATURE_VERIFICATION_FAILURE,
    UNSUPPORTED_TRANSACTION_VERSION,
    RpcError,
    error_text,
)
from ece.chain.embedded.rpc_params import (
    Handler,
    nonnegative_int,
    options,
    param,
    pubkey_param,
    signature_param,
    transaction_param,
    with_context,
)
from ece.chain.protocol import SignatureVerificationFailed, TransactionFailed

MAX_SIGNATURE_STATUSES = 256
MAX_SIGNATURES_FOR_ADDRESS = 1000


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
        f"Transaction simulation failed: {error_text(failure.err)}",
        data,
    )


async def _send_transaction(chain: LiteSvmChain, params: list[Json]) -> Json:
    config = options(params, 1)
    tx = transaction_param(params, config)
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
    config = options(params, 1)
    tx = transaction_param(params, {"encoding": config.get("encoding") or "base58"})
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
    return with_context(
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
    signatures = param(params, 0)
    if not isinstance(signatures, list) or len(signatures) > MAX_SIGNATURE_STATUSES:
        raise RpcError(INVALID_PARAMS, f"Invalid params: up to {MAX_SIGNATURE_STATUSES} sigs")
    statuses: list[Json] = []
    for raw in signatures:
        status = await chain.get_signature_status(signature_param(raw))
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
    return with_context(chain, statuses)


async def _get_signatures_for_address(chain: LiteSvmChain, params: list[Json]) -> Json:
    address = pubkey_param(param(params, 0))
    config = options(params, 1)
    limit = nonnegative_int(config.get("limit") or MAX_SIGNATURES_FOR_ADDRESS, "limit")
    if not 1 <= limit <= MAX_SIGNATURES_FOR_ADDRESS:
        raise RpcError(INVALID_PARAMS, "Invalid limit; max 1000")
    before = config.get("before")
    until = config.get("until")
    infos = chain.signature_infos(
        address,
        limit=limit,
        before=None if before is None else signature_param(before),
        until=None if until is None else signature_param(until),
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
    signature = signature_param(param(params, 0))
    # A bare string as second param is the legacy way to pass the encoding.
    raw_config = params[1] if len(params) > 1 else None
    config = {"encoding": raw_config} if isinstance(raw_config, str) else options(params, 1)
    raw_version = config.get("maxSupportedTransactionVersion")
    max_version = None if raw_version is None else nonnegative_int(raw_version, "version")
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
    address = pubkey_param(param(params, 0))
    lamports = nonnegative_int(param(params, 1), "lamports")
    try:
        return str(chain.airdrop_transaction(address, lamports).signature)
    except TransactionFailed as failure:
        raise RpcError(INTERNAL_ERROR, f"airdrop failed: {error_text(failure.err)}") from failure


METHODS: dict[str, Handler] = {
    "getSignatureStatuses": _get_signature_statuses,
    "getSignaturesForAddress": _get_signatures_for_address,
    "getTransaction": _get_transaction,
    "requestAirdrop": _request_airdrop,
    "sendTransaction": _send_transaction,
    "simulateTransaction": _simulate_transaction,
}
