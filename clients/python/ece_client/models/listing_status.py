from enum import StrEnum


class ListingStatus(StrEnum):
    ACTIVE = "active"
    CANCELLED = "cancelled"
    EXPIRED = "expired"
    FILLED = "filled"

    def __str__(self) -> str:
        return str(self.value)
