"""`LiteSvmChain`: the embedded Solana runtime (solders.litesvm) behind the `Chain` protocol.

LiteSVM is a bare runtime, so this class adds what a node would give: a clock fed from `now()`,
a slot that advances on every send and on a slot clock (`run_slot_clock`), events for the
RPC PubSub server, a window of recent blockhashes, replay protection that survives restarts,
a transaction index (for getTransaction / getSignaturesForAddress), a faucet and
persistence to `<data_dir>/chain/`.

Why a blockhash window instead of LiteSVM's "only the latest blockhash is valid": LiteSVM's rule
would make a wallet's transaction fail whenever anyone else sent one while the user was signing.
So LiteSVM's own check is off and this class checks, like a validator, that the blockhash is one
of the last `blockhash_validity` issued (or the stored value of a durable nonce), and refuses any
signature already in the persisted index (`AlreadyProcessed`).

Beside it: `blockhashes` (that window), `execution` (running a transaction and recording what it
did), `transactions` (the record), `store` (the SQLite file), `lock` (one process per chain).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
import sqlite3
import threading
from collections.abc import Callable, Sequence
from datetime import UTC, datetime
from pathlib import Path

from solders.account import Account
from solders.hash import Hash
from solders.instruction import Instruction
from solders.keypair import Keypair
from solders.litesvm import LiteSVM
from solders.message import Message
from solders.pubkey import Pubkey
from solders.signature import Signature
from solders.system_program import ID as SYSTEM_PROGRAM_ID
from solders.system_program import TransferParams, transfer
from solders.transaction import Transaction, VersionedTransaction

from ece.chain.embedded import execution, lock
from ece.chain.embedded.blockhashes import BlockhashWindow, uses_durable_nonce
from ece.chain.embedded.events import ChainEvent, SlotAdvanced, TransactionLanded
from ece.chain.embedded.store import ChainStore, UnusableChainState
from ece.chain.embedded.transactions import (
    LandedTransaction,
    Simulation,
    from_stored,
    from_unix,
    to_stored,
)
from ece.chain.platform import PlatformSetupError
from ece.chain.protocol import (
    AccountNotFound,
    AnyTransaction,
    ConfirmedTransaction,
    LatestBlockhash,
    SignatureInfo,
    SignatureStatus,
    SignatureVerificationFailed,
    TokenAccount,
    TokenAmount,
    TransactionFailed,
)
from ece.chain.tokens import spl

LAMPORTS_PER_SIGNATURE = 5000
# Solana's MAX_PROCESSING_AGE: a blockhash is usable for 150 blocks.
DEFAULT_BLOCKHASH_VALIDITY = 150
FAUCET_LAMPORTS = 10**17
# On the slot clock, an idle chain issues a new blockhash once the latest is this many slots old
# (a validator does every slot; each issue is replayed on restart, so fewer keep restarts quick).
BLOCKHASH_REFRESH_SLOTS = 32
logger = logging.getLogger(__name__)
_SYSVAR_OWNER = Pubkey.from_string("Sysvar1111111111111111111111111111111111111")


def _utc_now() -> datetime:
    return datetime.now(UTC)


def chain_state_file(data_dir: Path) -> Path:
    """Where the embedded chain in ``data_dir`` keeps its state (created by ``ece init``)."""
    return data_dir / "chain" / "chain.sqlite3"


class ChainStateError(PlatformSetupError):
    """The embedded chain's state is missing, empty or unreadable: never replaced by a new one."""


def _unusable(path: Path, reason: str) -> ChainStateError:
    return ChainStateError(
        f"the embedded chain state {path} {reason}. A new installation starts with `ece init`; "
        f"an existing one must restore {path} from its backup (a new chain would hold none of "
        "the deposited assets)."
    )


