from enum import StrEnum


class DepositQrKind(StrEnum):
    TRANSACTION = "transaction"
    TRANSFER = "transfer"

    def __str__(self) -> str:
        return str(self.value)
