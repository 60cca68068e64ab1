from enum import StrEnum


class KycDecision(StrEnum):
    REJECT = "reject"
    VERIFY = "verify"

    def __str__(self) -> str:
        return str(self.value)
