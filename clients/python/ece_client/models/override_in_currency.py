from enum import StrEnum


class OverrideInCurrency(StrEnum):
    ECE = "ECE"
    USDC = "USDC"

    def __str__(self) -> str:
        return str(self.value)
