from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define

from ..types import UNSET, Unset

T = TypeVar("T", bound="TradeSideIn")


@_attrs_define
class TradeSideIn:
    """Cards and tokens on one side. ``"0"`` or an absent asset means none of it.

    Attributes:
        ece (None | str | Unset):
        usdc (None | str | Unset):
        cards (list[str] | Unset):
    """

    ece: None | str | Unset = UNSET
    usdc: None | str | Unset = UNSET
    cards: list[str] | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        ece: None | str | Unset
        if isinstance(self.ece, Unset):
            ece = UNSET
        else:
            ece = self.ece

        usdc: None | str | Unset
        if isinstance(self.usdc, Unset):
            usdc = UNSET
        else:
            usdc = self.usdc

        cards: list[str] | Unset = UNSET
        if not isinstance(self.cards, Unset):
            cards = self.cards

        field_dict: dict[str, Any] = {}

        field_dict.update({})
        if ece is not UNSET:
            field_dict["ECE"] = ece
        if usdc is not UNSET:
            field_dict["USDC"] = usdc
        if cards is not UNSET:
            field_dict["cards"] = cards

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)

        def _parse_ece(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        ece = _parse_ece(d.pop("ECE", UNSET))

        def _parse_usdc(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        usdc = _parse_usdc(d.pop("USDC", UNSET))

        cards = cast(list[str], d.pop("cards", UNSET))

        trade_side_in = cls(
            ece=ece,
            usdc=usdc,
            cards=cards,
        )

        return trade_side_in
