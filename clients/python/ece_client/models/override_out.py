from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

T = TypeVar("T", bound="OverrideOut")


@_attrs_define
class OverrideOut:
    """
    Attributes:
        activity (str):
        amount (str):
        created_at (datetime.datetime):
        currency (str):
        decided_at (datetime.datetime | None):
        decided_by (None | str):
        expires_at (datetime.datetime):
        id (str):
        proposed_by (str):
        reason (str):
        review_id (None | str):
        status (str): pending → active | rejected (active applies until expiry)
        user_id (str):
    """

    activity: str
    amount: str
    created_at: datetime.datetime
    currency: str
    decided_at: datetime.datetime | None
    decided_by: None | str
    expires_at: datetime.datetime
    id: str
    proposed_by: str
    reason: str
    review_id: None | str
    status: str
    user_id: str
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        activity = self.activity

        amount = self.amount

        created_at = self.created_at.isoformat()

        currency = self.currency

        decided_at: None | str
        if isinstance(self.decided_at, datetime.datetime):
            decided_at = self.decided_at.isoformat()
        else:
            decided_at = self.decided_at

        decided_by: None | str
        decided_by = self.decided_by

        expires_at = self.expires_at.isoformat()

        id = self.id

        proposed_by = self.proposed_by

        reason = self.reason

        review_id: None | str
        review_id = self.review_id

        status = self.status

        user_id = self.user_id

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "activity": activity,
                "amount": amount,
                "created_at": created_at,
                "currency": currency,
                "decided_at": decided_at,
                "decided_by": decided_by,
                "expires_at": expires_at,
                "id": id,
                "proposed_by": proposed_by,
                "reason": reason,
                "review_id": review_id,
                "status": status,
                "user_id": user_id,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        activity = d.pop("activity")

        amount = d.pop("amount")

        created_at = datetime.datetime.fromisoformat(d.pop("created_at"))

        currency = d.pop("currency")

        def _parse_decided_at(data: object) -> datetime.datetime | None:
            if data is None:
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                decided_at_type_0 = datetime.datetime.fromisoformat(data)

                return decided_at_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.datetime | None, data)

        decided_at = _parse_decided_at(d.pop("decided_at"))

        def _parse_decided_by(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        decided_by = _parse_decided_by(d.pop("decided_by"))

        expires_at = datetime.datetime.fromisoformat(d.pop("expires_at"))

        id = d.pop("id")

        proposed_by = d.pop("proposed_by")

        reason = d.pop("reason")

        def _parse_review_id(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        review_id = _parse_review_id(d.pop("review_id"))

        status = d.pop("status")

        user_id = d.pop("user_id")

        override_out = cls(
            activity=activity,
            amount=amount,
            created_at=created_at,
            currency=currency,
            decided_at=decided_at,
            decided_by=decided_by,
            expires_at=expires_at,
            id=id,
            proposed_by=proposed_by,
            reason=reason,
            review_id=review_id,
            status=status,
            user_id=user_id,
        )

        override_out.additional_properties = d
        return override_out

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
