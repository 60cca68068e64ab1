"""The audit log: an append-only, hash-chained record of every staff action and every value
movement outside a plain trade, written in the same transaction as the action it records."""
