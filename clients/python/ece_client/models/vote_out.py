from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.side import Side

T = TypeVar("T", bound="VoteOut")


@_attrs_define
class VoteOut:
    """
    Attributes:
        cards_held (int):
        side (Side):
        user_id (str):
        weight (int):
    """

    cards_held: int
    side: Side
    user_id: str
    weight: int
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        cards_held = self.cards_held

        side = self.side.value

        user_id = self.user_id

        weight = self.weight

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "cards_held": cards_held,
                "side": side,
                "user_id": user_id,
                "weight": weight,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        cards_held = d.pop("cards_held")

        side = Side(d.pop("side"))

        user_id = d.pop("user_id")

        weight = d.pop("weight")

        vote_out = cls(
            cards_held=cards_held,
            side=side,
            user_id=user_id,
            weight=weight,
        )

        vote_out.additional_properties = d
        return vote_out

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
