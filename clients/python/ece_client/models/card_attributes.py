from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define

T = TypeVar("T", bound="CardAttributes")


@_attrs_define
class CardAttributes:
    """
    Attributes:
        growth (int):
        influence (int):
        innovation (int):
        power (int):
        valuation (int):
    """

    growth: int
    influence: int
    innovation: int
    power: int
    valuation: int

    def to_dict(self) -> dict[str, Any]:
        growth = self.growth

        influence = self.influence

        innovation = self.innovation

        power = self.power

        valuation = self.valuation

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "growth": growth,
                "influence": influence,
                "innovation": innovation,
                "power": power,
                "valuation": valuation,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        growth = d.pop("growth")

        influence = d.pop("influence")

        innovation = d.pop("innovation")

        power = d.pop("power")

        valuation = d.pop("valuation")

        card_attributes = cls(
            growth=growth,
            influence=influence,
            innovation=innovation,
            power=power,
            valuation=valuation,
        )

        return card_attributes
