from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

T = TypeVar("T", bound="CompanyRef")


@_attrs_define
class CompanyRef:
    """
    Attributes:
        color (str):
        id (str):
        name (str):
        sector (str):
        ticker (str):
    """

    color: str
    id: str
    name: str
    sector: str
    ticker: str
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        color = self.color

        id = self.id

        name = self.name

        sector = self.sector

        ticker = self.ticker

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "color": color,
                "id": id,
                "name": name,
                "sector": sector,
                "ticker": ticker,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        color = d.pop("color")

        id = d.pop("id")

        name = d.pop("name")

        sector = d.pop("sector")

        ticker = d.pop("ticker")

        company_ref = cls(
            color=color,
            id=id,
            name=name,
            sector=sector,
            ticker=ticker,
        )

        company_ref.additional_properties = d
        return company_ref

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
