from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.asset import Asset

T = TypeVar("T", bound="PublicBidOut")


@_attrs_define
class PublicBidOut:
    """
    Attributes:
        bid_id (str):
        bidder (str): The bidder's wallet address
        currency (Asset):
        placed_at (datetime.datetime):
        price (str): The visible price this bid made (never the bidder's max)
    """

    bid_id: str
    bidder: str
    currency: Asset
    placed_at: datetime.datetime
    price: str
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        bid_id = self.bid_id

        bidder = self.bidder

        currency = self.currency.value

        placed_at = self.placed_at.isoformat()

        price = self.price

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "bid_id": bid_id,
                "bidder": bidder,
                "currency": currency,
                "placed_at": placed_at,
                "price": price,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        bid_id = d.pop("bid_id")

        bidder = d.pop("bidder")

        currency = Asset(d.pop("currency"))

        placed_at = datetime.datetime.fromisoformat(d.pop("placed_at"))

        price = d.pop("price")

        public_bid_out = cls(
            bid_id=bid_id,
            bidder=bidder,
            currency=currency,
            placed_at=placed_at,
            price=price,
        )

        public_bid_out.additional_properties = d
        return public_bid_out

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
