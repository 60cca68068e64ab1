from enum import StrEnum


class SweepMode(StrEnum):
    ALL_OR_NOTHING = "all_or_nothing"
    BEST_EFFORT = "best_effort"

    def __str__(self) -> str:
        return str(self.value)
