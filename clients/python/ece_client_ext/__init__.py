"""Hand-written helpers over the generated ``ece_client``: Sign-In With Solana with a keypair,
Idempotency-Keys, answers checked into values, and paying a deposit from a wallet key.

The generated package is rewritten by ``make sdk``; this one is not.
"""

from __future__ import annotations

import base64
import time
import uuid
from typing import Any, TypeVar

import httpx
from solders.keypair import Keypair
from solders.transaction import Transaction

from ece_client import AuthenticatedClient, Client
from ece_client.api.auth import challenge, login
from ece_client.api.chain import chain_facts
from ece_client.api.deposits import deposit_transaction, get_deposit
from ece_client.models import ChallengeIn, DepositOut, LoginIn, Problem, TransactionRequestIn
from ece_client.types import Response

__all__ = ["ApiError", "idempotency_key", "pay_deposit", "sign_in", "value", "wait_for_deposit"]

T = TypeVar("T")


class ApiError(Exception):
    """A problem+json answer: ``status``, the stable ``code`` and the plain-words ``detail``."""

    def __init__(self, status: int, problem: Problem | None, text: str) -> None:
        self.status = status
        self.code = problem.code if problem else None
        self.detail = problem.detail if problem else text
        super().__init__(f"{status} {self.code}: {self.detail}")


def value(response: Response[Any]) -> Any:
    """The parsed body of a 2xx answer; ``ApiError`` for anything else."""
    if 200 <= response.status_code < 300 and not isinstance(response.parsed, Problem):
        return response.parsed
    problem = response.parsed if isinstance(response.parsed, Problem) else None
    raise ApiError(response.status_code, problem, response.content.decode(errors="replace"))


def idempotency_key() -> str:
    """A fresh key for one value-moving request: send the same key again to retry it safely
    (same key and body within 24 h → the first answer, never a second execution)."""
    return str(uuid.uuid4())


def sign_in(base_url: str, keypair: Keypair, **client_options: Any) -> AuthenticatedClient:
    """Sign-In With Solana: ask for a challenge for the keypair's address, sign its message,
    log in, and return a client that sends the session's bearer token."""
    anonymous = Client(base_url=base_url, **client_options)
    address = str(keypair.pubkey())
    issued = value(challenge.sync_detailed(client=anonymous, body=ChallengeIn(address=address)))
    message = issued.message  # the message-text flow: asked with an address, it is always given
    if not isinstance(message, str):
        raise ApiError(200, None, "the challenge carried no message to sign")
    signature = keypair.sign_message(message.encode())
    session = value(login.sync_detailed(client=anonymous, body=LoginIn(message=message, signature=str(signature))))
    return AuthenticatedClient(base_url=base_url, token=session.access_token, **client_options)


def pay_deposit(client: AuthenticatedClient, keypair: Keypair, deposit_id: str) -> str:
    """Pay an open deposit from ``keypair``'s wallet: the server builds the transfer (Solana Pay
    transaction request), the key signs it, the chain's RPC sends it. Returns the signature."""
    request = value(
        deposit_transaction.sync_detailed(
            deposit_id, client=client, body=TransactionRequestIn(account=str(keypair.pubkey()))
        )
    )
    transaction = Transaction.from_bytes(base64.b64decode(request.transaction))
    transaction.sign([keypair], transaction.message.recent_blockhash)
    rpc_url = value(chain_facts.sync_detailed(client=client)).rpc_url
    call = {
        "jsonrpc": "2.0",
        "id": 1,
        "method": "sendTransaction",
        "params": [base64.b64encode(bytes(transaction)).decode(), {"encoding": "base64"}],
    }
    answer = httpx.post(rpc_url, json=call, timeout=30).json()
    if "error" in answer:
        raise ApiError(200, None, f"sendTransaction: {answer['error']}")
    return str(answer["result"])


def wait_for_deposit(client: AuthenticatedClient, deposit_id: str, timeout: float = 60.0) -> DepositOut:
    """The deposit once it is credited (the server credits transfers once they are final)."""
    deadline = time.monotonic() + timeout
    while True:
        deposit: DepositOut = value(get_deposit.sync_detailed(deposit_id, client=client))
        if deposit.status == "credited":
            return deposit
        if time.monotonic() > deadline:
            raise TimeoutError(f"deposit {deposit_id} is still {deposit.status}")
        time.sleep(0.5)
