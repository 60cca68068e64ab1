from enum import StrEnum


class Resolution(StrEnum):
    CREDIT = "credit"
    RETURNED = "returned"

    def __str__(self) -> str:
        return str(self.value)
