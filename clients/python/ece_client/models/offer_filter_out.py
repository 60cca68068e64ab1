from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

T = TypeVar("T", bound="OfferFilterOut")


@_attrs_define
class OfferFilterOut:
    """
    Attributes:
        min_power (int | None):
        rarity (None | str):
    """

    min_power: int | None
    rarity: None | str
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        min_power: int | None
        min_power = self.min_power

        rarity: None | str
        rarity = self.rarity

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "min_power": min_power,
                "rarity": rarity,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)

        def _parse_min_power(data: object) -> int | None:
            if data is None:
                return data
            return cast(int | None, data)

        min_power = _parse_min_power(d.pop("min_power"))

        def _parse_rarity(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        rarity = _parse_rarity(d.pop("rarity"))

        offer_filter_out = cls(
            min_power=min_power,
            rarity=rarity,
        )

        offer_filter_out.additional_properties = d
        return offer_filter_out

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
