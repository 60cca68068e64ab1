"""The chain layer: Solana access behind one `Chain` protocol (embedded LiteSVM or real RPC)."""

from ece.chain.embedded.litesvm import LiteSvmChain
from ece.chain.protocol import (
    AccountNotFound,
    Chain,
    ChainError,
    ChainUnavailable,
    ConfirmedTransaction,
    LatestBlockhash,
    SignatureInfo,
    SignatureStatus,
    SignatureVerificationFailed,
    TokenAccount,
    TokenAmount,
    TokenBalance,
    TransactionFailed,
)
from ece.chain.rpc_client import RpcChain

__all__ = [
    "AccountNotFound",
    "Chain",
    "ChainError",
    "ChainUnavailable",
    "ConfirmedTransaction",
    "LatestBlockhash",
    "LiteSvmChain",
    "RpcChain",
    "SignatureInfo",
    "SignatureStatus",
    "SignatureVerificationFailed",
    "TokenAccount",
    "TokenAmount",
    "TokenBalance",
    "TransactionFailed",
]
