from enum import StrEnum


class Asset(StrEnum):
    ECE = "ECE"
    USDC = "USDC"

    def __str__(self) -> str:
        return str(self.value)
