"""Solana Pay: transfer-request URLs, references, and validating what a transaction paid.

Follows the Solana Pay specification (https://docs.solanapay.com/spec): a payment is found by a
reference key carried as a read-only account of the transfer instruction, and is valid when the
transaction succeeded and moved the right mint into the recipient's token account. The amount
credited is the amount the instruction actually moved, checked against the recipient account's
balance change.
"""

from __future__ import annotations

import io
import struct
from dataclasses import dataclass
from urllib.parse import quote

import segno
from solders.keypair import Keypair
from solders.pubkey import Pubkey

from ece.chain.b58 import b58decode
from ece.chain.base import ConfirmedTransaction, TokenBalance

_TRANSFER = 3
_TRANSFER_CHECKED = 12


class InvalidAddress(ValueError):
    """Text that is not a base58-encoded 32-byte Solana address."""


def parse_address(text: str) -> Pubkey:
    try:
        raw = b58decode(text)
    except ValueError as exc:
        raise InvalidAddress("the address is not base58") from exc
    if len(raw) != 32:
        raise InvalidAddress("the address is not 32 bytes")
    return Pubkey.from_bytes(raw)


def new_reference() -> Pubkey:
    """A fresh random public key nobody holds the secret of: it only tags the payment."""
    return Keypair().pubkey()


def transfer_request_url(
    *, recipient: Pubkey, amount: str, mint: Pubkey, reference: Pubkey, label: str, message: str
) -> str:
    """``solana:<recipient>?amount=...&spl-token=...&reference=...&label=...&message=...``"""
    query = "&".join(
        f"{name}={quote(value, safe='')}"
        for name, value in (
            ("amount", amount),
            ("spl-token", str(mint)),
            ("reference", str(reference)),
            ("label", label),
            ("message", message),
        )
    )
    return f"solana:{recipient}?{query}"


@dataclass(frozen=True, slots=True)
class ReceivedTransfer:
    instruction_index: int
    source: Pubkey
    amount: int


def received_transfers(
    tx: ConfirmedTransaction,
    *,
    reference: Pubkey,
    destination: Pubkey,
    mint: Pubkey,
    token_program: Pubkey,
) -> list[ReceivedTransfer]:
    """The top-level token transfers of ``tx`` into ``destination`` that carry ``reference``.

    Empty when the transaction failed, or when the destination's balance grew by less than the
    instructions claim (nothing is credited that did not arrive).
    """
    if tx.err is not None or tx.transaction is None:
        return []
    keys = tx.account_keys
    found: list[ReceivedTransfer] = []
    into_destination = 0
    for index, instruction in enumerate(tx.transaction.message.instructions):
        if keys[instruction.program_id_index] != token_program:
            continue
        data = bytes(instruction.data)
        accounts = [keys[i] for i in instruction.accounts]
        if data[:1] == bytes([_TRANSFER_CHECKED]) and len(data) >= 10 and len(accounts) >= 4:
            source, sent_mint, target = accounts[0], accounts[1], accounts[2]
            if sent_mint != mint:
                continue
        elif data[:1] == bytes([_TRANSFER]) and len(data) >= 9 and len(accounts) >= 3:
            # No mint in a plain Transfer: the token program checks it against the destination.
            source, target = accounts[0], accounts[1]
        else:
            continue
        if target != destination:
            continue
        (amount,) = struct.unpack_from("<Q", data, 1)
        into_destination += amount
        if reference in accounts:
            found.append(ReceivedTransfer(index, source, amount))
    if found and _balance_change(tx, destination, mint) < into_destination:
        return []
    return found


def _balance_change(tx: ConfirmedTransaction, account: Pubkey, mint: Pubkey) -> int:
    def amount(balances: list[TokenBalance]) -> int:
        # A token account created by this very transaction has no "pre" entry: it held 0.
        for balance in balances:
            if balance.account == account and balance.mint == mint:
                return balance.amount
        return 0

    return amount(tx.post_token_balances) - amount(tx.pre_token_balances)


def qr_svg(url: str) -> bytes:
    """A Solana Pay URL as an SVG QR code (error correction M, as wallets scan from screens)."""
    code = segno.make(url, error="m", micro=False)
    out = io.BytesIO()
    code.save(out, kind="svg", scale=6, border=4, dark="#000", light="#fff", xmldecl=False)
    return out.getvalue()
