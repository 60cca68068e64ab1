from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.asset import Asset

if TYPE_CHECKING:
    from ..models.skipped_out import SkippedOut
    from ..models.trade_out import TradeOut


T = TypeVar("T", bound="SweepOut")


@_attrs_define
class SweepOut:
    """
    Attributes:
        currency (Asset):
        skipped (list[SkippedOut]):
        total (str):
        trades (list[TradeOut]):
    """

    currency: Asset
    skipped: list[SkippedOut]
    total: str
    trades: list[TradeOut]
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        currency = self.currency.value

        skipped = []
        for skipped_item_data in self.skipped:
            skipped_item = skipped_item_data.to_dict()
            skipped.append(skipped_item)

        total = self.total

        trades = []
        for trades_item_data in self.trades:
            trades_item = trades_item_data.to_dict()
            trades.append(trades_item)

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "currency": currency,
                "skipped": skipped,
                "total": total,
                "trades": trades,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.skipped_out import SkippedOut  # noqa: PLC0415
        from ..models.trade_out import TradeOut  # noqa: PLC0415

        d = dict(src_dict)
        currency = Asset(d.pop("currency"))

        skipped = []
        _skipped = d.pop("skipped")
        for skipped_item_data in _skipped:
            skipped_item = SkippedOut.from_dict(skipped_item_data)

            skipped.append(skipped_item)

        total = d.pop("total")

        trades = []
        _trades = d.pop("trades")
        for trades_item_data in _trades:
            trades_item = TradeOut.from_dict(trades_item_data)

            trades.append(trades_item)

        sweep_out = cls(
            currency=currency,
            skipped=skipped,
            total=total,
            trades=trades,
        )

        sweep_out.additional_properties = d
        return sweep_out

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
