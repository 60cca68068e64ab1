"""Solana RPC PubSub (the validator's WebSocket API) over the embedded chain.

One `PubSubSession` per WebSocket connection: it answers `*Subscribe` / `*Unsubscribe` calls and
turns the chain's events (a slot passed, a transaction landed) into the validator's
notifications. Every transaction here is final as soon as it lands, so each commitment level
(processed, confirmed, finalized) notifies at once. A signature that already landed when it is
subscribed to is notified right after the subscription's answer (clients subscribe after they
send), then the subscription ends, as on a validator.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from solders.pubkey import Pubkey
from solders.signature import Signature
from solders.system_program import ID as SYSTEM_PROGRAM_ID

from ece.chain.embedded.events import ChainEvent, SlotAdvanced, TransactionLanded
from ece.chain.embedded.litesvm import LiteSvmChain
from ece.chain.embedded.rpc_accounts import ACCOUNT_ENCODINGS
from ece.chain.embedded.rpc_encoding import EncodingError, Json, ui_account
from ece.chain.embedded.rpc_errors import (
    INVALID_PARAMS,
    INVALID_REQUEST,
    METHOD_NOT_FOUND,
    PARSE_ERROR,
    RpcError,
    error_response,
)
from ece.chain.embedded.rpc_filters import account_filters, matches_filters
from ece.chain.embedded.rpc_params import options, param, pubkey_param, signature_param
from ece.chain.embedded.transactions import LandedTransaction

COMMITMENTS = ("processed", "confirmed", "finalized")


@dataclass(frozen=True, slots=True)
class _AccountSub:
    address: Pubkey
    encoding: str


@dataclass(frozen=True, slots=True)
class _ProgramSub:
    program: Pubkey
    encoding: str
    filters: list[dict[str, Any]]


@dataclass(frozen=True, slots=True)
class _SignatureSub:
    signature: Signature


@dataclass(frozen=True, slots=True)
class _LogsSub:
    mentions: Pubkey | None  # None: every transaction


@dataclass(slots=True)
class _Subscriptions:
    accounts: dict[int, _AccountSub] = field(default_factory=dict)
    programs: dict[int, _ProgramSub] = field(default_factory=dict)
    signatures: dict[int, _SignatureSub] = field(default_factory=dict)
    logs: dict[int, _LogsSub] = field(default_factory=dict)
    slots: set[int] = field(default_factory=set)
    roots: set[int] = field(default_factory=set)

    def count(self) -> int:
        return (
            len(self.accounts)
            + len(self.programs)
            + len(self.signatures)
            + len(self.logs)
            + len(self.slots)
            + len(self.roots)
        )


def _commitment(config: dict[str, Json]) -> None:
    commitment = config.get("commitment")
    if commitment is not None and commitment not in COMMITMENTS:
        raise RpcError(INVALID_PARAMS, f"Invalid params: unknown commitment {commitment!r}")


def _encoding(config: dict[str, Json]) -> str:
    encoding = config.get("encoding") or "binary"
    if encoding not in ACCOUNT_ENCODINGS:
        raise RpcError(INVALID_PARAMS, f"Invalid params: unknown encoding {encoding!r}")
    return str(encoding)


def _notification(method: str, subscription: int, result: Json) -> str:
    return json.dumps(
        {
            "jsonrpc": "2.0",
            "method": method,
            "params": {"result": result, "subscription": subscription},
        }
    )


class PubSubSession:
    """The subscriptions of one connection. ``send`` queues a text frame for the client."""

    def __init__(
        self, chain: LiteSvmChain, send: Callable[[str], None], *, max_subscriptions: int
    ) -> None:
        self._chain = chain
        self._send = send
        self._max = max_subscriptions
        self._subs = _Subscriptions()
        self._next_id = 0

    # --- requests ----------------------------------------------------------------------------

    def handle_text(self, text: str) -> None:
        try:
            payload = json.loads(text)
        except (ValueError, RecursionError):
            self._send(json.dumps(error_response(RpcError(PARSE_ERROR, "Parse error"))))
            return
        requests = payload if isinstance(payload, list) and payload else [payload]
        for request in requests:
            self._handle_one(request)

    def _handle_one(self, request: Json) -> None:
        if not isinstance(request, dict):
            self._send(json.dumps(error_response(RpcError(INVALID_REQUEST, "Invalid request"))))
            return
        request_id = request.get("id")
        method = request.get("method")
        params = request.get("params") or []
        after: Callable[[], None] | None = None
        try:
            if request.get("jsonrpc") != "2.0" or not isinstance(method, str):
                raise RpcError(INVALID_REQUEST, "Invalid request")
            if not isinstance(params, list):
                raise RpcError(INVALID_PARAMS, "Invalid params")
            result, after = self._dispatch(method, params)
        except RpcError as error:
            answer = error_response(error, request_id)
        except (TypeError, KeyError, AttributeError, ValueError) as exc:
            answer = error_response(RpcError(INVALID_PARAMS, f"Invalid params: {exc}"), request_id)
        else:
            answer = {"jsonrpc": "2.0", "result": result, "id": request_id}
        self._send(json.dumps(answer))
        if after is not None:
            after()

    def _new_id(self) -> int:
        if self._subs.count() >= self._max:
            raise RpcError(
                INVALID_REQUEST, f"Invalid request: at most {self._max} subscriptions a connection"
            )
        self._next_id += 1
        return self._next_id

    def _dispatch(self, method: str, params: list[Json]) -> tuple[Json, Callable[[], None] | None]:
        subs = self._subs
        if method == "accountSubscribe":
            address = pubkey_param(param(params, 0))
            config = options(params, 1)
            _commitment(config)
            sub_id = self._new_id()
            subs.accounts[sub_id] = _AccountSub(address, _encoding(config))
            return sub_id, None
        if method == "programSubscribe":
            program = pubkey_param(param(params, 0))
            config = options(params, 1)
            _commitment(config)
            filters = account_filters(config.get("filters"))
            sub_id = self._new_id()
            subs.programs[sub_id] = _ProgramSub(program, _encoding(config), filters)
            return sub_id, None
        if method == "signatureSubscribe":
            signature = signature_param(param(params, 0))
            _commitment(options(params, 1))
            sub_id = self._new_id()
            subs.signatures[sub_id] = _SignatureSub(signature)
            return sub_id, lambda: self._signature_already_landed(sub_id)
        if method == "logsSubscribe":
            mentions = _logs_filter(param(params, 0))
            _commitment(options(params, 1))
            sub_id = self._new_id()
            subs.logs[sub_id] = _LogsSub(mentions)
            return sub_id, None
        if method == "slotSubscribe":
            sub_id = self._new_id()
            subs.slots.add(sub_id)
            return sub_id, None
        if method == "rootSubscribe":
            sub_id = self._new_id()
            subs.roots.add(sub_id)
            return sub_id, None
        unsubscribe: dict[str, dict[int, Any] | set[int]] = {
            "accountUnsubscribe": subs.accounts,
            "programUnsubscribe": subs.programs,
            "signatureUnsubscribe": subs.signatures,
            "logsUnsubscribe": subs.logs,
            "slotUnsubscribe": subs.slots,
            "rootUnsubscribe": subs.roots,
        }
        if method in unsubscribe:
            sub_id = param(params, 0)
            table = unsubscribe[method]
            if isinstance(sub_id, bool) or not isinstance(sub_id, int) or sub_id not in table:
                raise RpcError(INVALID_PARAMS, "Invalid subscription id.")
            if isinstance(table, set):
                table.discard(sub_id)
            else:
                del table[sub_id]
            return True, None
        raise RpcError(METHOD_NOT_FOUND, "Method not found")

    def _signature_already_landed(self, sub_id: int) -> None:
        sub = self._subs.signatures.get(sub_id)
        if sub is None:
            return
        landed = self._chain.landed_transaction(sub.signature)
        if landed is not None:
            self._notify_signature(sub_id, landed)

    # --- events ------------------------------------------------------------------------------

    def on_event(self, event: ChainEvent) -> None:
        if isinstance(event, SlotAdvanced):
            slot_result = {"parent": event.parent, "root": event.slot, "slot": event.slot}
            for sub_id in sorted(self._subs.slots):
                self._send(_notification("slotNotification", sub_id, slot_result))
            for sub_id in sorted(self._subs.roots):
                self._send(_notification("rootNotification", sub_id, event.slot))
        elif isinstance(event, TransactionLanded):
            self._on_landed(event.landed)

    def _on_landed(self, landed: LandedTransaction) -> None:
        context = {"slot": landed.slot}
        for sub_id, sig_sub in list(self._subs.signatures.items()):
            if sig_sub.signature == landed.signature:
                self._notify_signature(sub_id, landed)
        for sub_id, logs_sub in self._subs.logs.items():
            if logs_sub.mentions is None or logs_sub.mentions in landed.account_keys:
                value = {
                    "err": landed.err,
                    "logs": landed.log_messages,
                    "signature": str(landed.signature),
                }
                self._send(
                    _notification("logsNotification", sub_id, {"context": context, "value": value})
                )
        touched = set(landed.account_keys)
        for sub_id, account_sub in self._subs.accounts.items():
            if account_sub.address in touched:
                account = self._rendered(account_sub.address, account_sub.encoding)
                self._send(
                    _notification(
                        "accountNotification", sub_id, {"context": context, "value": account}
                    )
                )
        for sub_id, program_sub in self._subs.programs.items():
            for address in landed.account_keys:
                current = self._chain.account(address)
                if current is None or current.owner != program_sub.program:
                    continue
                if not matches_filters(bytes(current.data), program_sub.filters):
                    continue
                value = {
                    "account": self._rendered(address, program_sub.encoding),
                    "pubkey": str(address),
                }
                self._send(
                    _notification(
                        "programNotification", sub_id, {"context": context, "value": value}
                    )
                )

    def _notify_signature(self, sub_id: int, landed: LandedTransaction) -> None:
        # One notification, then the subscription is over (the validator's rule).
        del self._subs.signatures[sub_id]
        result = {"context": {"slot": landed.slot}, "value": {"err": landed.err}}
        self._send(_notification("signatureNotification", sub_id, result))

    def _rendered(self, address: Pubkey, encoding: str) -> Json:
        account = self._chain.account(address)
        if account is None:
            # A closed account: what a validator sends, an empty system account.
            return {
                "data": ["", "base64"] if encoding != "binary" else "",
                "executable": False,
                "lamports": 0,
                "owner": str(SYSTEM_PROGRAM_ID),
                "rentEpoch": 0,
                "space": 0,
            }
        try:
            return ui_account(self._chain, account, encoding)
        except EncodingError:
            return ui_account(self._chain, account, "base64")


def _logs_filter(value: Json) -> Pubkey | None:
    if value in ("all", "allWithVotes"):
        return None
    if isinstance(value, dict) and isinstance(value.get("mentions"), list):
        mentions = value["mentions"]
        if len(mentions) != 1:
            raise RpcError(INVALID_PARAMS, "Invalid Request: Only 1 address supported")
        return pubkey_param(mentions[0])
    raise RpcError(INVALID_PARAMS, 'Invalid params: expected "all" or {"mentions": [address]}')
