from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.asset import Asset
from ..models.auction_kind import AuctionKind
from ..models.auction_out_result_type_0 import AuctionOutResultType0
from ..models.auction_status import AuctionStatus

T = TypeVar("T", bound="AuctionOut")


@_attrs_define
class AuctionOut:
    """
    Attributes:
        bid_count (int):
        buy_now_available (bool):
        buy_now_price (None | str):
        card_id (str):
        company_id (str):
        created_at (datetime.datetime):
        currency (Asset):
        current_price (str): English: the visible price; Dutch: the price now
        end_price (None | str):
        ends_at (datetime.datetime):
        has_reserve (bool):
        high_bidder (None | str):
        id (str):
        min_next_bid (None | str):
        reserve_met (bool):
        result (AuctionOutResultType0 | None): Once settled
        sale_id (None | str):
        seller_address (None | str): None when the company's inventory sells
        start_price (str):
        starts_at (datetime.datetime):
        status (AuctionStatus): What readers see: an open auction is upcoming, live or ended by the clock alone.
        type_ (AuctionKind):
        winner (None | str):
    """

    bid_count: int
    buy_now_available: bool
    buy_now_price: None | str
    card_id: str
    company_id: str
    created_at: datetime.datetime
    currency: Asset
    current_price: str
    end_price: None | str
    ends_at: datetime.datetime
    has_reserve: bool
    high_bidder: None | str
    id: str
    min_next_bid: None | str
    reserve_met: bool
    result: AuctionOutResultType0 | None
    sale_id: None | str
    seller_address: None | str
    start_price: str
    starts_at: datetime.datetime
    status: AuctionStatus
    type_: AuctionKind
    winner: None | str
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        bid_count = self.bid_count

        buy_now_available = self.buy_now_available

        buy_now_price: None | str
        buy_now_price = self.buy_now_price

        card_id = self.card_id

        company_id = self.company_id

        created_at = self.created_at.isoformat()

        currency = self.currency.value

        current_price = self.current_price

        end_price: None | str
        end_price = self.end_price

        ends_at = self.ends_at.isoformat()

        has_reserve = self.has_reserve

        high_bidder: None | str
        high_bidder = self.high_bidder

        id = self.id

        min_next_bid: None | str
        min_next_bid = self.min_next_bid

        reserve_met = self.reserve_met

        result: None | str
        if isinstance(self.result, AuctionOutResultType0):
            result = self.result.value
        else:
            result = self.result

        sale_id: None | str
        sale_id = self.sale_id

        seller_address: None | str
        seller_address = self.seller_address

        start_price = self.start_price

        starts_at = self.starts_at.isoformat()

        status = self.status.value

        type_ = self.type_.value

        winner: None | str
        winner = self.winner

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "bid_count": bid_count,
                "buy_now_available": buy_now_available,
                "buy_now_price": buy_now_price,
                "card_id": card_id,
                "company_id": company_id,
                "created_at": created_at,
                "currency": currency,
                "current_price": current_price,
                "end_price": end_price,
                "ends_at": ends_at,
                "has_reserve": has_reserve,
                "high_bidder": high_bidder,
                "id": id,
                "min_next_bid": min_next_bid,
                "reserve_met": reserve_met,
                "result": result,
                "sale_id": sale_id,
                "seller_address": seller_address,
                "start_price": start_price,
                "starts_at": starts_at,
                "status": status,
                "type": type_,
                "winner": winner,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        bid_count = d.pop("bid_count")

        buy_now_available = d.pop("buy_now_available")

        def _parse_buy_now_price(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        buy_now_price = _parse_buy_now_price(d.pop("buy_now_price"))

        card_id = d.pop("card_id")

        company_id = d.pop("company_id")

        created_at = datetime.datetime.fromisoformat(d.pop("created_at"))

        currency = Asset(d.pop("currency"))

        current_price = d.pop("current_price")

        def _parse_end_price(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        end_price = _parse_end_price(d.pop("end_price"))

        ends_at = datetime.datetime.fromisoformat(d.pop("ends_at"))

        has_reserve = d.pop("has_reserve")

        def _parse_high_bidder(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        high_bidder = _parse_high_bidder(d.pop("high_bidder"))

        id = d.pop("id")

        def _parse_min_next_bid(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        min_next_bid = _parse_min_next_bid(d.pop("min_next_bid"))

        reserve_met = d.pop("reserve_met")

        def _parse_result(data: object) -> AuctionOutResultType0 | None:
            if data is None:
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                result_type_0 = AuctionOutResultType0(data)

                return result_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(AuctionOutResultType0 | None, data)

        result = _parse_result(d.pop("result"))

        def _parse_sale_id(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        sale_id = _parse_sale_id(d.pop("sale_id"))

        def _parse_seller_address(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        seller_address = _parse_seller_address(d.pop("seller_address"))

        start_price = d.pop("start_price")

        starts_at = datetime.datetime.fromisoformat(d.pop("starts_at"))

        status = AuctionStatus(d.pop("status"))

        type_ = AuctionKind(d.pop("type"))

        def _parse_winner(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        winner = _parse_winner(d.pop("winner"))

        auction_out = cls(
            bid_count=bid_count,
            buy_now_available=buy_now_available,
            buy_now_price=buy_now_price,
            card_id=card_id,
            company_id=company_id,
            created_at=created_at,
            currency=currency,
            current_price=current_price,
            end_price=end_price,
            ends_at=ends_at,
            has_reserve=has_reserve,
            high_bidder=high_bidder,
            id=id,
            min_next_bid=min_next_bid,
            reserve_met=reserve_met,
            result=result,
            sale_id=sale_id,
            seller_address=seller_address,
            start_price=start_price,
            starts_at=starts_at,
            status=status,
            type_=type_,
            winner=winner,
        )

        auction_out.additional_properties = d
        return auction_out

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
