from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.asset import Asset

T = TypeVar("T", bound="PriceBucketOut")


@_attrs_define
class PriceBucketOut:
    """
    Attributes:
        count (int):
        currency (Asset):
        max_ (None | str): Decimal string, exclusive; null: no upper bound
        min_ (str): Decimal string, inclusive
    """

    count: int
    currency: Asset
    max_: None | str
    min_: str
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        count = self.count

        currency = self.currency.value

        max_: None | str
        max_ = self.max_

        min_ = self.min_

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "count": count,
                "currency": currency,
                "max": max_,
                "min": min_,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        count = d.pop("count")

        currency = Asset(d.pop("currency"))

        def _parse_max_(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        max_ = _parse_max_(d.pop("max"))

        min_ = d.pop("min")

        price_bucket_out = cls(
            count=count,
            currency=currency,
            max_=max_,
            min_=min_,
        )

        price_bucket_out.additional_properties = d
        return price_bucket_out

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
