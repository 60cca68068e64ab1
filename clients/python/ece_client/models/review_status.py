from enum import StrEnum


class ReviewStatus(StrEnum):
    APPROVED = "approved"
    OPEN = "open"
    REJECTED = "rejected"

    def __str__(self) -> str:
        return str(self.value)
