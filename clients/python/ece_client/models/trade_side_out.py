from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

T = TypeVar("T", bound="TradeSideOut")


@_attrs_define
class TradeSideOut:
    """
    Attributes:
        cards (list[str]):
        ece (None | str | Unset):
        usdc (None | str | Unset):
    """

    cards: list[str]
    ece: None | str | Unset = UNSET
    usdc: None | str | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        cards = self.cards

        ece: None | str | Unset
        if isinstance(self.ece, Unset):
            ece = UNSET
        else:
            ece = self.ece

        usdc: None | str | Unset
        if isinstance(self.usdc, Unset):
            usdc = UNSET
        else:
            usdc = self.usdc

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "cards": cards,
            }
        )
        if ece is not UNSET:
            field_dict["ECE"] = ece
        if usdc is not UNSET:
            field_dict["USDC"] = usdc

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        cards = cast(list[str], d.pop("cards"))

        def _parse_ece(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        ece = _parse_ece(d.pop("ECE", UNSET))

        def _parse_usdc(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        usdc = _parse_usdc(d.pop("USDC", UNSET))

        trade_side_out = cls(
            cards=cards,
            ece=ece,
            usdc=usdc,
        )

        trade_side_out.additional_properties = d
        return trade_side_out

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
