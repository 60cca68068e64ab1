from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define

T = TypeVar("T", bound="BidIn")


@_attrs_define
class BidIn:
    """
    Attributes:
        max_amount (str): The most you would pay, in the auction's currency
    """

    max_amount: str

    def to_dict(self) -> dict[str, Any]:
        max_amount = self.max_amount

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "max_amount": max_amount,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        max_amount = d.pop("max_amount")

        bid_in = cls(
            max_amount=max_amount,
        )

        return bid_in
