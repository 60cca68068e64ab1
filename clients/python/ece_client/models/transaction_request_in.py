from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define

T = TypeVar("T", bound="TransactionRequestIn")


@_attrs_define
class TransactionRequestIn:
    """
    Attributes:
        account (str): The paying wallet (fee payer and token owner)
    """

    account: str

    def to_dict(self) -> dict[str, Any]:
        account = self.account

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "account": account,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        account = d.pop("account")

        transaction_request_in = cls(
            account=account,
        )

        return transaction_request_in
