from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.asset import Asset

if TYPE_CHECKING:
    from ..models.candle_out import CandleOut


T = TypeVar("T", bound="CandlesOut")


@_attrs_define
class CandlesOut:
    """
    Attributes:
        candles (list[CandleOut]): Oldest first; buckets without sales omitted
        company_id (str):
        currency (Asset):
        interval (str):
    """

    candles: list[CandleOut]
    company_id: str
    currency: Asset
    interval: str
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        candles = []
        for candles_item_data in self.candles:
            candles_item = candles_item_data.to_dict()
            candles.append(candles_item)

        company_id = self.company_id

        currency = self.currency.value

        interval = self.interval

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "candles": candles,
                "company_id": company_id,
                "currency": currency,
                "interval": interval,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.candle_out import CandleOut  # noqa: PLC0415

        d = dict(src_dict)
        candles = []
        _candles = d.pop("candles")
        for candles_item_data in _candles:
            candles_item = CandleOut.from_dict(candles_item_data)

            candles.append(candles_item)

        company_id = d.pop("company_id")

        currency = Asset(d.pop("currency"))

        interval = d.pop("interval")

        candles_out = cls(
            candles=candles,
            company_id=company_id,
            currency=currency,
            interval=interval,
        )

        candles_out.additional_properties = d
        return candles_out

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
