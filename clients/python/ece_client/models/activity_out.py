from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

T = TypeVar("T", bound="ActivityOut")


@_attrs_define
class ActivityOut:
    """
    Attributes:
        at (datetime.datetime):
        card_id (None | str):
        card_ids (list[str]):
        company_id (None | str):
        currency (None | str):
        from_user_id (None | str):
        price (None | str): A price change: the new price
        ref (str): Id of the subject
        source (None | str): How a sale executed, or why a card moved
        subject (str): sale | listing | offer | trade_offer | card_event
        to_user_id (None | str):
        type_ (str): sale | listing | offer | trade | cancel | transfer | price_change
        wash_suspect (bool): A sale suspected of wash trading (not in stats)
        old_price (None | str | Unset): A price change: the listing's price before it
    """

    at: datetime.datetime
    card_id: None | str
    card_ids: list[str]
    company_id: None | str
    currency: None | str
    from_user_id: None | str
    price: None | str
    ref: str
    source: None | str
    subject: str
    to_user_id: None | str
    type_: str
    wash_suspect: bool
    old_price: None | str | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        at = self.at.isoformat()

        card_id: None | str
        card_id = self.card_id

        card_ids = self.card_ids

        company_id: None | str
        company_id = self.company_id

        currency: None | str
        currency = self.currency

        from_user_id: None | str
        from_user_id = self.from_user_id

        price: None | str
        price = self.price

        ref = self.ref

        source: None | str
        source = self.source

        subject = self.subject

        to_user_id: None | str
        to_user_id = self.to_user_id

        type_ = self.type_

        wash_suspect = self.wash_suspect

        old_price: None | str | Unset
        if isinstance(self.old_price, Unset):
            old_price = UNSET
        else:
            old_price = self.old_price

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "at": at,
                "card_id": card_id,
                "card_ids": card_ids,
                "company_id": company_id,
                "currency": currency,
                "from_user_id": from_user_id,
                "price": price,
                "ref": ref,
                "source": source,
                "subject": subject,
                "to_user_id": to_user_id,
                "type": type_,
                "wash_suspect": wash_suspect,
            }
        )
        if old_price is not UNSET:
            field_dict["old_price"] = old_price

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        at = datetime.datetime.fromisoformat(d.pop("at"))

        def _parse_card_id(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        card_id = _parse_card_id(d.pop("card_id"))

        card_ids = cast(list[str], d.pop("card_ids"))

        def _parse_company_id(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        company_id = _parse_company_id(d.pop("company_id"))

        def _parse_currency(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        currency = _parse_currency(d.pop("currency"))

        def _parse_from_user_id(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        from_user_id = _parse_from_user_id(d.pop("from_user_id"))

        def _parse_price(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        price = _parse_price(d.pop("price"))

        ref = d.pop("ref")

        def _parse_source(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        source = _parse_source(d.pop("source"))

        subject = d.pop("subject")

        def _parse_to_user_id(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        to_user_id = _parse_to_user_id(d.pop("to_user_id"))

        type_ = d.pop("type")

        wash_suspect = d.pop("wash_suspect")

        def _parse_old_price(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        old_price = _parse_old_price(d.pop("old_price", UNSET))

        activity_out = cls(
            at=at,
            card_id=card_id,
            card_ids=card_ids,
            company_id=company_id,
            currency=currency,
            from_user_id=from_user_id,
            price=price,
            ref=ref,
            source=source,
            subject=subject,
            to_user_id=to_user_id,
            type_=type_,
            wash_suspect=wash_suspect,
            old_price=old_price,
        )

        activity_out.additional_properties = d
        return activity_out

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
