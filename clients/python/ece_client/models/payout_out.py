from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

T = TypeVar("T", bound="PayoutOut")


@_attrs_define
class PayoutOut:
    """
    Attributes:
        amount (str):
        batch_id (str):
        company_id (str):
        created_at (datetime.datetime):
        currency (str):
        destination (str):
        finished_at (datetime.datetime | None):
        id (str):
        rate (None | str): USDC per ECE, when ECE payables were converted
        rate_source (None | str):
        reason (None | str):
        signature (None | str): the payout transaction's signature
        signers (list[str]):
        status (str): screening → review? → awaiting_signatures → submitted → confirmed | failed | rejected
        threshold (int):
    """

    amount: str
    batch_id: str
    company_id: str
    created_at: datetime.datetime
    currency: str
    destination: str
    finished_at: datetime.datetime | None
    id: str
    rate: None | str
    rate_source: None | str
    reason: None | str
    signature: None | str
    signers: list[str]
    status: str
    threshold: int
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        amount = self.amount

        batch_id = self.batch_id

        company_id = self.company_id

        created_at = self.created_at.isoformat()

        currency = self.currency

        destination = self.destination

        finished_at: None | str
        if isinstance(self.finished_at, datetime.datetime):
            finished_at = self.finished_at.isoformat()
        else:
            finished_at = self.finished_at

        id = self.id

        rate: None | str
        rate = self.rate

        rate_source: None | str
        rate_source = self.rate_source

        reason: None | str
        reason = self.reason

        signature: None | str
        signature = self.signature

        signers = self.signers

        status = self.status

        threshold = self.threshold

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "amount": amount,
                "batch_id": batch_id,
                "company_id": company_id,
                "created_at": created_at,
                "currency": currency,
                "destination": destination,
                "finished_at": finished_at,
                "id": id,
                "rate": rate,
                "rate_source": rate_source,
                "reason": reason,
                "signature": signature,
                "signers": signers,
                "status": status,
                "threshold": threshold,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        amount = d.pop("amount")

        batch_id = d.pop("batch_id")

        company_id = d.pop("company_id")

        created_at = datetime.datetime.fromisoformat(d.pop("created_at"))

        currency = d.pop("currency")

        destination = d.pop("destination")

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

        def _parse_rate(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        rate = _parse_rate(d.pop("rate"))

        def _parse_rate_source(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        rate_source = _parse_rate_source(d.pop("rate_source"))

        def _parse_reason(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        reason = _parse_reason(d.pop("reason"))

        def _parse_signature(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        signature = _parse_signature(d.pop("signature"))

        signers = cast(list[str], d.pop("signers"))

        status = d.pop("status")

        threshold = d.pop("threshold")

        payout_out = cls(
            amount=amount,
            batch_id=batch_id,
            company_id=company_id,
            created_at=created_at,
            currency=currency,
            destination=destination,
            finished_at=finished_at,
            id=id,
            rate=rate,
            rate_source=rate_source,
            reason=reason,
            signature=signature,
            signers=signers,
            status=status,
            threshold=threshold,
        )

        payout_out.additional_properties = d
        return payout_out

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
