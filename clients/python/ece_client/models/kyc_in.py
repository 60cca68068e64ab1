from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define

from ..models.level import Level
from ..types import UNSET, Unset

T = TypeVar("T", bound="KycIn")


@_attrs_define
class KycIn:
    """
    Attributes:
        country (str): ISO 3166-1 alpha-2, e.g. US
        date_of_birth (datetime.date): YYYY-MM-DD, a plain date (no time)
        full_name (str):
        level (Level):
        document_number (None | str | Unset):
    """

    country: str
    date_of_birth: datetime.date
    full_name: str
    level: Level
    document_number: None | str | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        country = self.country

        date_of_birth = self.date_of_birth.isoformat()

        full_name = self.full_name

        level = self.level.value

        document_number: None | str | Unset
        if isinstance(self.document_number, Unset):
            document_number = UNSET
        else:
            document_number = self.document_number

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "country": country,
                "date_of_birth": date_of_birth,
                "full_name": full_name,
                "level": level,
            }
        )
        if document_number is not UNSET:
            field_dict["document_number"] = document_number

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        country = d.pop("country")

        date_of_birth = datetime.date.fromisoformat(d.pop("date_of_birth"))

        full_name = d.pop("full_name")

        level = Level(d.pop("level"))

        def _parse_document_number(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        document_number = _parse_document_number(d.pop("document_number", UNSET))

        kyc_in = cls(
            country=country,
            date_of_birth=date_of_birth,
            full_name=full_name,
            level=level,
            document_number=document_number,
        )

        return kyc_in
