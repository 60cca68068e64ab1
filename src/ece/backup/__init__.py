"""Backups of the embedded platform (SQLite database, chain state, keys) and their restore."""
