from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.asset import Asset

T = TypeVar("T", bound="BalanceOut")


@_attrs_define
class BalanceOut:
    """
    Attributes:
        asset (Asset):
        available (str): Spendable now: total minus held
        held (str): Reserved by open holds (offers, bids, withdrawals)
        total (str):
    """

    asset: Asset
    available: str
    held: str
    total: str
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        asset = self.asset.value

        available = self.available

        held = self.held

        total = self.total

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "asset": asset,
                "available": available,
                "held": held,
                "total": total,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        asset = Asset(d.pop("asset"))

        available = d.pop("available")

        held = d.pop("held")

        total = d.pop("total")

        balance_out = cls(
            asset=asset,
            available=available,
            held=held,
            total=total,
        )

        balance_out.additional_properties = d
        return balance_out

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
