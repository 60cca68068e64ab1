from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.asset import Asset
from ..models.entry_out_status import EntryOutStatus

T = TypeVar("T", bound="EntryOut")


@_attrs_define
class EntryOut:
    """
    Attributes:
        amount (str): Signed: positive credited to you, negative debited
        asset (Asset):
        code (str):
        id (str):
        reference (None | str):
        status (EntryOutStatus):
        time (datetime.datetime):
    """

    amount: str
    asset: Asset
    code: str
    id: str
    reference: None | str
    status: EntryOutStatus
    time: datetime.datetime
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        amount = self.amount

        asset = self.asset.value

        code = self.code

        id = self.id

        reference: None | str
        reference = self.reference

        status = self.status.value

        time = self.time.isoformat()

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "amount": amount,
                "asset": asset,
                "code": code,
                "id": id,
                "reference": reference,
                "status": status,
                "time": time,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        amount = d.pop("amount")

        asset = Asset(d.pop("asset"))

        code = d.pop("code")

        id = d.pop("id")

        def _parse_reference(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        reference = _parse_reference(d.pop("reference"))

        status = EntryOutStatus(d.pop("status"))

        time = datetime.datetime.fromisoformat(d.pop("time"))

        entry_out = cls(
            amount=amount,
            asset=asset,
            code=code,
            id=id,
            reference=reference,
            status=status,
            time=time,
        )

        entry_out.additional_properties = d
        return entry_out

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
