from enum import StrEnum


class BidOutStatus(StrEnum):
    OUTBID = "outbid"
    WINNING = "winning"

    def __str__(self) -> str:
        return str(self.value)
