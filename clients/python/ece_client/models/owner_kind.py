from enum import StrEnum


class OwnerKind(StrEnum):
    ISSUER = "issuer"
    USER = "user"

    def __str__(self) -> str:
        return str(self.value)
