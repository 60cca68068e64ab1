from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define

T = TypeVar("T", bound="LoginIn")


@_attrs_define
class LoginIn:
    """
    Attributes:
        message (str):
        signature (str): Base58 ed25519 signature of the UTF-8 message
    """

    message: str
    signature: str

    def to_dict(self) -> dict[str, Any]:
        message = self.message

        signature = self.signature

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "message": message,
                "signature": signature,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        message = d.pop("message")

        signature = d.pop("signature")

        login_in = cls(
            message=message,
            signature=signature,
        )

        return login_in
