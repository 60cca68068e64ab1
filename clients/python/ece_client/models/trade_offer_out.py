from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

if TYPE_CHECKING:
    from ..models.party_out import PartyOut
    from ..models.trade_side_out import TradeSideOut


T = TypeVar("T", bound="TradeOfferOut")


@_attrs_define
class TradeOfferOut:
    """
    Attributes:
        closed_at (datetime.datetime | None):
        created_at (datetime.datetime):
        expires_at (datetime.datetime):
        give (TradeSideOut):
        id (str):
        maker (PartyOut):
        message (None | str):
        parent_id (None | str):
        root_id (str):
        status (str): active | accepted | declined | cancelled | countered | expired
        taker (PartyOut):
        want (TradeSideOut):
    """

    closed_at: datetime.datetime | None
    created_at: datetime.datetime
    expires_at: datetime.datetime
    give: TradeSideOut
    id: str
    maker: PartyOut
    message: None | str
    parent_id: None | str
    root_id: str
    status: str
    taker: PartyOut
    want: TradeSideOut
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        closed_at: None | str
        if isinstance(self.closed_at, datetime.datetime):
            closed_at = self.closed_at.isoformat()
        else:
            closed_at = self.closed_at

        created_at = self.created_at.isoformat()

        expires_at = self.expires_at.isoformat()

        give = self.give.to_dict()

        id = self.id

        maker = self.maker.to_dict()

        message: None | str
        message = self.message

        parent_id: None | str
        parent_id = self.parent_id

        root_id = self.root_id

        status = self.status

        taker = self.taker.to_dict()

        want = self.want.to_dict()

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "closed_at": closed_at,
                "created_at": created_at,
                "expires_at": expires_at,
                "give": give,
                "id": id,
                "maker": maker,
                "message": message,
                "parent_id": parent_id,
                "root_id": root_id,
                "status": status,
                "taker": taker,
                "want": want,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.party_out import PartyOut  # noqa: PLC0415
        from ..models.trade_side_out import TradeSideOut  # noqa: PLC0415

        d = dict(src_dict)

        def _parse_closed_at(data: object) -> datetime.datetime | None:
            if data is None:
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                closed_at_type_0 = datetime.datetime.fromisoformat(data)

                return closed_at_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.datetime | None, data)

        closed_at = _parse_closed_at(d.pop("closed_at"))

        created_at = datetime.datetime.fromisoformat(d.pop("created_at"))

        expires_at = datetime.datetime.fromisoformat(d.pop("expires_at"))

        give = TradeSideOut.from_dict(d.pop("give"))

        id = d.pop("id")

        maker = PartyOut.from_dict(d.pop("maker"))

        def _parse_message(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        message = _parse_message(d.pop("message"))

        def _parse_parent_id(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        parent_id = _parse_parent_id(d.pop("parent_id"))

        root_id = d.pop("root_id")

        status = d.pop("status")

        taker = PartyOut.from_dict(d.pop("taker"))

        want = TradeSideOut.from_dict(d.pop("want"))

        trade_offer_out = cls(
            closed_at=closed_at,
            created_at=created_at,
            expires_at=expires_at,
            give=give,
            id=id,
            maker=maker,
            message=message,
            parent_id=parent_id,
            root_id=root_id,
            status=status,
            taker=taker,
            want=want,
        )

        trade_offer_out.additional_properties = d
        return trade_offer_out

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
