from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

T = TypeVar("T", bound="WithdrawalOut")


@_attrs_define
class WithdrawalOut:
    """
    Attributes:
        amount (str):
        asset (str):
        card_id (None | str):
        created_at (datetime.datetime):
        destination (str):
        destination_token_account (str):
        failure_reason (None | str):
        finished_at (datetime.datetime | None):
        id (str):
        mint (str):
        sent_at (datetime.datetime | None):
        signature (None | str):
        status (str): pending → sent → confirmed | failed; review → pending | rejected; blocked
    """

    amount: str
    asset: str
    card_id: None | str
    created_at: datetime.datetime
    destination: str
    destination_token_account: str
    failure_reason: None | str
    finished_at: datetime.datetime | None
    id: str
    mint: str
    sent_at: datetime.datetime | None
    signature: None | str
    status: str
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        amount = self.amount

        asset = self.asset

        card_id: None | str
        card_id = self.card_id

        created_at = self.created_at.isoformat()

        destination = self.destination

        destination_token_account = self.destination_token_account

        failure_reason: None | str
        failure_reason = self.failure_reason

        finished_at: None | str
        if isinstance(self.finished_at, datetime.datetime):
            finished_at = self.finished_at.isoformat()
        else:
            finished_at = self.finished_at

        id = self.id

        mint = self.mint

        sent_at: None | str
        if isinstance(self.sent_at, datetime.datetime):
            sent_at = self.sent_at.isoformat()
        else:
            sent_at = self.sent_at

        signature: None | str
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
                "destination": destination,
                "destination_token_account": destination_token_account,
                "failure_reason": failure_reason,
                "finished_at": finished_at,
                "id": id,
                "mint": mint,
                "sent_at": sent_at,
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

        destination = d.pop("destination")

        destination_token_account = d.pop("destination_token_account")

        def _parse_failure_reason(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        failure_reason = _parse_failure_reason(d.pop("failure_reason"))

        def _parse_finished_at(data: object) -> datetime.datetime | None:
            if data is None:
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                finished_at_type_0 = datetime.datetime.fromisoformat(data)

                return finished_at_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.datetime | None, data)

        finished_at = _parse_finished_at(d.pop("finished_at"))

        id = d.pop("id")

        mint = d.pop("mint")

        def _parse_sent_at(data: object) -> datetime.datetime | None:
            if data is None:
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                sent_at_type_0 = datetime.datetime.fromisoformat(data)

                return sent_at_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.datetime | None, data)

        sent_at = _parse_sent_at(d.pop("sent_at"))

        def _parse_signature(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        signature = _parse_signature(d.pop("signature"))

        status = d.pop("status")

        withdrawal_out = cls(
            amount=amount,
            asset=asset,
            card_id=card_id,
            created_at=created_at,
            destination=destination,
            destination_token_account=destination_token_account,
            failure_reason=failure_reason,
            finished_at=finished_at,
            id=id,
            mint=mint,
            sent_at=sent_at,
            signature=signature,
            status=status,
        )

        withdrawal_out.additional_properties = d
        return withdrawal_out

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
