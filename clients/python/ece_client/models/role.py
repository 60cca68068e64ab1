from enum import StrEnum


class Role(StrEnum):
    ADMIN = "admin"
    COMPLIANCE = "compliance"
    DEVELOPER = "developer"
    TREASURY_SIGNER = "treasury_signer"
    USER = "user"

    def __str__(self) -> str:
        return str(self.value)
