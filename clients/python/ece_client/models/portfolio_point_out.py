from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

T = TypeVar("T", bound="PortfolioPointOut")


@_attrs_define
class PortfolioPointOut:
    """
    Attributes:
        at (datetime.datetime): End of the bucket (now, for the current one)
        cards (int): Cards held then
        value (str): Cards held then, each at its company's latest close
        valued (int): Of which had a close (a sale of their company) by then
    """

    at: datetime.datetime
    cards: int
    value: str
    valued: int
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        at = self.at.isoformat()

        cards = self.cards

        value = self.value

        valued = self.valued

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "at": at,
                "cards": cards,
                "value": value,
                "valued": valued,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        at = datetime.datetime.fromisoformat(d.pop("at"))

        cards = d.pop("cards")

        value = d.pop("value")

        valued = d.pop("valued")

        portfolio_point_out = cls(
            at=at,
            cards=cards,
            value=value,
            valued=valued,
        )

        portfolio_point_out.additional_properties = d
        return portfolio_point_out

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
