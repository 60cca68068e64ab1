from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define

from ..models.side import Side

T = TypeVar("T", bound="EnterIn")


@_attrs_define
class EnterIn:
    """
    Attributes:
        card_ids (list[str]):
        side (Side):
    """

    card_ids: list[str]
    side: Side

    def to_dict(self) -> dict[str, Any]:
        card_ids = self.card_ids

        side = self.side.value

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "card_ids": card_ids,
                "side": side,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        card_ids = cast(list[str], d.pop("card_ids"))

        side = Side(d.pop("side"))

        enter_in = cls(
            card_ids=card_ids,
            side=side,
        )

        return enter_in
