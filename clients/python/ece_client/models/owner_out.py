from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.owner_kind import OwnerKind

T = TypeVar("T", bound="OwnerOut")


@_attrs_define
class OwnerOut:
    """
    Attributes:
        address (None | str): The user's wallet; null for issuer inventory
        display_name (None | str):
        id (str):
        kind (OwnerKind):
    """

    address: None | str
    display_name: None | str
    id: str
    kind: OwnerKind
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        address: None | str
        address = self.address

        display_name: None | str
        display_name = self.display_name

        id = self.id

        kind = self.kind.value

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "address": address,
                "display_name": display_name,
                "id": id,
                "kind": kind,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)

        def _parse_address(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        address = _parse_address(d.pop("address"))

        def _parse_display_name(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        display_name = _parse_display_name(d.pop("display_name"))

        id = d.pop("id")

        kind = OwnerKind(d.pop("kind"))

        owner_out = cls(
            address=address,
            display_name=display_name,
            id=id,
            kind=kind,
        )

        owner_out.additional_properties = d
        return owner_out

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
