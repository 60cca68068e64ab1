from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

T = TypeVar("T", bound="ReceiptOut")


@_attrs_define
class ReceiptOut:
    """
    Attributes:
        amount (int): Base units of the mint
        created_at (datetime.datetime):
        deposit_id (None | str):
        instruction_index (int):
        mint (None | str):
        outcome (str): credited | credited_sender | unclaimed | ignored
        reason (None | str): Why it was ignored
        sender (None | str):
        signature (str):
        slot (int):
        user_id (None | str):
    """

    amount: int
    created_at: datetime.datetime
    deposit_id: None | str
    instruction_index: int
    mint: None | str
    outcome: str
    reason: None | str
    sender: None | str
    signature: str
    slot: int
    user_id: None | str
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        amount = self.amount

        created_at = self.created_at.isoformat()

        deposit_id: None | str
        deposit_id = self.deposit_id

        instruction_index = self.instruction_index

        mint: None | str
        mint = self.mint

        outcome = self.outcome

        reason: None | str
        reason = self.reason

        sender: None | str
        sender = self.sender

        signature = self.signature

        slot = self.slot

        user_id: None | str
        user_id = self.user_id

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "amount": amount,
                "created_at": created_at,
                "deposit_id": deposit_id,
                "instruction_index": instruction_index,
                "mint": mint,
                "outcome": outcome,
                "reason": reason,
                "sender": sender,
                "signature": signature,
                "slot": slot,
                "user_id": user_id,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        amount = d.pop("amount")

        created_at = datetime.datetime.fromisoformat(d.pop("created_at"))

        def _parse_deposit_id(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        deposit_id = _parse_deposit_id(d.pop("deposit_id"))

        instruction_index = d.pop("instruction_index")

        def _parse_mint(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        mint = _parse_mint(d.pop("mint"))

        outcome = d.pop("outcome")

        def _parse_reason(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        reason = _parse_reason(d.pop("reason"))

        def _parse_sender(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        sender = _parse_sender(d.pop("sender"))

        signature = d.pop("signature")

        slot = d.pop("slot")

        def _parse_user_id(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        user_id = _parse_user_id(d.pop("user_id"))

        receipt_out = cls(
            amount=amount,
            created_at=created_at,
            deposit_id=deposit_id,
            instruction_index=instruction_index,
            mint=mint,
            outcome=outcome,
            reason=reason,
            sender=sender,
            signature=signature,
            slot=slot,
            user_id=user_id,
        )

        receipt_out.additional_properties = d
        return receipt_out

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
