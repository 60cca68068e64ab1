from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

T = TypeVar("T", bound="DenylistOut")


@_attrs_define
class DenylistOut:
    """
    Attributes:
        added_by (str):
        address (str):
        created_at (datetime.datetime):
        reason (str):
    """

    added_by: str
    address: str
    created_at: datetime.datetime
    reason: str
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        added_by = self.added_by

        address = self.address

        created_at = self.created_at.isoformat()

        reason = self.reason

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "added_by": added_by,
                "address": address,
                "created_at": created_at,
                "reason": reason,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        added_by = d.pop("added_by")

        address = d.pop("address")

        created_at = datetime.datetime.fromisoformat(d.pop("created_at"))

        reason = d.pop("reason")

        denylist_out = cls(
            added_by=added_by,
            address=address,
            created_at=created_at,
            reason=reason,
        )

        denylist_out.additional_properties = d
        return denylist_out

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
