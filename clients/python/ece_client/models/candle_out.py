from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

T = TypeVar("T", bound="CandleOut")


@_attrs_define
class CandleOut:
    """
    Attributes:
        close (str):
        high (str):
        low (str):
        open_ (str):
        sales (int):
        start (datetime.datetime):
        volume (str):
    """

    close: str
    high: str
    low: str
    open_: str
    sales: int
    start: datetime.datetime
    volume: str
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        close = self.close

        high = self.high

        low = self.low

        open_ = self.open_

        sales = self.sales

        start = self.start.isoformat()

        volume = self.volume

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "close": close,
                "high": high,
                "low": low,
                "open": open_,
                "sales": sales,
                "start": start,
                "volume": volume,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        close = d.pop("close")

        high = d.pop("high")

        low = d.pop("low")

        open_ = d.pop("open")

        sales = d.pop("sales")

        start = datetime.datetime.fromisoformat(d.pop("start"))

        volume = d.pop("volume")

        candle_out = cls(
            close=close,
            high=high,
            low=low,
            open_=open_,
            sales=sales,
            start=start,
            volume=volume,
        )

        candle_out.additional_properties = d
        return candle_out

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
