from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define

from ..models.asset import Asset
from ..models.auction_kind import AuctionKind
from ..types import UNSET, Unset

T = TypeVar("T", bound="AuctionIn")


@_attrs_define
class AuctionIn:
    """
    Attributes:
        card_id (str):
        currency (Asset):
        ends_at (datetime.datetime): After starts_at by ECE_AUCTION_MIN_DURATION_S to ECE_AUCTION_MAX_DURATION_S (1 hour
            to 30 days by default; else 422 invalid_duration)
        start_price (str): Decimal string in whole tokens, e.g. '12.5'
        type_ (AuctionKind):
        buy_now_price (None | str | Unset): English only
        end_price (None | str | Unset): Dutch only
        reserve_price (None | str | Unset): English only; hidden (the public sees reserve_met)
        starts_at (datetime.datetime | None | Unset): Default: now
    """

    card_id: str
    currency: Asset
    ends_at: datetime.datetime
    start_price: str
    type_: AuctionKind
    buy_now_price: None | str | Unset = UNSET
    end_price: None | str | Unset = UNSET
    reserve_price: None | str | Unset = UNSET
    starts_at: datetime.datetime | None | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        card_id = self.card_id

        currency = self.currency.value

        ends_at = self.ends_at.isoformat()

        start_price = self.start_price

        type_ = self.type_.value

        buy_now_price: None | str | Unset
        if isinstance(self.buy_now_price, Unset):
            buy_now_price = UNSET
        else:
            buy_now_price = self.buy_now_price

        end_price: None | str | Unset
        if isinstance(self.end_price, Unset):
            end_price = UNSET
        else:
            end_price = self.end_price

        reserve_price: None | str | Unset
        if isinstance(self.reserve_price, Unset):
            reserve_price = UNSET
        else:
            reserve_price = self.reserve_price

        starts_at: None | str | Unset
        if isinstance(self.starts_at, Unset):
            starts_at = UNSET
        elif isinstance(self.starts_at, datetime.datetime):
            starts_at = self.starts_at.isoformat()
        else:
            starts_at = self.starts_at

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "card_id": card_id,
                "currency": currency,
                "ends_at": ends_at,
                "start_price": start_price,
                "type": type_,
            }
        )
        if buy_now_price is not UNSET:
            field_dict["buy_now_price"] = buy_now_price
        if end_price is not UNSET:
            field_dict["end_price"] = end_price
        if reserve_price is not UNSET:
            field_dict["reserve_price"] = reserve_price
        if starts_at is not UNSET:
            field_dict["starts_at"] = starts_at

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        card_id = d.pop("card_id")

        currency = Asset(d.pop("currency"))

        ends_at = datetime.datetime.fromisoformat(d.pop("ends_at"))

        start_price = d.pop("start_price")

        type_ = AuctionKind(d.pop("type"))

        def _parse_buy_now_price(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        buy_now_price = _parse_buy_now_price(d.pop("buy_now_price", UNSET))

        def _parse_end_price(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        end_price = _parse_end_price(d.pop("end_price", UNSET))

        def _parse_reserve_price(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        reserve_price = _parse_reserve_price(d.pop("reserve_price", UNSET))

        def _parse_starts_at(data: object) -> datetime.datetime | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                starts_at_type_0 = datetime.datetime.fromisoformat(data)

                return starts_at_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.datetime | None | Unset, data)

        starts_at = _parse_starts_at(d.pop("starts_at", UNSET))

        auction_in = cls(
            card_id=card_id,
            currency=currency,
            ends_at=ends_at,
            start_price=start_price,
            type_=type_,
            buy_now_price=buy_now_price,
            end_price=end_price,
            reserve_price=reserve_price,
            starts_at=starts_at,
        )

        return auction_in
