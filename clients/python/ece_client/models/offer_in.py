from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define

from ..models.asset import Asset
from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.offer_filter_in import OfferFilterIn


T = TypeVar("T", bound="OfferIn")


@_attrs_define
class OfferIn:
    """
    Attributes:
        currency (Asset):
        price (str): Decimal string in whole tokens, e.g. '12.5'
        card_id (None | str | Unset):
        company_id (None | str | Unset):
        expires_at (datetime.datetime | None | Unset): Default 3 days ahead; at most 6 (holds never go stale)
        filter_ (None | OfferFilterIn | Unset):
        quantity (int | Unset):  Default: 1.
    """

    currency: Asset
    price: str
    card_id: None | str | Unset = UNSET
    company_id: None | str | Unset = UNSET
    expires_at: datetime.datetime | None | Unset = UNSET
    filter_: None | OfferFilterIn | Unset = UNSET
    quantity: int | Unset = 1

    def to_dict(self) -> dict[str, Any]:
        from ..models.offer_filter_in import OfferFilterIn  # noqa: PLC0415

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

        expires_at: None | str | Unset
        if isinstance(self.expires_at, Unset):
            expires_at = UNSET
        elif isinstance(self.expires_at, datetime.datetime):
            expires_at = self.expires_at.isoformat()
        else:
            expires_at = self.expires_at

        filter_: dict[str, Any] | None | Unset
        if isinstance(self.filter_, Unset):
            filter_ = UNSET
        elif isinstance(self.filter_, OfferFilterIn):
            filter_ = self.filter_.to_dict()
        else:
            filter_ = self.filter_

        quantity = self.quantity

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "currency": currency,
                "price": price,
            }
        )
        if card_id is not UNSET:
            field_dict["card_id"] = card_id
        if company_id is not UNSET:
            field_dict["company_id"] = company_id
        if expires_at is not UNSET:
            field_dict["expires_at"] = expires_at
        if filter_ is not UNSET:
            field_dict["filter"] = filter_
        if quantity is not UNSET:
            field_dict["quantity"] = quantity

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.offer_filter_in import OfferFilterIn  # noqa: PLC0415

        d = dict(src_dict)
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

        def _parse_expires_at(data: object) -> datetime.datetime | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                expires_at_type_0 = datetime.datetime.fromisoformat(data)

                return expires_at_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.datetime | None | Unset, data)

        expires_at = _parse_expires_at(d.pop("expires_at", UNSET))

        def _parse_filter_(data: object) -> None | OfferFilterIn | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                filter_type_0 = OfferFilterIn.from_dict(data)

                return filter_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | OfferFilterIn | Unset, data)

        filter_ = _parse_filter_(d.pop("filter", UNSET))

        quantity = d.pop("quantity", UNSET)

        offer_in = cls(
            currency=currency,
            price=price,
            card_id=card_id,
            company_id=company_id,
            expires_at=expires_at,
            filter_=filter_,
            quantity=quantity,
        )

        return offer_in
