from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.channel import Channel
from ..models.kind import Kind

T = TypeVar("T", bound="PreferenceOut")


@_attrs_define
class PreferenceOut:
    """
    Attributes:
        channel (Channel):
        enabled (bool):
        type_ (Kind):
    """

    channel: Channel
    enabled: bool
    type_: Kind
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        channel = self.channel.value

        enabled = self.enabled

        type_ = self.type_.value

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "channel": channel,
                "enabled": enabled,
                "type": type_,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        channel = Channel(d.pop("channel"))

        enabled = d.pop("enabled")

        type_ = Kind(d.pop("type"))

        preference_out = cls(
            channel=channel,
            enabled=enabled,
            type_=type_,
        )

        preference_out.additional_properties = d
        return preference_out

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
