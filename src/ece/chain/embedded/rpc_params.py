"""Reading JSON-RPC parameters the validator's way (positional params, trailing config object),
and the `context` wrapper of its answers. A bad parameter is an `RpcError` (INVALID_PARAMS)."""

from __future__ import annotations

import base64
import binascii
from collections.abc import Awaitable, Callable

from solders.pubkey import Pubkey
from solders.signature import Signature
from solders.transaction import VersionedTransaction

from ece.chain.b58 import b58decode
from ece.chain.embedded.litesvm import LiteSvmChain
from ece.chain.embedded.rpc_encoding import Json
from ece.chain.embedded.rpc_errors import INVALID_PARAMS, RpcError

API_VERSION = "2.2.0"

# One method: the chain and the request's positional params in, the JSON result out.
Handler = Callable[[LiteSvmChain, list[Json]], Awaitable[Json]]


def param(params: list[Json], index: int) -> Json:
    if index >= len(params):
        raise RpcError(INVALID_PARAMS, f"`params` should have at least {index + 1} argument(s)")
    return params[index]


def options(params: list[Json], index: int) -> dict[str, Json]:
    config = params[index] if index < len(params) else None
    if config is None:
        return {}
    if not isinstance(config, dict):
        raise RpcError(INVALID_PARAMS, "Invalid params: config must be an object")
    return config


def pubkey_param(value: Json) -> Pubkey:
    try:
        return Pubkey.from_string(str(value))
    except ValueError as exc:
        raise RpcError(INVALID_PARAMS, f"Invalid param: {exc}") from exc


def signature_param(value: Json) -> Signature:
    try:
        return Signature.from_string(str(value))
    except ValueError as exc:
        raise RpcError(INVALID_PARAMS, "Invalid param: Invalid") from exc


def nonnegative_int(value: Json, name: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise RpcError(INVALID_PARAMS, f"Invalid params: {name} must be a non-negative integer")
    return value


def decode_wire(text: Json, encoding: str) -> bytes:
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


def transaction_param(params: list[Json], config: dict[str, Json]) -> VersionedTransaction:
    raw = decode_wire(param(params, 0), config.get("encoding") or "base58")
    try:
        return VersionedTransaction.from_bytes(raw)
    except ValueError as exc:
        raise RpcError(
            INVALID_PARAMS, f"failed to deserialize solana_transaction::Transaction: {exc}"
        ) from exc


def with_context(chain: LiteSvmChain, value: Json) -> dict[str, Json]:
    return {"context": {"apiVersion": API_VERSION, "slot": chain.slot}, "value": value}
