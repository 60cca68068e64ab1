from enum import StrEnum


class Level(StrEnum):
    BASIC = "basic"
    FULL = "full"
    NONE = "none"

    def __str__(self) -> str:
        return str(self.value)
