from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

if TYPE_CHECKING:
    from ..models.pause_out import PauseOut


T = TypeVar("T", bound="StatusOut")


@_attrs_define
class StatusOut:
    """What is paused now. ``all`` stops every scope; reads always work.

    Attributes:
        paused (bool):
        pauses (list[PauseOut]):
    """

    paused: bool
    pauses: list[PauseOut]
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        paused = self.paused

        pauses = []
        for pauses_item_data in self.pauses:
            pauses_item = pauses_item_data.to_dict()
            pauses.append(pauses_item)

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "paused": paused,
                "pauses": pauses,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.pause_out import PauseOut  # noqa: PLC0415

        d = dict(src_dict)
        paused = d.pop("paused")

        pauses = []
        _pauses = d.pop("pauses")
        for pauses_item_data in _pauses:
            pauses_item = PauseOut.from_dict(pauses_item_data)

            pauses.append(pauses_item)

        status_out = cls(
            paused=paused,
            pauses=pauses,
        )

        status_out.additional_properties = d
        return status_out

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
