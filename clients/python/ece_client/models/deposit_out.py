from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

T = TypeVar("T", bound="DepositOut")


@_attrs_define
class DepositOut:
    """
    Attributes:
        amount (str):
        asset (str):
        card_id (None | str):
        created_at (datetime.datetime):
        credited_at (datetime.datetime | None):
        expires_at (datetime.datetime):
        id (str):
        mint (str):
        received_amount (str):
        recipient (str): The custody wallet to pay
        reference (str): Solana Pay reference key to add to the transfer
        signature (None | str):
        solana_pay_url (str): The Solana Pay transfer request (`solana:<recipient>?...`)
        status (str): awaiting_transfer → credited | expired
        transaction_request_url (None | str): The Solana Pay transaction request (`solana:https%3A%2F%2F...`): a wallet
            asks its link for the transaction, no sign-in needed; what the QR code shows. Works until the deposit is
            credited or expires; null on deposits opened before links existed
    """

    amount: str
    asset: str
    card_id: None | str
    created_at: datetime.datetime
    credited_at: datetime.datetime | None
    expires_at: datetime.datetime
    id: str
    mint: str
    received_amount: str
    recipient: str
    reference: str
    signature: None | str
    solana_pay_url: str
    status: str
    transaction_request_url: None | str
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        amount = self.amount

        asset = self.asset

        card_id: None | str
        card_id = self.card_id

        created_at = self.created_at.isoformat()

        credited_at: None | str
        if isinstance(self.credited_at, datetime.datetime):
            credited_at = self.credited_at.isoformat()
        else:
            credited_at = self.credited_at

        expires_at = self.expires_at.isoformat()

        id = self.id

        mint = self.mint

        received_amount = self.received_amount

        recipient = self.recipient

        reference = self.reference

        signature: None | str
        signature = self.signature

        solana_pay_url = self.solana_pay_url

        status = self.status

        transaction_request_url: None | str
        transaction_request_url = self.transaction_request_url

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "amount": amount,
                "asset": asset,
                "card_id": card_id,
                "created_at": created_at,
                "credited_at": credited_at,
                "expires_at": expires_at,
                "id": id,
                "mint": mint,
                "received_amount": received_amount,
                "recipient": recipient,
                "reference": reference,
                "signature": signature,
                "solana_pay_url": solana_pay_url,
                "status": status,
                "transaction_request_url": transaction_request_url,
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

        def _parse_credited_at(data: object) -> datetime.datetime | None:
            if data is None:
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                credited_at_type_0 = datetime.datetime.fromisoformat(data)

                return credited_at_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.datetime | None, data)

        credited_at = _parse_credited_at(d.pop("credited_at"))

        expires_at = datetime.datetime.fromisoformat(d.pop("expires_at"))

        id = d.pop("id")

        mint = d.pop("mint")

        received_amount = d.pop("received_amount")

        recipient = d.pop("recipient")

        reference = d.pop("reference")

        def _parse_signature(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        signature = _parse_signature(d.pop("signature"))

        solana_pay_url = d.pop("solana_pay_url")

        status = d.pop("status")

        def _parse_transaction_request_url(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        transaction_request_url = _parse_transaction_request_url(d.pop("transaction_request_url"))

        deposit_out = cls(
            amount=amount,
            asset=asset,
            card_id=card_id,
            created_at=created_at,
            credited_at=credited_at,
            expires_at=expires_at,
            id=id,
            mint=mint,
            received_amount=received_amount,
            recipient=recipient,
            reference=reference,
            signature=signature,
            solana_pay_url=solana_pay_url,
            status=status,
            transaction_request_url=transaction_request_url,
        )

        deposit_out.additional_properties = d
        return deposit_out

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
