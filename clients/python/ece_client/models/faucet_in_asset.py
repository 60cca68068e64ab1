from enum import StrEnum


class FaucetInAsset(StrEnum):
    ECE = "ECE"
    SOL = "SOL"
    USDC = "USDC"

    def __str__(self) -> str:
        return str(self.value)
