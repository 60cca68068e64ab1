from enum import StrEnum


class Side(StrEnum):
    ACQUIRER = "acquirer"
    TARGET = "target"

    def __str__(self) -> str:
        return str(self.value)
