from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.trade_side_in import TradeSideIn


T = TypeVar("T", bound="CounterIn")


@_attrs_define
class CounterIn:
    """
    Attributes:
        expires_at (datetime.datetime | None | Unset): Default and maximum lifetime are settings
        give (TradeSideIn | Unset): Cards and tokens on one side. ``"0"`` or an absent asset means none of it.
        message (None | str | Unset):
        want (TradeSideIn | Unset): Cards and tokens on one side. ``"0"`` or an absent asset means none of it.
    """

    expires_at: datetime.datetime | None | Unset = UNSET
    give: TradeSideIn | Unset = UNSET
    message: None | str | Unset = UNSET
    want: TradeSideIn | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        expires_at: None | str | Unset
        if isinstance(self.expires_at, Unset):
            expires_at = UNSET
        elif isinstance(self.expires_at, datetime.datetime):
            expires_at = self.expires_at.isoformat()
        else:
            expires_at = self.expires_at

        give: dict[str, Any] | Unset = UNSET
        if not isinstance(self.give, Unset):
            give = self.give.to_dict()

        message: None | str | Unset
        if isinstance(self.message, Unset):
            message = UNSET
        else:
            message = self.message

        want: dict[str, Any] | Unset = UNSET
        if not isinstance(self.want, Unset):
            want = self.want.to_dict()

        field_dict: dict[str, Any] = {}

        field_dict.update({})
        if expires_at is not UNSET:
            field_dict["expires_at"] = expires_at
        if give is not UNSET:
            field_dict["give"] = give
        if message is not UNSET:
            field_dict["message"] = message
        if want is not UNSET:
            field_dict["want"] = want

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.trade_side_in import TradeSideIn  # noqa: PLC0415

        d = dict(src_dict)

        def _parse_expires_at(data: object) -> datetime.datetime | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                expires_at_type_0 = datetime.datetime.fromisoformat(data)

                return expires_at_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.datetime | None | Unset, data)

        expires_at = _parse_expires_at(d.pop("expires_at", UNSET))

        _give = d.pop("give", UNSET)
        give: TradeSideIn | Unset
        if isinstance(_give, Unset):
            give = UNSET
        else:
            give = TradeSideIn.from_dict(_give)

        def _parse_message(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        message = _parse_message(d.pop("message", UNSET))

        _want = d.pop("want", UNSET)
        want: TradeSideIn | Unset
        if isinstance(_want, Unset):
            want = UNSET
        else:
            want = TradeSideIn.from_dict(_want)

        counter_in = cls(
            expires_at=expires_at,
            give=give,
            message=message,
            want=want,
        )

        return counter_in
