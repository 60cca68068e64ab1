from enum import StrEnum


class AuctionState(StrEnum):
    CANCELLED = "cancelled"
    OPEN = "open"
    SOLD = "sold"
    UNSOLD = "unsold"

    def __str__(self) -> str:
        return str(self.value)
