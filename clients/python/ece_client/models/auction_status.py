from enum import StrEnum


class AuctionStatus(StrEnum):
    CANCELLED = "cancelled"
    ENDED = "ended"
    LIVE = "live"
    UPCOMING = "upcoming"

    def __str__(self) -> str:
        return str(self.value)
