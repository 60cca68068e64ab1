from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.bid_out_status import BidOutStatus

T = TypeVar("T", bound="BidOut")


@_attrs_define
class BidOut:
    """
    Attributes:
        bid_id (str):
        current_price (str):
        ends_at (datetime.datetime):
        min_next_bid (str):
        status (BidOutStatus):
    """

    bid_id: str
    current_price: str
    ends_at: datetime.datetime
    min_next_bid: str
    status: BidOutStatus
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        bid_id = self.bid_id

        current_price = self.current_price

        ends_at = self.ends_at.isoformat()

        min_next_bid = self.min_next_bid

        status = self.status.value

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "bid_id": bid_id,
                "current_price": current_price,
                "ends_at": ends_at,
                "min_next_bid": min_next_bid,
                "status": status,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        bid_id = d.pop("bid_id")

        current_price = d.pop("current_price")

        ends_at = datetime.datetime.fromisoformat(d.pop("ends_at"))

        min_next_bid = d.pop("min_next_bid")

        status = BidOutStatus(d.pop("status"))

        bid_out = cls(
            bid_id=bid_id,
            current_price=current_price,
            ends_at=ends_at,
            min_next_bid=min_next_bid,
            status=status,
        )

        bid_out.additional_properties = d
        return bid_out

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
