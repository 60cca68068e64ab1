from enum import StrEnum


class KycStatus(StrEnum):
    NONE = "none"
    PENDING = "pending"
    REJECTED = "rejected"
    VERIFIED = "verified"

    def __str__(self) -> str:
        return str(self.value)
