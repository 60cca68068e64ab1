"""Deposits (Solana Pay), withdrawals, the development faucet and custody reconciliation."""
