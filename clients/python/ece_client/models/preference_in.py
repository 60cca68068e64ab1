from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define

from ..models.channel import Channel
from ..models.kind import Kind

T = TypeVar("T", bound="PreferenceIn")


@_attrs_define
class PreferenceIn:
    """
    Attributes:
        channel (Channel):
        enabled (bool):
        type_ (Kind):
    """

    channel: Channel
    enabled: bool
    type_: Kind

    def to_dict(self) -> dict[str, Any]:
        channel = self.channel.value

        enabled = self.enabled

        type_ = self.type_.value

        field_dict: dict[str, Any] = {}

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

        preference_in = cls(
            channel=channel,
            enabled=enabled,
            type_=type_,
        )

        return preference_in
