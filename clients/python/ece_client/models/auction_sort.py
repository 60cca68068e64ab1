from enum import StrEnum


class AuctionSort(StrEnum):
    ENDING = "ending"
    NEWEST = "newest"
    PRICE = "price"

    def __str__(self) -> str:
        return str(self.value)
