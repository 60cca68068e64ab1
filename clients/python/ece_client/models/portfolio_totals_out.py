from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

T = TypeVar("T", bound="PortfolioTotalsOut")


@_attrs_define
class PortfolioTotalsOut:
    """
    Attributes:
        cards (int): Held cards with a floor in this currency
        cost (str): Sum of the cost bases in this currency
        realized_pnl (str): Sum of the gains of every disposal
        unrealized_pnl (str): floor - basis over cards with both
        value_at_floor (str): Sum of the floors of every held card
    """

    cards: int
    cost: str
    realized_pnl: str
    unrealized_pnl: str
    value_at_floor: str
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        cards = self.cards

        cost = self.cost

        realized_pnl = self.realized_pnl

        unrealized_pnl = self.unrealized_pnl

        value_at_floor = self.value_at_floor

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "cards": cards,
                "cost": cost,
                "realized_pnl": realized_pnl,
                "unrealized_pnl": unrealized_pnl,
                "value_at_floor": value_at_floor,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        cards = d.pop("cards")

        cost = d.pop("cost")

        realized_pnl = d.pop("realized_pnl")

        unrealized_pnl = d.pop("unrealized_pnl")

        value_at_floor = d.pop("value_at_floor")

        portfolio_totals_out = cls(
            cards=cards,
            cost=cost,
            realized_pnl=realized_pnl,
            unrealized_pnl=unrealized_pnl,
            value_at_floor=value_at_floor,
        )

        portfolio_totals_out.additional_properties = d
        return portfolio_totals_out

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
