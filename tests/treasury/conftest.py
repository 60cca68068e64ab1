from tests.payments.conftest import rpc

__all__ = ["rpc"]
