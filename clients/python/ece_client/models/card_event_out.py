from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

if TYPE_CHECKING:
    from ..models.owner_out import OwnerOut
    from ..models.price_out import PriceOut


T = TypeVar("T", bound="CardEventOut")


@_attrs_define
class CardEventOut:
    """
    Attributes:
        at (datetime.datetime):
        from_owner (None | OwnerOut):
        id (int):
        kind (str): mint | transfer | sale | withdraw | deposit
        price (None | PriceOut):
        reason (str):
        ref (None | str): What caused it: a transaction signature, listing id...
        to_owner (None | OwnerOut):
    """

    at: datetime.datetime
    from_owner: None | OwnerOut
    id: int
    kind: str
    price: None | PriceOut
    reason: str
    ref: None | str
    to_owner: None | OwnerOut
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        from ..models.owner_out import OwnerOut  # noqa: PLC0415
        from ..models.price_out import PriceOut  # noqa: PLC0415

        at = self.at.isoformat()

        from_owner: dict[str, Any] | None
        if isinstance(self.from_owner, OwnerOut):
            from_owner = self.from_owner.to_dict()
        else:
            from_owner = self.from_owner

        id = self.id

        kind = self.kind

        price: dict[str, Any] | None
        if isinstance(self.price, PriceOut):
            price = self.price.to_dict()
        else:
            price = self.price

        reason = self.reason

        ref: None | str
        ref = self.ref

        to_owner: dict[str, Any] | None
        if isinstance(self.to_owner, OwnerOut):
            to_owner = self.to_owner.to_dict()
        else:
            to_owner = self.to_owner

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "at": at,
                "from_owner": from_owner,
                "id": id,
                "kind": kind,
                "price": price,
                "reason": reason,
                "ref": ref,
                "to_owner": to_owner,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.owner_out import OwnerOut  # noqa: PLC0415
        from ..models.price_out import PriceOut  # noqa: PLC0415

        d = dict(src_dict)
        at = datetime.datetime.fromisoformat(d.pop("at"))

        def _parse_from_owner(data: object) -> None | OwnerOut:
            if data is None:
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                from_owner_type_0 = OwnerOut.from_dict(data)

                return from_owner_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | OwnerOut, data)

        from_owner = _parse_from_owner(d.pop("from_owner"))

        id = d.pop("id")

        kind = d.pop("kind")

        def _parse_price(data: object) -> None | PriceOut:
            if data is None:
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                price_type_0 = PriceOut.from_dict(data)

                return price_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | PriceOut, data)

        price = _parse_price(d.pop("price"))

        reason = d.pop("reason")

        def _parse_ref(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        ref = _parse_ref(d.pop("ref"))

        def _parse_to_owner(data: object) -> None | OwnerOut:
            if data is None:
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                to_owner_type_0 = OwnerOut.from_dict(data)

                return to_owner_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | OwnerOut, data)

        to_owner = _parse_to_owner(d.pop("to_owner"))

        card_event_out = cls(
            at=at,
            from_owner=from_owner,
            id=id,
            kind=kind,
            price=price,
            reason=reason,
            ref=ref,
            to_owner=to_owner,
        )

        card_event_out.additional_properties = d
        return card_event_out

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
