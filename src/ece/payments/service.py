"""The payments domain's public face for other domains and the web pages."""

from __future__ import annotations

# ---------------------------------------------------------------------------------------------
# For the web pages (ece.web): the account page's recent deposits and withdrawals and whether
# the dev faucet is on. (Re-exports until payments' use cases move behind this module.)
from ece.payments.deposits import list_deposits
from ece.payments.faucet import faucet_enabled
from ece.payments.withdrawals import list_withdrawals

__all__ = ["faucet_enabled", "list_deposits", "list_withdrawals"]
