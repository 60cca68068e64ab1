from enum import StrEnum


class CardStatus(StrEnum):
    AVAILABLE = "available"
    IN_AUCTION = "in_auction"
    IN_BATTLE = "in_battle"
    IN_TRADE = "in_trade"
    LISTED = "listed"
    WITHDRAWN = "withdrawn"

    def __str__(self) -> str:
        return str(self.value)
