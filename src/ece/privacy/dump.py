"""``ece db anonymized-dump``: a copy of the SQLite database for non-production use, with every
personal field replaced. The copy is taken with SQLite's online backup API (the server may run)
and masked in place; the live database is never written. Ids, amounts and the ledger are kept,
so the copy still balances; wallet addresses become ``anon:<user id>``; secrets are blanked.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

# (statement, why) run on the copy, in order.
MASKING: tuple[str, ...] = (
    "UPDATE users SET address = 'anon:' || id, display_name = 'User ' || substr(id, 1, 8), "
    "email = NULL",
    "UPDATE kyc_records SET full_name = x'', full_name_key = 'masked', country = x'', "
    "country_key = 'masked', date_of_birth = x'', date_of_birth_key = 'masked', "
    "document_number = NULL, document_number_key = NULL, note = NULL",
    "UPDATE credentials SET token_hash = 'masked-' || id, name = NULL",
    "UPDATE webhook_endpoints SET url = 'https://example.invalid/' || id, secret = 'masked'",
    "UPDATE trade_offers SET message = NULL",
    "UPDATE withdrawals SET destination = 'masked', destination_token_account = NULL, "
    "signed_transaction = NULL",
    "UPDATE deposit_receipts SET sender = 'masked'",
    "UPDATE unclaimed_payments SET sender = 'masked', note = NULL",
    "UPDATE listings SET taker_address = 'masked' WHERE taker_address IS NOT NULL",
    "DELETE FROM signin_nonces",
    "DELETE FROM push_subscriptions",
    "DELETE FROM push_messages",
    "DELETE FROM email_messages",
    "DELETE FROM idempotency_records",
)


def anonymized_copy(database: Path, output: Path) -> int:
    """Copy ``database`` to ``output`` (which must not exist) and mask it; rows changed."""
    if output.exists():
        raise FileExistsError(f"{output} exists; choose a new file.")
    output.parent.mkdir(parents=True, exist_ok=True)
    source = sqlite3.connect(f"file:{database}?mode=ro", uri=True, timeout=30)
    try:
        target = sqlite3.connect(output)
        try:
            source.backup(target)
            changed = 0
            with target:
                for statement in MASKING:
                    changed += target.execute(statement).rowcount
            target.execute("VACUUM")  # no masked value left in free pages
        finally:
            target.close()
    finally:
        source.close()
    return changed
