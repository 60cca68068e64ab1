from enum import StrEnum


class TradeStatus(StrEnum):
    ACCEPTED = "accepted"
    ACTIVE = "active"
    CANCELLED = "cancelled"
    COUNTERED = "countered"
    DECLINED = "declined"
    EXPIRED = "expired"

    def __str__(self) -> str:
        return str(self.value)
