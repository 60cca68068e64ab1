from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.side_value_out import SideValueOut


T = TypeVar("T", bound="ValueHintOut")


@_attrs_define
class ValueHintOut:
    """
    Attributes:
        give (SideValueOut):
        want (SideValueOut):
        method (str | Unset):  Default: "Per currency, never converted: tokens at face value, plus each card at its
            company's reference price in that currency, from evidence neither party of the offer made: the lowest live
            public listing by anyone else, else the median of the company's latest 5 market sales in which neither party
            sold nor bought (suspected wash trades, trade offers and private listings excluded). Cards without either are
            listed as unpriced. Rarity is not priced. A swap's price over several cards is split by the same reference.".
    """

    give: SideValueOut
    want: SideValueOut
    method: str | Unset = (
        "Per currency, never converted: tokens at face value, plus each card at its company's reference price in that currency, from evidence neither party of the offer made: the lowest live public listing by anyone else, else the median of the company's latest 5 market sales in which neither party sold nor bought (suspected wash trades, trade offers and private listings excluded). Cards without either are listed as unpriced. Rarity is not priced. A swap's price over several cards is split by the same reference."
    )
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        give = self.give.to_dict()

        want = self.want.to_dict()

        method = self.method

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "give": give,
                "want": want,
            }
        )
        if method is not UNSET:
            field_dict["method"] = method

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.side_value_out import SideValueOut  # noqa: PLC0415

        d = dict(src_dict)
        give = SideValueOut.from_dict(d.pop("give"))

        want = SideValueOut.from_dict(d.pop("want"))

        method = d.pop("method", UNSET)

        value_hint_out = cls(
            give=give,
            want=want,
            method=method,
        )

        value_hint_out.additional_properties = d
        return value_hint_out

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
