from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.asset import Asset
from ..models.auction_state import AuctionState

T = TypeVar("T", bound="MyBidOut")


@_attrs_define
class MyBidOut:
    """
    Attributes:
        auction_id (str):
        auction_status (AuctionState): What the row stores: ``open`` until settled or cancelled.
        bid_id (str):
        card_id (str):
        currency (Asset):
        ends_at (datetime.datetime):
        max_amount (str):
        placed_at (datetime.datetime):
        price_after (str): The visible price right after this bid
        status (str): winning, outbid, raised (replaced by your higher max), won or lost
    """

    auction_id: str
    auction_status: AuctionState
    bid_id: str
    card_id: str
    currency: Asset
    ends_at: datetime.datetime
    max_amount: str
    placed_at: datetime.datetime
    price_after: str
    status: str
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        auction_id = self.auction_id

        auction_status = self.auction_status.value

        bid_id = self.bid_id

        card_id = self.card_id

        currency = self.currency.value

        ends_at = self.ends_at.isoformat()

        max_amount = self.max_amount

        placed_at = self.placed_at.isoformat()

        price_after = self.price_after

        status = self.status

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "auction_id": auction_id,
                "auction_status": auction_status,
                "bid_id": bid_id,
                "card_id": card_id,
                "currency": currency,
                "ends_at": ends_at,
                "max_amount": max_amount,
                "placed_at": placed_at,
                "price_after": price_after,
                "status": status,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        auction_id = d.pop("auction_id")

        auction_status = AuctionState(d.pop("auction_status"))

        bid_id = d.pop("bid_id")

        card_id = d.pop("card_id")

        currency = Asset(d.pop("currency"))

        ends_at = datetime.datetime.fromisoformat(d.pop("ends_at"))

        max_amount = d.pop("max_amount")

        placed_at = datetime.datetime.fromisoformat(d.pop("placed_at"))

        price_after = d.pop("price_after")

        status = d.pop("status")

        my_bid_out = cls(
            auction_id=auction_id,
            auction_status=auction_status,
            bid_id=bid_id,
            card_id=card_id,
            currency=currency,
            ends_at=ends_at,
            max_amount=max_amount,
            placed_at=placed_at,
            price_after=price_after,
            status=status,
        )

        my_bid_out.additional_properties = d
        return my_bid_out

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
