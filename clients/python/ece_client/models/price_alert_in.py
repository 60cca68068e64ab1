from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define

from ..models.asset import Asset
from ..models.condition import Condition
from ..types import UNSET, Unset

T = TypeVar("T", bound="PriceAlertIn")


@_attrs_define
class PriceAlertIn:
    """
    Attributes:
        condition (Condition):
        currency (Asset):
        price (str): Decimal string in whole tokens, e.g. '12.5'
        card_id (None | str | Unset):
        company_id (None | str | Unset):
    """

    condition: Condition
    currency: Asset
    price: str
    card_id: None | str | Unset = UNSET
    company_id: None | str | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        condition = self.condition.value

        currency = self.currency.value

        price = self.price

        card_id: None | str | Unset
        if isinstance(self.card_id, Unset):
            card_id = UNSET
        else:
            card_id = self.card_id

        company_id: None | str | Unset
        if isinstance(self.company_id, Unset):
            company_id = UNSET
        else:
            company_id = self.company_id

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "condition": condition,
                "currency": currency,
                "price": price,
            }
        )
        if card_id is not UNSET:
            field_dict["card_id"] = card_id
        if company_id is not UNSET:
            field_dict["company_id"] = company_id

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        condition = Condition(d.pop("condition"))

        currency = Asset(d.pop("currency"))

        price = d.pop("price")

        def _parse_card_id(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        card_id = _parse_card_id(d.pop("card_id", UNSET))

        def _parse_company_id(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        company_id = _parse_company_id(d.pop("company_id", UNSET))

        price_alert_in = cls(
            condition=condition,
            currency=currency,
            price=price,
            card_id=card_id,
            company_id=company_id,
        )

        return price_alert_in
