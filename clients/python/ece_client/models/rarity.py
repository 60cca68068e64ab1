from enum import StrEnum


class Rarity(StrEnum):
    COMMON = "common"
    EPIC = "epic"
    LEGENDARY = "legendary"
    RARE = "rare"

    def __str__(self) -> str:
        return str(self.value)
