from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define

from ..models.resolution import Resolution
from ..types import UNSET, Unset

T = TypeVar("T", bound="UnclaimedResolveIn")


@_attrs_define
class UnclaimedResolveIn:
    """``credit`` a named user, or mark it ``returned`` (sent back off the platform) with a note.

    Attributes:
        action (Resolution):
        note (None | str | Unset):
        user_id (None | str | Unset):
    """

    action: Resolution
    note: None | str | Unset = UNSET
    user_id: None | str | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        action = self.action.value

        note: None | str | Unset
        if isinstance(self.note, Unset):
            note = UNSET
        else:
            note = self.note

        user_id: None | str | Unset
        if isinstance(self.user_id, Unset):
            user_id = UNSET
        else:
            user_id = self.user_id

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "action": action,
            }
        )
        if note is not UNSET:
            field_dict["note"] = note
        if user_id is not UNSET:
            field_dict["user_id"] = user_id

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        action = Resolution(d.pop("action"))

        def _parse_note(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        note = _parse_note(d.pop("note", UNSET))

        def _parse_user_id(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        user_id = _parse_user_id(d.pop("user_id", UNSET))

        unclaimed_resolve_in = cls(
            action=action,
            note=note,
            user_id=user_id,
        )

        return unclaimed_resolve_in
