from enum import StrEnum


class SubjectType(StrEnum):
    DEPOSIT = "deposit"
    LIMIT_OVERRIDE = "limit_override"
    PAYOUT = "payout"
    SIGNIN = "signin"
    TRADE = "trade"
    WITHDRAWAL = "withdrawal"

    def __str__(self) -> str:
        return str(self.value)
