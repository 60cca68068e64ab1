from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define

T = TypeVar("T", bound="SignatureIn")


@_attrs_define
class SignatureIn:
    """
    Attributes:
        signature (str): base58 ed25519 signature
        signer (str):
    """

    signature: str
    signer: str

    def to_dict(self) -> dict[str, Any]:
        signature = self.signature

        signer = self.signer

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "signature": signature,
                "signer": signer,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        signature = d.pop("signature")

        signer = d.pop("signer")

        signature_in = cls(
            signature=signature,
            signer=signer,
        )

        return signature_in
