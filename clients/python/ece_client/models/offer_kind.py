from enum import StrEnum


class OfferKind(StrEnum):
    CARD = "card"
    COLLECTION = "collection"

    def __str__(self) -> str:
        return str(self.value)
