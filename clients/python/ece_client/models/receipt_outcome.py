from enum import StrEnum


class ReceiptOutcome(StrEnum):
    BLOCKED = "blocked"
    CREDITED = "credited"
    CREDITED_SENDER = "credited_sender"
    IGNORED = "ignored"
    UNCLAIMED = "unclaimed"

    def __str__(self) -> str:
        return str(self.value)
