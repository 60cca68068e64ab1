from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.asset import Asset
from ..models.offer_kind import OfferKind
from ..models.offer_status import OfferStatus

if TYPE_CHECKING:
    from ..models.offer_filter_out import OfferFilterOut
    from ..models.party import Party


T = TypeVar("T", bound="OfferOut")


@_attrs_define
class OfferOut:
    """
    Attributes:
        buyer (Party):
        card_id (None | str):
        company_id (str):
        created_at (datetime.datetime):
        currency (Asset):
        expires_at (datetime.datetime):
        filled (int):
        filter_ (None | OfferFilterOut):
        held (str): Funds the offer holds now: price * remaining while open
        id (str):
        kind (OfferKind):
        price (str): Per card
        quantity (int):
        remaining (int):
        status (OfferStatus):
    """

    buyer: Party
    card_id: None | str
    company_id: str
    created_at: datetime.datetime
    currency: Asset
    expires_at: datetime.datetime
    filled: int
    filter_: None | OfferFilterOut
    held: str
    id: str
    kind: OfferKind
    price: str
    quantity: int
    remaining: int
    status: OfferStatus
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        from ..models.offer_filter_out import OfferFilterOut  # noqa: PLC0415

        buyer = self.buyer.to_dict()

        card_id: None | str
        card_id = self.card_id

        company_id = self.company_id

        created_at = self.created_at.isoformat()

        currency = self.currency.value

        expires_at = self.expires_at.isoformat()

        filled = self.filled

        filter_: dict[str, Any] | None
        if isinstance(self.filter_, OfferFilterOut):
            filter_ = self.filter_.to_dict()
        else:
            filter_ = self.filter_

        held = self.held

        id = self.id

        kind = self.kind.value

        price = self.price

        quantity = self.quantity

        remaining = self.remaining

        status = self.status.value

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "buyer": buyer,
                "card_id": card_id,
                "company_id": company_id,
                "created_at": created_at,
                "currency": currency,
                "expires_at": expires_at,
                "filled": filled,
                "filter": filter_,
                "held": held,
                "id": id,
                "kind": kind,
                "price": price,
                "quantity": quantity,
                "remaining": remaining,
                "status": status,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.offer_filter_out import OfferFilterOut  # noqa: PLC0415
        from ..models.party import Party  # noqa: PLC0415

        d = dict(src_dict)
        buyer = Party.from_dict(d.pop("buyer"))

        def _parse_card_id(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        card_id = _parse_card_id(d.pop("card_id"))

        company_id = d.pop("company_id")

        created_at = datetime.datetime.fromisoformat(d.pop("created_at"))

        currency = Asset(d.pop("currency"))

        expires_at = datetime.datetime.fromisoformat(d.pop("expires_at"))

        filled = d.pop("filled")

        def _parse_filter_(data: object) -> None | OfferFilterOut:
            if data is None:
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                filter_type_0 = OfferFilterOut.from_dict(data)

                return filter_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | OfferFilterOut, data)

        filter_ = _parse_filter_(d.pop("filter"))

        held = d.pop("held")

        id = d.pop("id")

        kind = OfferKind(d.pop("kind"))

        price = d.pop("price")

        quantity = d.pop("quantity")

        remaining = d.pop("remaining")

        status = OfferStatus(d.pop("status"))

        offer_out = cls(
            buyer=buyer,
            card_id=card_id,
            company_id=company_id,
            created_at=created_at,
            currency=currency,
            expires_at=expires_at,
            filled=filled,
            filter_=filter_,
            held=held,
            id=id,
            kind=kind,
            price=price,
            quantity=quantity,
            remaining=remaining,
            status=status,
        )

        offer_out.additional_properties = d
        return offer_out

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
