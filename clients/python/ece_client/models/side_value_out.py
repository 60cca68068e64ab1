from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

if TYPE_CHECKING:
    from ..models.side_value_out_unpriced_cards import SideValueOutUnpricedCards


T = TypeVar("T", bound="SideValueOut")


@_attrs_define
class SideValueOut:
    """
    Attributes:
        ece (str):
        usdc (str):
        unpriced_cards (SideValueOutUnpricedCards): Per currency, cards with no reference price in it (not counted)
    """

    ece: str
    usdc: str
    unpriced_cards: SideValueOutUnpricedCards
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        ece = self.ece

        usdc = self.usdc

        unpriced_cards = self.unpriced_cards.to_dict()

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "ECE": ece,
                "USDC": usdc,
                "unpriced_cards": unpriced_cards,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.side_value_out_unpriced_cards import SideValueOutUnpricedCards  # noqa: PLC0415

        d = dict(src_dict)
        ece = d.pop("ECE")

        usdc = d.pop("USDC")

        unpriced_cards = SideValueOutUnpricedCards.from_dict(d.pop("unpriced_cards"))

        side_value_out = cls(
            ece=ece,
            usdc=usdc,
            unpriced_cards=unpriced_cards,
        )

        side_value_out.additional_properties = d
        return side_value_out

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
