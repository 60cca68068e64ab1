from enum import StrEnum


class ListingSort(StrEnum):
    ENDING = "ending"
    NEWEST = "newest"
    PRICE_ASC = "price_asc"
    PRICE_DESC = "price_desc"

    def __str__(self) -> str:
        return str(self.value)
