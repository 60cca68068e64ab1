"""Double-entry ledger: accounts and immutable transfers; the only way money moves."""
