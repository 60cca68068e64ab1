from enum import StrEnum


class Condition(StrEnum):
    FLOOR_ABOVE = "floor_above"
    FLOOR_BELOW = "floor_below"
    LISTED_BELOW = "listed_below"

    def __str__(self) -> str:
        return str(self.value)
