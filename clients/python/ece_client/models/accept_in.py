from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define

from ..types import UNSET, Unset

T = TypeVar("T", bound="AcceptIn")


@_attrs_define
class AcceptIn:
    """
    Attributes:
        card_id (None | str | Unset): Required for a collection offer
    """

    card_id: None | str | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        card_id: None | str | Unset
        if isinstance(self.card_id, Unset):
            card_id = UNSET
        else:
            card_id = self.card_id

        field_dict: dict[str, Any] = {}

        field_dict.update({})
        if card_id is not UNSET:
            field_dict["card_id"] = card_id

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)

        def _parse_card_id(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        card_id = _parse_card_id(d.pop("card_id", UNSET))

        accept_in = cls(
            card_id=card_id,
        )

        return accept_in
