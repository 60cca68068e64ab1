"""JSON-RPC 2.0 errors as the validator's RPC reports them: codes, the error object, and the
human text of a transaction error."""

from __future__ import annotations

from ece.chain.embedded.rpc_encoding import Json
from ece.chain.protocol import TransactionErrorJson

# JSON-RPC 2.0 codes, and Solana's server-error codes.
PARSE_ERROR = -32700
INVALID_REQUEST = -32600
METHOD_NOT_FOUND = -32601
INVALID_PARAMS = -32602
INTERNAL_ERROR = -32603
SEND_TRANSACTION_PREFLIGHT_FAILURE = -32002
BLOCK_NOT_AVAILABLE = -32004
SLOT_SKIPPED = -32007
MIN_CONTEXT_SLOT_NOT_REACHED = -32016
TRANSACTION_SIGNATURE_VERIFICATION_FAILURE = -32003
UNSUPPORTED_TRANSACTION_VERSION = -32015


class RpcError(Exception):
    def __init__(self, code: int, message: str, data: Json = None) -> None:
        super().__init__(message)
        self.code = code
        self.message = message
        self.data = data

    def to_json(self) -> dict[str, Json]:
        error: dict[str, Json] = {"code": self.code, "message": self.message}
        if self.data is not None:
            error["data"] = self.data
        return error


def error_response(error: RpcError, request_id: Json = None) -> dict[str, Json]:
    return {"jsonrpc": "2.0", "error": error.to_json(), "id": request_id}


def error_text(err: TransactionErrorJson) -> str:
    """Human text for a transaction error, as the validator's Display impl words the common ones."""
    named = {
        "BlockhashNotFound": "Blockhash not found",
        "AlreadyProcessed": "This transaction has already been processed",
        "InsufficientFundsForFee": "Insufficient funds for fee",
        "AccountNotFound": "Attempt to debit an account but found no record of a prior credit.",
        "SignatureFailure": "Transaction did not pass signature verification",
    }
    if isinstance(err, str):
        return named.get(err, err)
    if "InstructionError" in err:
        index, detail = err["InstructionError"]
        if isinstance(detail, dict) and "Custom" in detail:
            return (
                f"Error processing Instruction {index}: custom program error: {detail['Custom']:#x}"
            )
        return f"Error processing Instruction {index}: {detail}"
    return str(err)
