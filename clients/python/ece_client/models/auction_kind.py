from enum import StrEnum


class AuctionKind(StrEnum):
    DUTCH = "dutch"
    ENGLISH = "english"

    def __str__(self) -> str:
        return str(self.value)
