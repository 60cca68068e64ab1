from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define

from ..models.activity import Activity
from ..models.override_in_currency import OverrideInCurrency
from ..types import UNSET, Unset

T = TypeVar("T", bound="OverrideIn")


@_attrs_define
class OverrideIn:
    """
    Attributes:
        activity (Activity): What a level's 24 h limit counts, each on its own.
        amount (str): The raised 24 h limit, e.g. '50000'
        expires_at (datetime.datetime):
        reason (str):
        user_id (str): User id or wallet
        currency (OverrideInCurrency | Unset):  Default: OverrideInCurrency.USDC.
    """

    activity: Activity
    amount: str
    expires_at: datetime.datetime
    reason: str
    user_id: str
    currency: OverrideInCurrency | Unset = OverrideInCurrency.USDC

    def to_dict(self) -> dict[str, Any]:
        activity = self.activity.value

        amount = self.amount

        expires_at = self.expires_at.isoformat()

        reason = self.reason

        user_id = self.user_id

        currency: str | Unset = UNSET
        if not isinstance(self.currency, Unset):
            currency = self.currency.value

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "activity": activity,
                "amount": amount,
                "expires_at": expires_at,
                "reason": reason,
                "user_id": user_id,
            }
        )
        if currency is not UNSET:
            field_dict["currency"] = currency

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        activity = Activity(d.pop("activity"))

        amount = d.pop("amount")

        expires_at = datetime.datetime.fromisoformat(d.pop("expires_at"))

        reason = d.pop("reason")

        user_id = d.pop("user_id")

        _currency = d.pop("currency", UNSET)
        currency: OverrideInCurrency | Unset
        if isinstance(_currency, Unset):
            currency = UNSET
        else:
            currency = OverrideInCurrency(_currency)

        override_in = cls(
            activity=activity,
            amount=amount,
            expires_at=expires_at,
            reason=reason,
            user_id=user_id,
            currency=currency,
        )

        return override_in
