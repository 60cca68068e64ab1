from enum import StrEnum


class EntryOutStatus(StrEnum):
    PENDING = "pending"
    POSTED = "posted"
    VOIDED = "voided"

    def __str__(self) -> str:
        return str(self.value)
