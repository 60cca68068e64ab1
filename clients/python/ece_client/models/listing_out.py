from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.asset import Asset
from ..models.listing_status import ListingStatus

if TYPE_CHECKING:
    from ..models.party import Party


T = TypeVar("T", bound="ListingOut")


@_attrs_define
class ListingOut:
    """
    Attributes:
        card_id (str):
        card_name (str):
        company_id (str):
        created_at (datetime.datetime):
        currency (Asset):
        expires_at (datetime.datetime):
        id (str):
        price (str):
        rarity (str):
        seller (Party):
        status (ListingStatus):
        taker (None | str):
        updated_at (datetime.datetime):
    """

    card_id: str
    card_name: str
    company_id: str
    created_at: datetime.datetime
    currency: Asset
    expires_at: datetime.datetime
    id: str
    price: str
    rarity: str
    seller: Party
    status: ListingStatus
    taker: None | str
    updated_at: datetime.datetime
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        card_id = self.card_id

        card_name = self.card_name

        company_id = self.company_id

        created_at = self.created_at.isoformat()

        currency = self.currency.value

        expires_at = self.expires_at.isoformat()

        id = self.id

        price = self.price

        rarity = self.rarity

        seller = self.seller.to_dict()

        status = self.status.value

        taker: None | str
        taker = self.taker

        updated_at = self.updated_at.isoformat()

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "card_id": card_id,
                "card_name": card_name,
                "company_id": company_id,
                "created_at": created_at,
                "currency": currency,
                "expires_at": expires_at,
                "id": id,
                "price": price,
                "rarity": rarity,
                "seller": seller,
                "status": status,
                "taker": taker,
                "updated_at": updated_at,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.party import Party  # noqa: PLC0415

        d = dict(src_dict)
        card_id = d.pop("card_id")

        card_name = d.pop("card_name")

        company_id = d.pop("company_id")

        created_at = datetime.datetime.fromisoformat(d.pop("created_at"))

        currency = Asset(d.pop("currency"))

        expires_at = datetime.datetime.fromisoformat(d.pop("expires_at"))

        id = d.pop("id")

        price = d.pop("price")

        rarity = d.pop("rarity")

        seller = Party.from_dict(d.pop("seller"))

        status = ListingStatus(d.pop("status"))

        def _parse_taker(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        taker = _parse_taker(d.pop("taker"))

        updated_at = datetime.datetime.fromisoformat(d.pop("updated_at"))

        listing_out = cls(
            card_id=card_id,
            card_name=card_name,
            company_id=company_id,
            created_at=created_at,
            currency=currency,
            expires_at=expires_at,
            id=id,
            price=price,
            rarity=rarity,
            seller=seller,
            status=status,
            taker=taker,
            updated_at=updated_at,
        )

        listing_out.additional_properties = d
        return listing_out

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
