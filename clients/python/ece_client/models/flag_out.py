from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

T = TypeVar("T", bound="FlagOut")


@_attrs_define
class FlagOut:
    """
    Attributes:
        created_at (datetime.datetime):
        flagged_by (str):
        reason (str):
        review_id (None | str):
        user_id (str):
    """

    created_at: datetime.datetime
    flagged_by: str
    reason: str
    review_id: None | str
    user_id: str
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        created_at = self.created_at.isoformat()

        flagged_by = self.flagged_by

        reason = self.reason

        review_id: None | str
        review_id = self.review_id

        user_id = self.user_id

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "created_at": created_at,
                "flagged_by": flagged_by,
                "reason": reason,
                "review_id": review_id,
                "user_id": user_id,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        created_at = datetime.datetime.fromisoformat(d.pop("created_at"))

        flagged_by = d.pop("flagged_by")

        reason = d.pop("reason")

        def _parse_review_id(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        review_id = _parse_review_id(d.pop("review_id"))

        user_id = d.pop("user_id")

        flag_out = cls(
            created_at=created_at,
            flagged_by=flagged_by,
            reason=reason,
            review_id=review_id,
            user_id=user_id,
        )

        flag_out.additional_properties = d
        return flag_out

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
