from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.scope import Scope
from ..types import UNSET, Unset

T = TypeVar("T", bound="ResumeOut")


@_attrs_define
class ResumeOut:
    """
    Attributes:
        paused_since (datetime.datetime):
        scope (Scope): A part of the platform an admin can pause. ``all`` covers every other scope.
        resumed (bool | Unset):  Default: True.
    """

    paused_since: datetime.datetime
    scope: Scope
    resumed: bool | Unset = True
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        paused_since = self.paused_since.isoformat()

        scope = self.scope.value

        resumed = self.resumed

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "paused_since": paused_since,
                "scope": scope,
            }
        )
        if resumed is not UNSET:
            field_dict["resumed"] = resumed

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        paused_since = datetime.datetime.fromisoformat(d.pop("paused_since"))

        scope = Scope(d.pop("scope"))

        resumed = d.pop("resumed", UNSET)

        resume_out = cls(
            paused_since=paused_since,
            scope=scope,
            resumed=resumed,
        )

        resume_out.additional_properties = d
        return resume_out

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
