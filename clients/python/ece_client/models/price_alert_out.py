from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.asset import Asset
from ..models.condition import Condition

T = TypeVar("T", bound="PriceAlertOut")


@_attrs_define
class PriceAlertOut:
    """
    Attributes:
        armed (bool): False after firing, until the condition stops holding
        card_id (None | str):
        company_id (None | str):
        condition (Condition):
        created_at (datetime.datetime):
        currency (Asset):
        fired_count (int):
        id (str):
        last_fired_at (datetime.datetime | None):
        price (str):
    """

    armed: bool
    card_id: None | str
    company_id: None | str
    condition: Condition
    created_at: datetime.datetime
    currency: Asset
    fired_count: int
    id: str
    last_fired_at: datetime.datetime | None
    price: str
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        armed = self.armed

        card_id: None | str
        card_id = self.card_id

        company_id: None | str
        company_id = self.company_id

        condition = self.condition.value

        created_at = self.created_at.isoformat()

        currency = self.currency.value

        fired_count = self.fired_count

        id = self.id

        last_fired_at: None | str
        if isinstance(self.last_fired_at, datetime.datetime):
            last_fired_at = self.last_fired_at.isoformat()
        else:
            last_fired_at = self.last_fired_at

        price = self.price

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "armed": armed,
                "card_id": card_id,
                "company_id": company_id,
                "condition": condition,
                "created_at": created_at,
                "currency": currency,
                "fired_count": fired_count,
                "id": id,
                "last_fired_at": last_fired_at,
                "price": price,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        armed = d.pop("armed")

        def _parse_card_id(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        card_id = _parse_card_id(d.pop("card_id"))

        def _parse_company_id(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        company_id = _parse_company_id(d.pop("company_id"))

        condition = Condition(d.pop("condition"))

        created_at = datetime.datetime.fromisoformat(d.pop("created_at"))

        currency = Asset(d.pop("currency"))

        fired_count = d.pop("fired_count")

        id = d.pop("id")

        def _parse_last_fired_at(data: object) -> datetime.datetime | None:
            if data is None:
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                last_fired_at_type_0 = datetime.datetime.fromisoformat(data)

                return last_fired_at_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.datetime | None, data)

        last_fired_at = _parse_last_fired_at(d.pop("last_fired_at"))

        price = d.pop("price")

        price_alert_out = cls(
            armed=armed,
            card_id=card_id,
            company_id=company_id,
            condition=condition,
            created_at=created_at,
            currency=currency,
            fired_count=fired_count,
            id=id,
            last_fired_at=last_fired_at,
            price=price,
        )

        price_alert_out.additional_properties = d
        return price_alert_out

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