class LiteSvmChain:
    """Embedded chain. `data_dir=None` keeps everything in memory.

    On a data dir it holds the chain's process lock until ``close``; ``create=False`` (every
    start but ``ece init``) refuses a missing, empty or unreadable state instead of starting a
    new chain.
    """

    def __init__(
        self,
        data_dir: Path | None,
        now: Callable[[], datetime] = _utc_now,
        *,
        blockhash_validity: int = DEFAULT_BLOCKHASH_VALIDITY,
        transaction_history: int = 4096,
        create: bool = True,
    ) -> None:
        self._lock_path: Path | None = None
        path = None if data_dir is None else chain_state_file(data_dir)
        if path is not None:
            if not create and not path.is_file():
                raise _unusable(path, "is missing")
            self._lock_path = lock.acquire(path.parent)
        try:
            self._open(path, now, blockhash_validity, transaction_history, create)
        except UnusableChainState as exc:
            self._unlock()
            raise _unusable(path or Path(":memory:"), str(exc)) from None
        except (sqlite3.DatabaseError, KeyError, ValueError) as exc:
            self._unlock()
            if path is None:
                raise
            # A damaged file (truncated, half-written meta): refused like an empty one.
            raise _unusable(path, f"is damaged ({type(exc).__name__}: {exc})") from None
        except BaseException:
            self._unlock()
            raise

    def _unlock(self) -> None:
        if self._lock_path is not None:
            lock.release(self._lock_path)
            self._lock_path = None

    def _open(
        self,
        path: Path | None,
        now: Callable[[], datetime],
        blockhash_validity: int,
        transaction_history: int,
        create: bool,
    ) -> None:
        self._now = now
        self._blockhash_validity = blockhash_validity
        # Sections under the lock never await, so a thread lock also serializes coroutines; an
        # asyncio.Lock would not cover the JSON-RPC server running on another thread's loop.
        self._lock = threading.RLock()
        # LiteSVM's own history is only a second line of defence: replay protection comes from
        # the persisted index, which survives restarts.
        self._svm = (
            LiteSVM().with_transaction_history(transaction_history).with_blockhash_check(False)
        )
        self._store = ChainStore(path, create=create)
        # Called under the chain's lock, from whichever thread advanced the chain.
        self._listeners: list[Callable[[ChainEvent], None]] = []
        self._latest_issued_at = 0
        self._blockhashes = BlockhashWindow(blockhash_validity)
        meta = self._store.load_meta()
        if meta:
            self._restore(meta)
        else:
            self._genesis()

    # --- lifecycle ---------------------------------------------------------------------------

    def _genesis(self) -> None:
        self._genesis_hash = Hash(os.urandom(32))
        self._faucet = Keypair()
        self._expiries = 0
        faucet_account = Account(lamports=FAUCET_LAMPORTS, data=b"", owner=SYSTEM_PROGRAM_ID)
        self._svm.set_account(self._faucet.pubkey(), faucet_account)
        self._genesis_slot = self._svm.get_clock().slot
        self._set_clock(self._genesis_slot)
        self._remember_blockhash()
        self._store.commit(accounts=[(self._faucet.pubkey(), faucet_account)], meta=self._meta())

    def _restore(self, meta: dict[str, str]) -> None:
        self._genesis_hash = Hash.from_string(meta["genesis_hash"])
        self._faucet = Keypair.from_base58_string(meta["faucet"])
        self._expiries = int(meta["expiries"])
        for address, account in self._store.load_accounts():
            self._svm.set_account(address, account)
        # LiteSVM's blockhash sequence is deterministic; replay it so durable nonces derived from
        # an earlier run's blockhashes are not reused.
        for _ in range(self._expiries):
            self._svm.expire_blockhash()
        self._set_clock(int(meta["slot"]))
        # Chains made before the genesis slot was recorded: the slot before their first send.
        first = self._store.first_transaction_slot()
        self._genesis_slot = int(
            meta.get("genesis_slot") or (int(meta["slot"]) if first is None else first - 1)
        )
        self._blockhashes = BlockhashWindow(self._blockhash_validity, meta["blockhashes"])
        self._remember_blockhash()

    async def close(self) -> None:
        with self._lock:
            if self._store.is_open:
                self._store.commit(accounts=[], meta=self._meta())  # the slot the clock reached
            self._store.close()
            self._unlock()

    def _meta(self) -> dict[str, str]:
        return {
            "genesis_hash": str(self._genesis_hash),
            "faucet": str(self._faucet),
            "expiries": str(self._expiries),
            "slot": str(self.slot),
            "genesis_slot": str(self._genesis_slot),
            "blockhashes": self._blockhashes.to_json(),
        }

    # --- clock and blockhashes ---------------------------------------------------------------

    @property
    def cluster(self) -> str:
        return "localnet"

    @property
    def slot(self) -> int:
        # Every LiteSVM call goes through the lock: PyO3 refuses concurrent borrows.
        with self._lock:
            return self._svm.get_clock().slot

    @property
    def block_height(self) -> int:
        # One block per slot: nothing is ever skipped here.
        return self.slot

    @property
    def genesis_hash(self) -> Hash:
        return self._genesis_hash

    async def get_genesis_hash(self) -> str:
        return str(self._genesis_hash)

    @property
    def faucet(self) -> Pubkey:
        return self._faucet.pubkey()

    def _set_clock(self, slot: int) -> None:
        clock = self._svm.get_clock()
        clock.slot = slot
        clock.unix_timestamp = int(self._now().timestamp())
        self._svm.set_clock(clock)

    def _remember_blockhash(self) -> None:
        self._blockhashes.issue(self._svm.latest_blockhash(), self.block_height)
        self._latest_issued_at = self.block_height

    # --- events and the slot clock -----------------------------------------------------------

    def add_listener(self, listener: Callable[[ChainEvent], None]) -> None:
        """Call ``listener`` with every new slot and landed transaction (under the chain's lock:
        it must only hand the event over, e.g. with ``loop.call_soon_threadsafe``)."""
        with self._lock:
            self._listeners.append(listener)

    def remove_listener(self, listener: Callable[[ChainEvent], None]) -> None:
        with self._lock:
            if listener in self._listeners:
                self._listeners.remove(listener)

    def _emit(self, event: ChainEvent) -> None:
        for listener in list(self._listeners):
            try:
                listener(event)
            except Exception:  # a broken subscriber must not fail a send
                logger.exception("chain listener failed")

    def _advance_slot(self) -> int:
        parent = self.slot
        self._set_clock(parent + 1)
        self._emit(SlotAdvanced(slot=parent + 1, parent=parent))
        return parent + 1

    def tick(self) -> int:
        """One slot passes with no transaction (the slot clock): block heights move, so
        blockhashes expire as on a cluster, and an idle chain still issues fresh ones."""
        with self._lock:
            slot = self._advance_slot()
            if slot - self._latest_issued_at >= BLOCKHASH_REFRESH_SLOTS:
                self._svm.expire_blockhash()
                self._expiries += 1
                self._remember_blockhash()
                self._store.commit(accounts=[], meta=self._meta())
            return slot

    async def run_slot_clock(self, interval_s: float, stop: asyncio.Event) -> None:
        """Advance a slot every ``interval_s`` until ``stop`` is set."""
        while not stop.is_set():
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(stop.wait(), interval_s)
            if not stop.is_set():
                self.tick()

    def latest_blockhash(self) -> LatestBlockhash:
        with self._lock:
            return self._blockhashes.latest()

    def is_blockhash_valid(self, blockhash: Hash) -> bool:
        with self._lock:
            return self._blockhashes.is_valid(blockhash, self.block_height)

    def _blockhash_acceptable(self, tx: VersionedTransaction) -> bool:
        return self.is_blockhash_valid(tx.message.recent_blockhash) or uses_durable_nonce(
            self._svm, tx
        )

    # --- sending -----------------------------------------------------------------------------

    def submit(self, tx: AnyTransaction, *, preflight: bool = True) -> LandedTransaction:
        """Verify, (optionally) simulate, execute and index a transaction.

        Returns the landed transaction, which may carry an `err` when `preflight` is False (the
        fee is charged, nothing else changes, as on a validator). Raises `TransactionFailed` when
        the transaction is refused without landing.
        """
        vtx = tx if isinstance(tx, VersionedTransaction) else VersionedTransaction.from_legacy(tx)
        signature = vtx.signatures[0]
        if not all(vtx.verify_with_results()):
            raise SignatureVerificationFailed(
                "SignatureFailure", signature=signature, message="signature verification failed"
            )
        with self._lock:
            if self._store.has_signature(signature):
                raise TransactionFailed("AlreadyProcessed", signature=signature)
            if not self._blockhash_acceptable(vtx):
                raise TransactionFailed("BlockhashNotFound", signature=signature)
            self._advance_slot()
            landed, post = execution.execute(self._svm, vtx, preflight=preflight)
            self._svm.expire_blockhash()
            self._expiries += 1
            self._remember_blockhash()
            self._store.commit(
                accounts=[
                    (key, None if account is None or account.lamports == 0 else account)
                    for key, account in zip(landed.account_keys, post, strict=True)
                    if account is None or _persistable(account)
                ],
                meta=self._meta(),
                transaction=to_stored(landed),
                addresses=landed.account_keys,
            )
            self._emit(TransactionLanded(landed))
            return landed

    def simulate(
        self, tx: AnyTransaction, *, sig_verify: bool = False, replace_blockhash: bool = False
    ) -> Simulation:
        vtx = tx if isinstance(tx, VersionedTransaction) else VersionedTransaction.from_legacy(tx)
        if sig_verify and not all(vtx.verify_with_results()):
            raise SignatureVerificationFailed("SignatureFailure", message="signature failure")
        fee = LAMPORTS_PER_SIGNATURE * vtx.message.header.num_required_signatures
        with self._lock:
            replacement = self.latest_blockhash() if replace_blockhash else None
            if self._store.has_signature(vtx.signatures[0]) and sig_verify:
                return Simulation("AlreadyProcessed", [], 0, fee, replacement)
            if not replace_blockhash and not self._blockhash_acceptable(vtx):
                return Simulation("BlockhashNotFound", [], 0, fee, None)
            return execution.simulate(
                self._svm, vtx, sig_verify=sig_verify, fee=fee, replacement=replacement
            )

    # --- reading (sync, used by the JSON-RPC server) -----------------------------------------

    def account(self, address: Pubkey) -> Account | None:
        with self._lock:
            account = self._svm.get_account(address)
            return None if account is None or account.lamports == 0 else account

    def accounts_owned_by(self, program_id: Pubkey) -> list[tuple[Pubkey, Account]]:
        with self._lock:
            return list(self._svm.get_program_accounts(program_id))

    def token_accounts(
        self, owner: Pubkey, program_id: Pubkey, *, mint: Pubkey | None = None
    ) -> list[tuple[Pubkey, Account, spl.TokenAccountState]]:
        """``owner``'s token accounts under ``program_id`` (of ``mint`` only, if given)."""
        found = []
        for address, account in self.accounts_owned_by(program_id):
            data = bytes(account.data)
            if not spl.is_token_account(data, program_id):
                continue
            state = spl.decode_token_account(data)
            if state.owner == owner and (mint is None or state.mint == mint):
                found.append((address, account, state))
        return found

    def mint_decimals(self, mint: Pubkey) -> int | None:
        with self._lock:
            return execution.mint_decimals(self._svm, mint)

    def transactions_in_slot(self, slot: int) -> list[LandedTransaction]:
        with self._lock:
            stored = self._store.transactions_in_slot(slot)
        return [from_stored(row) for row in stored]

    def block_time(self, slot: int) -> int:
        """The time of ``slot``: its last transaction's, or the clock's for a quiet slot."""
        with self._lock:
            recorded = self._store.block_time_at(slot)
        return int(self._now().timestamp()) if recorded is None else recorded

    def transaction_count(self) -> int:
        with self._lock:
            return self._store.transaction_count()

    def total_lamports(self) -> int:
        with self._lock:
            return self._store.total_lamports()

    def largest_accounts(self, limit: int) -> list[tuple[str, int]]:
        with self._lock:
            return self._store.largest_accounts(limit)

    @property
    def genesis_slot(self) -> int:
        """The chain's first slot: every slot from it to the current one has a block."""
        return self._genesis_slot

    @property
    def identity(self) -> Pubkey:
        """The node's identity (its only slot leader), fixed by the genesis hash."""
        return Pubkey(bytes(self._genesis_hash))

    def landed_transaction(self, signature: Signature) -> LandedTransaction | None:
        with self._lock:
            stored = self._store.transaction(signature)
        return None if stored is None else from_stored(stored)

    def signature_infos(
        self,
        address: Pubkey,
        *,
        limit: int = 1000,
        before: Signature | None = None,
        until: Signature | None = None,
    ) -> list[SignatureInfo]:
        with self._lock:
            rows = self._store.signatures_for_address(
                address, limit=limit, before=before, until=until
            )
        return [
            SignatureInfo(
                Signature.from_string(row.signature),
                row.slot,
                row.err,
                from_unix(row.block_time),
                row.memo,
            )
            for row in rows
        ]

    def minimum_balance_for_rent_exemption(self, data_len: int) -> int:
        with self._lock:
            return self._svm.minimum_balance_for_rent_exemption(data_len)

    def airdrop_transaction(self, address: Pubkey, lamports: int) -> LandedTransaction:
        """Pay `lamports` from the faucet in a real, indexed transfer transaction."""
        with self._lock:
            instruction = transfer(
                TransferParams(from_pubkey=self.faucet, to_pubkey=address, lamports=lamports)
            )
            tx = Transaction.new_signed_with_payer(
                [instruction], self.faucet, [self._faucet], self.latest_blockhash().blockhash
            )
            return self.submit(tx)

    # --- the Chain protocol ------------------------------------------------------------------

    async def get_slot(self) -> int:
        with self._lock:
            return self.slot

    async def get_block_height(self) -> int:
        return self.block_height

    async def get_latest_blockhash(self) -> LatestBlockhash:
        return self.latest_blockhash()

    async def send_transaction(
        self, tx: AnyTransaction, *, skip_preflight: bool = False
    ) -> Signature:
        landed = self.submit(tx, preflight=not skip_preflight)
        if landed.err is not None:
            raise TransactionFailed(
                landed.err, landed.log_messages, signature=landed.signature, landed=True
            )
        return landed.signature

    async def send_instructions(
        self, instructions: Sequence[Instruction], signers: Sequence[Keypair], payer: Keypair
    ) -> Signature:
        """Build, sign with the latest blockhash and send (embedded chain convenience)."""
        blockhash = self.latest_blockhash().blockhash
        message = Message.new_with_blockhash(list(instructions), payer.pubkey(), blockhash)
        unique = {kp.pubkey(): kp for kp in [payer, *signers]}
        required = message.account_keys[: message.header.num_required_signatures]
        tx = Transaction([unique[key] for key in required], message, blockhash)
        return await self.send_transaction(tx)

    async def get_signature_status(self, signature: Signature) -> SignatureStatus | None:
        with self._lock:
            stored = self._store.transaction(signature)
        if stored is None:
            return None
        return SignatureStatus(stored.slot, stored.err, "finalized")

    async def confirm_transaction(
        self, signature: Signature, *, last_valid_block_height: int | None = None
    ) -> SignatureStatus:
        # Sends are synchronous here: a transaction is final as soon as it is known at all.
        status = await self.get_signature_status(signature)
        if status is None:
            raise TransactionFailed(
                "BlockhashNotFound", signature=signature, message="transaction never landed"
            )
        if status.err is not None:
            raise TransactionFailed(status.err, signature=signature, landed=True)
        return status

    async def get_transaction(self, signature: Signature) -> ConfirmedTransaction | None:
        landed = self.landed_transaction(signature)
        return None if landed is None else landed.confirmed()

    async def get_signatures_for_address(
        self,
        address: Pubkey,
        *,
        limit: int = 1000,
        before: Signature | None = None,
        until: Signature | None = None,
    ) -> list[SignatureInfo]:
        return self.signature_infos(address, limit=limit, before=before, until=until)

    async def get_balance(self, address: Pubkey) -> int:
        account = self.account(address)
        return 0 if account is None else account.lamports

    async def get_account_info(self, address: Pubkey) -> Account | None:
        return self.account(address)

    async def get_token_account_balance(self, address: Pubkey) -> TokenAmount:
        account = self.account(address)
        if account is None or not spl.is_token_account(bytes(account.data), account.owner):
            raise AccountNotFound(f"{address} is not a token account")
        state = spl.decode_token_account(bytes(account.data))
        return TokenAmount(state.amount, self.mint_decimals(state.mint) or 0)

    async def get_token_accounts_by_owner(
        self, owner: Pubkey, *, mint: Pubkey | None = None, program_id: Pubkey | None = None
    ) -> list[TokenAccount]:
        programs = (
            [program_id]
            if program_id is not None
            else [spl.TOKEN_PROGRAM_ID, spl.TOKEN_2022_PROGRAM_ID]
        )
        return [
            TokenAccount(
                address,
                state.mint,
                state.owner,
                state.amount,
                self.mint_decimals(state.mint) or 0,
                program,
            )
            for program in programs
            for address, _, state in self.token_accounts(owner, program, mint=mint)
        ]

    async def get_token_supply(self, mint: Pubkey) -> TokenAmount:
        account = self.account(mint)
        if account is None or not spl.is_mint(bytes(account.data), account.owner):
            raise AccountNotFound(f"{mint} is not a mint")
        state = spl.decode_mint(bytes(account.data))
        return TokenAmount(state.supply, state.decimals)

    async def request_airdrop(self, address: Pubkey, lamports: int) -> Signature:
        return self.airdrop_transaction(address, lamports).signature

    async def airdrop(self, address: Pubkey, lamports: int) -> Signature:
        return await self.request_airdrop(address, lamports)

    async def get_minimum_balance_for_rent_exemption(self, data_len: int) -> int:
        return self.minimum_balance_for_rent_exemption(data_len)


def _persistable(account: Account) -> bool:
    # Programs and sysvars come with every LiteSVM; only user state is snapshotted.
    return not account.executable and account.owner != _SYSVAR_OWNER
