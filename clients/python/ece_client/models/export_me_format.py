from enum import StrEnum


class ExportMeFormat(StrEnum):
    JSON = "json"
    ZIP = "zip"

    def __str__(self) -> str:
        return str(self.value)
