from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Literal, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

T = TypeVar("T", bound="CustodyCardCreditOut")


@_attrs_define
class CustodyCardCreditOut:
    """
    Attributes:
        card_id (str):
        user_id (str):
        status (Literal['on_platform'] | Unset):  Default: 'on_platform'.
    """

    card_id: str
    user_id: str
    status: Literal["on_platform"] | Unset = "on_platform"
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        card_id = self.card_id

        user_id = self.user_id

        status = self.status

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "card_id": card_id,
                "user_id": user_id,
            }
        )
        if status is not UNSET:
            field_dict["status"] = status

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        card_id = d.pop("card_id")

        user_id = d.pop("user_id")

        status = cast(Literal["on_platform"] | Unset, d.pop("status", UNSET))
        if status != "on_platform" and not isinstance(status, Unset):
            raise ValueError(f"status must match const 'on_platform', got '{status}'")

        custody_card_credit_out = cls(
            card_id=card_id,
            user_id=user_id,
            status=status,
        )

        custody_card_credit_out.additional_properties = d
        return custody_card_credit_out

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
