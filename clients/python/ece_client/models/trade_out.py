from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.asset import Asset

if TYPE_CHECKING:
    from ..models.party import Party


T = TypeVar("T", bound="TradeOut")


@_attrs_define
class TradeOut:
    """
    Attributes:
        buyer (Party):
        card_id (str):
        company_id (str):
        currency (Asset):
        executed_at (datetime.datetime):
        fee (str): Platform fee, taken from the price
        price (str):
        royalty (str): The company's royalty, taken from the price
        seller (Party):
        seller_receives (str): price - fee - royalty
        source (str): listing, sweep, offer, collection_offer or trade_offer
        trade_id (str):
    """

    buyer: Party
    card_id: str
    company_id: str
    currency: Asset
    executed_at: datetime.datetime
    fee: str
    price: str
    royalty: str
    seller: Party
    seller_receives: str
    source: str
    trade_id: str
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        buyer = self.buyer.to_dict()

        card_id = self.card_id

        company_id = self.company_id

        currency = self.currency.value

        executed_at = self.executed_at.isoformat()

        fee = self.fee

        price = self.price

        royalty = self.royalty

        seller = self.seller.to_dict()

        seller_receives = self.seller_receives

        source = self.source

        trade_id = self.trade_id

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "buyer": buyer,
                "card_id": card_id,
                "company_id": company_id,
                "currency": currency,
                "executed_at": executed_at,
                "fee": fee,
                "price": price,
                "royalty": royalty,
                "seller": seller,
                "seller_receives": seller_receives,
                "source": source,
                "trade_id": trade_id,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.party import Party  # noqa: PLC0415

        d = dict(src_dict)
        buyer = Party.from_dict(d.pop("buyer"))

        card_id = d.pop("card_id")

        company_id = d.pop("company_id")

        currency = Asset(d.pop("currency"))

        executed_at = datetime.datetime.fromisoformat(d.pop("executed_at"))

        fee = d.pop("fee")

        price = d.pop("price")

        royalty = d.pop("royalty")

        seller = Party.from_dict(d.pop("seller"))

        seller_receives = d.pop("seller_receives")

        source = d.pop("source")

        trade_id = d.pop("trade_id")

        trade_out = cls(
            buyer=buyer,
            card_id=card_id,
            company_id=company_id,
            currency=currency,
            executed_at=executed_at,
            fee=fee,
            price=price,
            royalty=royalty,
            seller=seller,
            seller_receives=seller_receives,
            source=source,
            trade_id=trade_id,
        )

        trade_out.additional_properties = d
        return trade_out

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
