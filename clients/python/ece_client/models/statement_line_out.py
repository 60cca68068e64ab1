from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

T = TypeVar("T", bound="StatementLineOut")


@_attrs_define
class StatementLineOut:
    """
    Attributes:
        amount (str): accrued (+) or paid out (-)
        asset (str):
        at (datetime.datetime):
        kind (str): royalty | primary_sale | payout
        reference (str): the sale id or the payout id
        signature (None | str): a payout's transaction signature
        status (None | str): a payout's status
    """

    amount: str
    asset: str
    at: datetime.datetime
    kind: str
    reference: str
    signature: None | str
    status: None | str
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        amount = self.amount

        asset = self.asset

        at = self.at.isoformat()

        kind = self.kind

        reference = self.reference

        signature: None | str
        signature = self.signature

        status: None | str
        status = self.status

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "amount": amount,
                "asset": asset,
                "at": at,
                "kind": kind,
                "reference": reference,
                "signature": signature,
                "status": status,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        amount = d.pop("amount")

        asset = d.pop("asset")

        at = datetime.datetime.fromisoformat(d.pop("at"))

        kind = d.pop("kind")

        reference = d.pop("reference")

        def _parse_signature(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        signature = _parse_signature(d.pop("signature"))

        def _parse_status(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        status = _parse_status(d.pop("status"))

        statement_line_out = cls(
            amount=amount,
            asset=asset,
            at=at,
            kind=kind,
            reference=reference,
            signature=signature,
            status=status,
        )

        statement_line_out.additional_properties = d
        return statement_line_out

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
