from enum import StrEnum


class PaymentAsset(StrEnum):
    CARD = "CARD"
    ECE = "ECE"
    USDC = "USDC"

    def __str__(self) -> str:
        return str(self.value)
