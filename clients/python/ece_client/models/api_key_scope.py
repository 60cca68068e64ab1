from enum import StrEnum


class ApiKeyScope(StrEnum):
    READ = "read"
    TRADE = "trade"
    WITHDRAW = "withdraw"

    def __str__(self) -> str:
        return str(self.value)
