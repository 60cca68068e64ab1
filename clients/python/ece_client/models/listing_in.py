from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define

from ..models.asset import Asset
from ..types import UNSET, Unset

T = TypeVar("T", bound="ListingIn")


@_attrs_define
class ListingIn:
    """
    Attributes:
        card_id (str):
        currency (Asset):
        price (str): Decimal string in whole tokens, e.g. '12.5'
        expires_at (datetime.datetime | None | Unset): Default 30 days ahead; at most 180
        taker (None | str | Unset): A private listing: only this wallet may buy
    """

    card_id: str
    currency: Asset
    price: str
    expires_at: datetime.datetime | None | Unset = UNSET
    taker: None | str | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        card_id = self.card_id

        currency = self.currency.value

        price = self.price

        expires_at: None | str | Unset
        if isinstance(self.expires_at, Unset):
            expires_at = UNSET
        elif isinstance(self.expires_at, datetime.datetime):
            expires_at = self.expires_at.isoformat()
        else:
            expires_at = self.expires_at

        taker: None | str | Unset
        if isinstance(self.taker, Unset):
            taker = UNSET
        else:
            taker = self.taker

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "card_id": card_id,
                "currency": currency,
                "price": price,
            }
        )
        if expires_at is not UNSET:
            field_dict["expires_at"] = expires_at
        if taker is not UNSET:
            field_dict["taker"] = taker

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        card_id = d.pop("card_id")

        currency = Asset(d.pop("currency"))

        price = d.pop("price")

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

        def _parse_taker(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        taker = _parse_taker(d.pop("taker", UNSET))

        listing_in = cls(
            card_id=card_id,
            currency=currency,
            price=price,
            expires_at=expires_at,
            taker=taker,
        )

        return listing_in
