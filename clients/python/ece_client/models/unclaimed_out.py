from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

T = TypeVar("T", bound="UnclaimedOut")


@_attrs_define
class UnclaimedOut:
    """
    Attributes:
        amount (str):
        asset (str):
        card_id (None | str):
        created_at (datetime.datetime):
        deposit_id (None | str): The expired or closed deposit it named
        id (str):
        instruction_index (int):
        mint (str):
        note (None | str):
        resolved_at (datetime.datetime | None):
        resolved_by (None | str):
        resolved_user_id (None | str):
        sender (None | str): The wallet that owned the source account
        signature (str):
        status (str): open → credited | returned
    """

    amount: str
    asset: str
    card_id: None | str
    created_at: datetime.datetime
    deposit_id: None | str
    id: str
    instruction_index: int
    mint: str
    note: None | str
    resolved_at: datetime.datetime | None
    resolved_by: None | str
    resolved_user_id: None | str
    sender: None | str
    signature: str
    status: str
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        amount = self.amount

        asset = self.asset

        card_id: None | str
        card_id = self.card_id

        created_at = self.created_at.isoformat()

        deposit_id: None | str
        deposit_id = self.deposit_id

        id = self.id

        instruction_index = self.instruction_index

        mint = self.mint

        note: None | str
        note = self.note

        resolved_at: None | str
        if isinstance(self.resolved_at, datetime.datetime):
            resolved_at = self.resolved_at.isoformat()
        else:
            resolved_at = self.resolved_at

        resolved_by: None | str
        resolved_by = self.resolved_by

        resolved_user_id: None | str
        resolved_user_id = self.resolved_user_id

        sender: None | str
        sender = self.sender

        signature = self.signature

        status = self.status

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "amount": amount,
                "asset": asset,
                "card_id": card_id,
                "created_at": created_at,
                "deposit_id": deposit_id,
                "id": id,
                "instruction_index": instruction_index,
                "mint": mint,
                "note": note,
                "resolved_at": resolved_at,
                "resolved_by": resolved_by,
                "resolved_user_id": resolved_user_id,
                "sender": sender,
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

        def _parse_card_id(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        card_id = _parse_card_id(d.pop("card_id"))

        created_at = datetime.datetime.fromisoformat(d.pop("created_at"))

        def _parse_deposit_id(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        deposit_id = _parse_deposit_id(d.pop("deposit_id"))

        id = d.pop("id")

        instruction_index = d.pop("instruction_index")

        mint = d.pop("mint")

        def _parse_note(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        note = _parse_note(d.pop("note"))

        def _parse_resolved_at(data: object) -> datetime.datetime | None:
            if data is None:
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                resolved_at_type_0 = datetime.datetime.fromisoformat(data)

                return resolved_at_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.datetime | None, data)

        resolved_at = _parse_resolved_at(d.pop("resolved_at"))

        def _parse_resolved_by(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        resolved_by = _parse_resolved_by(d.pop("resolved_by"))

        def _parse_resolved_user_id(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        resolved_user_id = _parse_resolved_user_id(d.pop("resolved_user_id"))

        def _parse_sender(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        sender = _parse_sender(d.pop("sender"))

        signature = d.pop("signature")

        status = d.pop("status")

        unclaimed_out = cls(
            amount=amount,
            asset=asset,
            card_id=card_id,
            created_at=created_at,
            deposit_id=deposit_id,
            id=id,
            instruction_index=instruction_index,
            mint=mint,
            note=note,
            resolved_at=resolved_at,
            resolved_by=resolved_by,
            resolved_user_id=resolved_user_id,
            sender=sender,
            signature=signature,
            status=status,
        )

        unclaimed_out.additional_properties = d
        return unclaimed_out

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
