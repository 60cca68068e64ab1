from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.asset import Asset

T = TypeVar("T", bound="LastSaleOut")


@_attrs_define
class LastSaleOut:
    """
    Attributes:
        card_id (str):
        currency (Asset):
        executed_at (datetime.datetime):
        price (str):
        sale_id (str):
    """

    card_id: str
    currency: Asset
    executed_at: datetime.datetime
    price: str
    sale_id: str
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        card_id = self.card_id

        currency = self.currency.value

        executed_at = self.executed_at.isoformat()

        price = self.price

        sale_id = self.sale_id

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "card_id": card_id,
                "currency": currency,
                "executed_at": executed_at,
                "price": price,
                "sale_id": sale_id,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        card_id = d.pop("card_id")

        currency = Asset(d.pop("currency"))

        executed_at = datetime.datetime.fromisoformat(d.pop("executed_at"))

        price = d.pop("price")

        sale_id = d.pop("sale_id")

        last_sale_out = cls(
            card_id=card_id,
            currency=currency,
            executed_at=executed_at,
            price=price,
            sale_id=sale_id,
        )

        last_sale_out.additional_properties = d
        return last_sale_out

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
