from enum import StrEnum


class Scope(StrEnum):
    ALL = "all"
    AUCTIONS = "auctions"
    BATTLES = "battles"
    DEPOSITS = "deposits"
    PAYOUTS = "payouts"
    TRADING = "trading"
    WITHDRAWALS = "withdrawals"

    def __str__(self) -> str:
        return str(self.value)
