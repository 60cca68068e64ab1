from enum import StrEnum


class AuctionOutResultType0(StrEnum):
    SOLD = "sold"
    UNSOLD = "unsold"

    def __str__(self) -> str:
        return str(self.value)
