from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

T = TypeVar("T", bound="MaskedPersonalData")


@_attrs_define
class MaskedPersonalData:
    """
    Attributes:
        country (str):
        date_of_birth (str):
        full_name (str):
        document_number (None | str | Unset):
    """

    country: str
    date_of_birth: str
    full_name: str
    document_number: None | str | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        country = self.country

        date_of_birth = self.date_of_birth

        full_name = self.full_name

        document_number: None | str | Unset
        if isinstance(self.document_number, Unset):
            document_number = UNSET
        else:
            document_number = self.document_number

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "country": country,
                "date_of_birth": date_of_birth,
                "full_name": full_name,
            }
        )
        if document_number is not UNSET:
            field_dict["document_number"] = document_number

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        country = d.pop("country")

        date_of_birth = d.pop("date_of_birth")

        full_name = d.pop("full_name")

        def _parse_document_number(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        document_number = _parse_document_number(d.pop("document_number", UNSET))

        masked_personal_data = cls(
            country=country,
            date_of_birth=date_of_birth,
            full_name=full_name,
            document_number=document_number,
        )

        masked_personal_data.additional_properties = d
        return masked_personal_data

    @property
    def additional_keys(self) -> list[str]:
        return list(self.additional_properties.keys())

    def __getitem__(self, key: str) -> Any:
        return self.additional_properties[key]

    def __setitem__(self, key: str, value: Any) -> None:
        self.additional_properties[key] = value

    def __delitem__(self, key: str) -> None:
        del self.additional_properties[key]

    def __contains__(self, key: str) -> bool:
        return key in self.additional_properties
