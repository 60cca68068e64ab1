from enum import StrEnum


class ActivityType(StrEnum):
    CANCEL = "cancel"
    LISTING = "listing"
    OFFER = "offer"
    PRICE_CHANGE = "price_change"
    SALE = "sale"
    TRADE = "trade"
    TRANSFER = "transfer"

    def __str__(self) -> str:
        return str(self.value)
