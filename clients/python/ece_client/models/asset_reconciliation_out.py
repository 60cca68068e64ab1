from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

T = TypeVar("T", bound="AssetReconciliationOut")


@_attrs_define
class AssetReconciliationOut:
    """
    Attributes:
        asset (str):
        difference (str):
        ledger_liabilities (str):
        ok (bool):
        onchain_custody (str):
        stray (str): Held by custody-owned accounts other than its deposit account: never credited to anyone, surplus
            (does not make ok false)
        stray_accounts (list[str]):
        withdrawals_landed_unposted (str):
    """

    asset: str
    difference: str
    ledger_liabilities: str
    ok: bool
    onchain_custody: str
    stray: str
    stray_accounts: list[str]
    withdrawals_landed_unposted: str
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        asset = self.asset

        difference = self.difference

        ledger_liabilities = self.ledger_liabilities

        ok = self.ok

        onchain_custody = self.onchain_custody

        stray = self.stray

        stray_accounts = self.stray_accounts

        withdrawals_landed_unposted = self.withdrawals_landed_unposted

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "asset": asset,
                "difference": difference,
                "ledger_liabilities": ledger_liabilities,
                "ok": ok,
                "onchain_custody": onchain_custody,
                "stray": stray,
                "stray_accounts": stray_accounts,
                "withdrawals_landed_unposted": withdrawals_landed_unposted,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        asset = d.pop("asset")

        difference = d.pop("difference")

        ledger_liabilities = d.pop("ledger_liabilities")

        ok = d.pop("ok")

        onchain_custody = d.pop("onchain_custody")

        stray = d.pop("stray")

        stray_accounts = cast(list[str], d.pop("stray_accounts"))

        withdrawals_landed_unposted = d.pop("withdrawals_landed_unposted")

        asset_reconciliation_out = cls(
            asset=asset,
            difference=difference,
            ledger_liabilities=ledger_liabilities,
            ok=ok,
            onchain_custody=onchain_custody,
            stray=stray,
            stray_accounts=stray_accounts,
            withdrawals_landed_unposted=withdrawals_landed_unposted,
        )

        asset_reconciliation_out.additional_properties = d
        return asset_reconciliation_out

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
