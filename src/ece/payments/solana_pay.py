"""Solana Pay: transfer-request URLs, references, and reading what a transaction paid.

Follows the Solana Pay specification (https://docs.solanapay.com/spec): a payment is found by a
reference key carried as a read-only account of the transfer instruction. What a transaction
paid into custody is read from its instructions and checked against custody's token balance
changes (``meta.pre/postTokenBalances``): an instruction's amount counts only when the balance
really grew by it.
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
from ece.chain.protocol import ConfirmedTransaction, TokenBalance
from ece.chain.tokens import spl
from ece.chain.tokens.spl import TOKEN_PROGRAMS

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


def transaction_request_link(domain: str, token: str) -> str:
    """The HTTPS endpoint a wallet calls for a deposit's transaction (the spec wants HTTPS)."""
    return f"https://{domain}/pay/deposits/{token}"


def transaction_request_url(link: str, *, label: str, message: str) -> str:
    """``solana:<link>?label=...&message=...``: the link URL-encoded as the pathname, so a wallet
    tells it from a transfer request's recipient and takes its own query intact."""
    query = f"label={quote(label, safe='')}&message={quote(message, safe='')}"
    return f"solana:{quote(link, safe='')}?{query}"


@dataclass(frozen=True, slots=True)
class IncomingTransfer:
    """A token movement into a custody token account, as read from one transaction.

    ``instruction_index`` is the top-level transfer instruction, or negative for value that
    arrived in custody without a readable top-level transfer (e.g. by a program's CPI).
    ``verified`` is False when custody's balance grew by less than the instructions claim:
    nothing of it may be credited then.
    """

    instruction_index: int
    destination: Pubkey
    mint: Pubkey | None
    amount: int
    source: Pubkey | None
    sender: Pubkey | None  # the wallet that owned the source account (or the authority)
    references: tuple[Pubkey, ...]
    verified: bool
    # Into custody's associated token account for the mint: the only account deposits go to,
    # and the one withdrawals pay from.
    into_deposit_account: bool = True


def incoming_transfers(
    tx: ConfirmedTransaction, *, custody_owner: Pubkey
) -> list[IncomingTransfer]:
    """Every top-level token transfer of ``tx`` into a token account owned by ``custody_owner``,
    checked against custody's token balance changes, plus any growth no instruction explains.

    Empty when the transaction failed. Custody's own outgoing transfers are not listed.
    """
    if tx.err is not None or tx.transaction is None:
        return []
    custody = _custody_accounts(tx, custody_owner)
    found = [t for t in _transfers(tx) if t.destination in custody]
    result: list[IncomingTransfer] = []
    for position, (account, mint) in enumerate(sorted(custody.items(), key=lambda kv: str(kv[0]))):
        into = [t for t in found if t.destination == account]
        claimed = sum(t.amount for t in into)
        grew = max(_balance_change(tx, account, mint), 0)
        verified = grew >= claimed
        standard = is_deposit_account(account, custody_owner, mint)
        for t in into:
            result.append(_replace_verified(t, mint, verified, standard))
        # Value custody received that no instruction explains is still custody's, never dropped.
        unexplained = grew - claimed if verified else grew
        if unexplained > 0:
            result.append(
                IncomingTransfer(
                    -1 - position, account, mint, unexplained, None, None, (), True, standard
                )
            )
    return sorted(result, key=lambda t: t.instruction_index)


def is_deposit_account(account: Pubkey, custody_owner: Pubkey, mint: Pubkey) -> bool:
    """``account`` is custody's associated token account for ``mint`` (either token program:
    only the associated-token program can create an account at that address, for its program)."""
    return any(
        account == spl.get_associated_token_address(custody_owner, mint, program)
        for program in TOKEN_PROGRAMS
    )


def _replace_verified(
    t: IncomingTransfer, mint: Pubkey, verified: bool, standard: bool
) -> IncomingTransfer:
    # A plain Transfer names no mint: the destination account's mint is what moved.
    return IncomingTransfer(
        t.instruction_index,
        t.destination,
        t.mint if t.mint is not None else mint,
        t.amount,
        t.source,
        t.sender,
        t.references,
        verified and (t.mint is None or t.mint == mint),
        standard,
    )


def _custody_accounts(tx: ConfirmedTransaction, custody_owner: Pubkey) -> dict[Pubkey, Pubkey]:
    """Custody-owned token accounts the transaction touched, with their mints."""
    return {
        balance.account: balance.mint
        for balance in (*tx.pre_token_balances, *tx.post_token_balances)
        if balance.owner == custody_owner
    }


def _transfers(tx: ConfirmedTransaction) -> list[IncomingTransfer]:
    assert tx.transaction is not None
    keys = tx.account_keys
    owners = {b.account: b.owner for b in (*tx.post_token_balances, *tx.pre_token_balances)}
    found: list[IncomingTransfer] = []
    for index, instruction in enumerate(tx.transaction.message.instructions):
        if keys[instruction.program_id_index] not in TOKEN_PROGRAMS:
            continue
        data = bytes(instruction.data)
        accounts = [keys[i] for i in instruction.accounts]
        mint: Pubkey | None
        if data[:1] == bytes([_TRANSFER_CHECKED]) and len(data) >= 10 and len(accounts) >= 4:
            source, mint, target, authority = accounts[:4]
            extra = accounts[4:]
        elif data[:1] == bytes([_TRANSFER]) and len(data) >= 9 and len(accounts) >= 3:
            source, target, authority = accounts[:3]
            mint, extra = None, accounts[3:]
        else:
            continue
        (amount,) = struct.unpack_from("<Q", data, 1)
        sender = owners.get(source) or authority
        found.append(
            IncomingTransfer(index, target, mint, amount, source, sender, tuple(extra), True)
        )
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
