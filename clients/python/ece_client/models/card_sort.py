from enum import StrEnum


class CardSort(StrEnum):
    LAST_SALE = "last_sale"
    NEWEST = "newest"
    POWER = "power"
    PRICE_ASC = "price_asc"
    PRICE_DESC = "price_desc"

    def __str__(self) -> str:
        return str(self.value)
