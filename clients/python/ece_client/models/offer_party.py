from enum import StrEnum


class OfferParty(StrEnum):
    MADE = "made"
    RECEIVED = "received"

    def __str__(self) -> str:
        return str(self.value)
