"""Payments, the public face: deposits in, withdrawals out, and the custody that sits between.

Other domains, the web layer, the CLI and the worker call these names only. Each lives in the
module named for its use case:

- ``deposits``: open a deposit (a Solana Pay transfer request, and a transaction-request link
  any wallet may call without signing in), read it, build its transaction;
- ``watcher`` finds what custody received, ``intake`` credits it (deposit crediting);
- ``withdrawals`` holds and queues a withdrawal, ``sender`` signs and sends it (withdrawal
  sending);
- ``unclaimed``: the admin queue of payments no one claimed, and stranded cards;
- ``reconciliation``: the ledger against what custody holds on chain;
- ``faucet``: chain facts, and the development faucet.

The decisions (what a transfer into custody means, when a deposit is open or expired, what a
withdrawal may be) are pure functions in ``rules``; every SQL statement is in ``repository``.
"""

from __future__ import annotations

from ece.payments.assets import CUSTODY_OWNER_ID
from ece.payments.deposits import (
    create_deposit,
    deposit_qr,
    deposit_transaction,
    get_deposit,
    list_deposits,
    pay_link_deposit,
    pay_link_message,
    pay_link_transaction,
)
from ece.payments.faucet import (
    ChainInfo,
    FaucetAsset,
    chain_info,
    drip,
    faucet_drip,
    faucet_enabled,
    refuse_custody,
)
from ece.payments.models import ReceiptOutcome, UnclaimedStatus
from ece.payments.reconciliation import Reconciliation, reconcile
from ece.payments.rules import Resolution
from ece.payments.sender import backlog_age, settle_sent, sign_pending
from ece.payments.solana_pay import InvalidAddress, parse_address
from ece.payments.unclaimed import credit_stranded_card, list_receipts, list_unclaimed, resolve
from ece.payments.watcher import watch_deposits
from ece.payments.withdrawals import create_withdrawal, get_withdrawal, list_withdrawals

__all__ = [
    "CUSTODY_OWNER_ID",
    "ChainInfo",
    "FaucetAsset",
    "InvalidAddress",
    "ReceiptOutcome",
    "Reconciliation",
    "Resolution",
    "UnclaimedStatus",
    "backlog_age",
    "chain_info",
    "create_deposit",
    "create_withdrawal",
    "credit_stranded_card",
    "deposit_qr",
    "deposit_transaction",
    "drip",
    "faucet_drip",
    "faucet_enabled",
    "get_deposit",
    "get_withdrawal",
    "list_deposits",
    "list_receipts",
    "list_unclaimed",
    "list_withdrawals",
    "parse_address",
    "pay_link_deposit",
    "pay_link_message",
    "pay_link_transaction",
    "reconcile",
    "refuse_custody",
    "resolve",
    "settle_sent",
    "sign_pending",
    "watch_deposits",
]
