from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.asset import Asset
from ..models.quote_side import QuoteSide
from ..types import UNSET, Unset

T = TypeVar("T", bound="QuoteOut")


@_attrs_define
class QuoteOut:
    """A cost preview by the rule settlement applies: the buyer pays ``price``; the platform
    fee and the company's royalty come out of it, and the seller receives the rest.

        Attributes:
            currency (Asset):
            fee (str): Platform fee, part of the price (paid out of the seller's side)
            fee_bps (int):
            price (str):
            royalty (str): The company's royalty, part of the price
            royalty_bps (int):
            side (QuoteSide):
            you_pay (None | str | Unset): side=buy: what leaves your balance
            you_receive (None | str | Unset): side=sell: what you are credited
    """

    currency: Asset
    fee: str
    fee_bps: int
    price: str
    royalty: str
    royalty_bps: int
    side: QuoteSide
    you_pay: None | str | Unset = UNSET
    you_receive: None | str | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        currency = self.currency.value

        fee = self.fee

        fee_bps = self.fee_bps

        price = self.price

        royalty = self.royalty

        royalty_bps = self.royalty_bps

        side = self.side.value

        you_pay: None | str | Unset
        if isinstance(self.you_pay, Unset):
            you_pay = UNSET
        else:
            you_pay = self.you_pay

        you_receive: None | str | Unset
        if isinstance(self.you_receive, Unset):
            you_receive = UNSET
        else:
            you_receive = self.you_receive

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "currency": currency,
                "fee": fee,
                "fee_bps": fee_bps,
                "price": price,
                "royalty": royalty,
                "royalty_bps": royalty_bps,
                "side": side,
            }
        )
        if you_pay is not UNSET:
            field_dict["you_pay"] = you_pay
        if you_receive is not UNSET:
            field_dict["you_receive"] = you_receive

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        currency = Asset(d.pop("currency"))

        fee = d.pop("fee")

        fee_bps = d.pop("fee_bps")

        price = d.pop("price")

        royalty = d.pop("royalty")

        royalty_bps = d.pop("royalty_bps")

        side = QuoteSide(d.pop("side"))

        def _parse_you_pay(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        you_pay = _parse_you_pay(d.pop("you_pay", UNSET))

        def _parse_you_receive(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        you_receive = _parse_you_receive(d.pop("you_receive", UNSET))

        quote_out = cls(
            currency=currency,
            fee=fee,
            fee_bps=fee_bps,
            price=price,
            royalty=royalty,
            royalty_bps=royalty_bps,
            side=side,
            you_pay=you_pay,
            you_receive=you_receive,
        )

        quote_out.additional_properties = d
        return quote_out

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
