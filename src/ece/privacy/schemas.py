"""What the personal-data export returns."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, Field


class PersonalDataExport(BaseModel):
    format: str = Field(examples=["ece.personal-data-export"])
    version: int
    generated_at: str
    user_id: str
    amounts: str = Field(description="How amounts are written: integers in base units.")
    tables: dict[str, list[dict[str, Any]]] = Field(
        description="Every row that names you, by table; secrets read `[sealed]`."
    )
