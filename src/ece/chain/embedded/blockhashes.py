"""Which blockhashes a transaction on the embedded chain may still use.

LiteSVM only honours its latest blockhash, which would make a wallet's transaction fail whenever
anyone else sent one while the user was signing. So, like a validator, each blockhash issued
stays usable for `validity` blocks; a durable-nonce transaction uses its nonce instead.
"""

from __future__ import annotations

import json
from collections import OrderedDict

from solders.hash import Hash
from solders.litesvm import LiteSVM
from solders.system_program import ID as SYSTEM_PROGRAM_ID
from solders.transaction import VersionedTransaction

from ece.chain.protocol import LatestBlockhash

_ADVANCE_NONCE = (4).to_bytes(4, "little")


class BlockhashWindow:
    """The blockhashes issued and the last block height each is valid at, oldest first."""

    def __init__(self, validity: int, issued: str | None = None) -> None:
        self._validity = validity
        # `issued` is `to_json()`'s text, as the chain store keeps it.
        self._last_valid: OrderedDict[str, int] = OrderedDict(json.loads(issued or "[]"))

    def issue(self, blockhash: Hash, height: int) -> None:
        """Record ``blockhash`` as issued at ``height``; forget those no longer valid there."""
        latest = str(blockhash)
        self._last_valid[latest] = height + self._validity
        self._last_valid.move_to_end(latest)
        while self._last_valid and next(iter(self._last_valid.values())) < height:
            self._last_valid.popitem(last=False)

    def latest(self) -> LatestBlockhash:
        blockhash, last_valid = next(reversed(self._last_valid.items()))
        return LatestBlockhash(Hash.from_string(blockhash), last_valid)

    def is_valid(self, blockhash: Hash, height: int) -> bool:
        last_valid = self._last_valid.get(str(blockhash))
        return last_valid is not None and last_valid >= height

    def to_json(self) -> str:
        return json.dumps(list(self._last_valid.items()))


def uses_durable_nonce(svm: LiteSVM, tx: VersionedTransaction) -> bool:
    """Whether ``tx`` carries, as its blockhash, the current value of the durable nonce it
    advances."""
    # A durable-nonce transaction starts with AdvanceNonceAccount (system instruction 4) and
    # carries the nonce value (offset 40 of the nonce account's data) as its blockhash.
    instructions = tx.message.instructions
    keys = tx.message.account_keys
    if not instructions:
        return False
    first = instructions[0]
    if (
        keys[first.program_id_index] != SYSTEM_PROGRAM_ID
        or bytes(first.data)[:4] != _ADVANCE_NONCE
        or not first.accounts
    ):
        return False
    nonce_account = svm.get_account(keys[first.accounts[0]])
    if nonce_account is None or nonce_account.owner != SYSTEM_PROGRAM_ID:
        return False
    return bytes(nonce_account.data[40:72]) == bytes(tx.message.recent_blockhash)
