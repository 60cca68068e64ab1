from enum import StrEnum


class Activity(StrEnum):
    PURCHASE = "purchase"
    WITHDRAWAL = "withdrawal"

    def __str__(self) -> str:
        return str(self.value)
