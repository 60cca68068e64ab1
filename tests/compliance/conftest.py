"""The served chain of the payment tests (deposits and withdrawals through the real RPC)."""

from tests.payments.conftest import rpc

__all__ = ["rpc"]
