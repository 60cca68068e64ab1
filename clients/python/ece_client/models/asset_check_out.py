from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.asset import Asset

T = TypeVar("T", bound="AssetCheckOut")


@_attrs_define
class AssetCheckOut:
    """
    Attributes:
        accounts_below_zero (int):
        asset (Asset):
        balance_sum (str): Sum of all accounts' posted balances: must be 0
        mismatched_accounts (int): Accounts whose balances differ from transfers
        ok (bool):
        pending_sum (str): Sum of all accounts' pending balances: must be 0
        stale_pending (int): Holds older than max_pending_age_seconds
    """

    accounts_below_zero: int
    asset: Asset
    balance_sum: str
    mismatched_accounts: int
    ok: bool
    pending_sum: str
    stale_pending: int
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        accounts_below_zero = self.accounts_below_zero

        asset = self.asset.value

        balance_sum = self.balance_sum

        mismatched_accounts = self.mismatched_accounts

        ok = self.ok

        pending_sum = self.pending_sum

        stale_pending = self.stale_pending

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "accounts_below_zero": accounts_below_zero,
                "asset": asset,
                "balance_sum": balance_sum,
                "mismatched_accounts": mismatched_accounts,
                "ok": ok,
                "pending_sum": pending_sum,
                "stale_pending": stale_pending,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        accounts_below_zero = d.pop("accounts_below_zero")

        asset = Asset(d.pop("asset"))

        balance_sum = d.pop("balance_sum")

        mismatched_accounts = d.pop("mismatched_accounts")

        ok = d.pop("ok")

        pending_sum = d.pop("pending_sum")

        stale_pending = d.pop("stale_pending")

        asset_check_out = cls(
            accounts_below_zero=accounts_below_zero,
            asset=asset,
            balance_sum=balance_sum,
            mismatched_accounts=mismatched_accounts,
            ok=ok,
            pending_sum=pending_sum,
            stale_pending=stale_pending,
        )

        asset_check_out.additional_properties = d
        return asset_check_out

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
