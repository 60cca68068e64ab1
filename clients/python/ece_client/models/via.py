from enum import StrEnum


class Via(StrEnum):
    AUCTION = "auction"
    BATTLE = "battle"
    BUY = "buy"
    DEPOSIT = "deposit"
    MINT = "mint"
    OFFER = "offer"
    TRADE = "trade"

    def __str__(self) -> str:
        return str(self.value)
