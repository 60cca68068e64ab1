from enum import StrEnum


class Phase(StrEnum):
    CANCELLED = "cancelled"
    ENROLMENT = "enrolment"
    REVEAL = "reveal"
    SETTLED = "settled"
    VOTING = "voting"

    def __str__(self) -> str:
        return str(self.value)
