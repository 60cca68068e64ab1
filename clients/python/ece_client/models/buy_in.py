from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define

from ..types import UNSET, Unset

T = TypeVar("T", bound="BuyIn")


@_attrs_define
class BuyIn:
    """
    Attributes:
        max_price (None | str | Unset): Refuse the buy (409 price_above_max) if the price is higher
    """

    max_price: None | str | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        max_price: None | str | Unset
        if isinstance(self.max_price, Unset):
            max_price = UNSET
        else:
            max_price = self.max_price

        field_dict: dict[str, Any] = {}

        field_dict.update({})
        if max_price is not UNSET:
            field_dict["max_price"] = max_price

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)

        def _parse_max_price(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        max_price = _parse_max_price(d.pop("max_price", UNSET))

        buy_in = cls(
            max_price=max_price,
        )

        return buy_in
