from enum import StrEnum


class UnclaimedStatus(StrEnum):
    CREDITED = "credited"
    OPEN = "open"
    RETURNED = "returned"

    def __str__(self) -> str:
        return str(self.value)
