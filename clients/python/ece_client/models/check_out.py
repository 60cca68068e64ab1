from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

if TYPE_CHECKING:
    from ..models.reason_out import ReasonOut


T = TypeVar("T", bound="CheckOut")


@_attrs_define
class CheckOut:
    """
    Attributes:
        amount (str):
        asset (None | str):
        at (datetime.datetime):
        company_id (None | str):
        decision (str): allow | review | block
        destination (None | str):
        id (str):
        reasons (list[ReasonOut]):
        score (int):
        subject_id (str):
        subject_type (str): withdrawal | trade | payout | signin | deposit | limit_override
        user_id (None | str):
    """

    amount: str
    asset: None | str
    at: datetime.datetime
    company_id: None | str
    decision: str
    destination: None | str
    id: str
    reasons: list[ReasonOut]
    score: int
    subject_id: str
    subject_type: str
    user_id: None | str
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        amount = self.amount

        asset: None | str
        asset = self.asset

        at = self.at.isoformat()

        company_id: None | str
        company_id = self.company_id

        decision = self.decision

        destination: None | str
        destination = self.destination

        id = self.id

        reasons = []
        for reasons_item_data in self.reasons:
            reasons_item = reasons_item_data.to_dict()
            reasons.append(reasons_item)

        score = self.score

        subject_id = self.subject_id

        subject_type = self.subject_type

        user_id: None | str
        user_id = self.user_id

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "amount": amount,
                "asset": asset,
                "at": at,
                "company_id": company_id,
                "decision": decision,
                "destination": destination,
                "id": id,
                "reasons": reasons,
                "score": score,
                "subject_id": subject_id,
                "subject_type": subject_type,
                "user_id": user_id,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.reason_out import ReasonOut  # noqa: PLC0415

        d = dict(src_dict)
        amount = d.pop("amount")

        def _parse_asset(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        asset = _parse_asset(d.pop("asset"))

        at = datetime.datetime.fromisoformat(d.pop("at"))

        def _parse_company_id(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        company_id = _parse_company_id(d.pop("company_id"))

        decision = d.pop("decision")

        def _parse_destination(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        destination = _parse_destination(d.pop("destination"))

        id = d.pop("id")

        reasons = []
        _reasons = d.pop("reasons")
        for reasons_item_data in _reasons:
            reasons_item = ReasonOut.from_dict(reasons_item_data)

            reasons.append(reasons_item)

        score = d.pop("score")

        subject_id = d.pop("subject_id")

        subject_type = d.pop("subject_type")

        def _parse_user_id(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        user_id = _parse_user_id(d.pop("user_id"))

        check_out = cls(
            amount=amount,
            asset=asset,
            at=at,
            company_id=company_id,
            decision=decision,
            destination=destination,
            id=id,
            reasons=reasons,
            score=score,
            subject_id=subject_id,
            subject_type=subject_type,
            user_id=user_id,
        )

        check_out.additional_properties = d
        return check_out

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
