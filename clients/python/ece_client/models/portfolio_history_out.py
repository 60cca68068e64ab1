from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.asset import Asset

if TYPE_CHECKING:
    from ..models.portfolio_point_out import PortfolioPointOut


T = TypeVar("T", bound="PortfolioHistoryOut")


@_attrs_define
class PortfolioHistoryOut:
    """
    Attributes:
        currency (Asset):
        interval (str):
        points (list[PortfolioPointOut]):
    """

    currency: Asset
    interval: str
    points: list[PortfolioPointOut]
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        currency = self.currency.value

        interval = self.interval

        points = []
        for points_item_data in self.points:
            points_item = points_item_data.to_dict()
            points.append(points_item)

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "currency": currency,
                "interval": interval,
                "points": points,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.portfolio_point_out import PortfolioPointOut  # noqa: PLC0415

        d = dict(src_dict)
        currency = Asset(d.pop("currency"))

        interval = d.pop("interval")

        points = []
        _points = d.pop("points")
        for points_item_data in _points:
            points_item = PortfolioPointOut.from_dict(points_item_data)

            points.append(points_item)

        portfolio_history_out = cls(
            currency=currency,
            interval=interval,
            points=points,
        )

        portfolio_history_out.additional_properties = d
        return portfolio_history_out

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
