from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

if TYPE_CHECKING:
    from ..models.asset_check_out import AssetCheckOut


T = TypeVar("T", bound="LedgerCheckOut")


@_attrs_define
class LedgerCheckOut:
    """
    Attributes:
        assets (list[AssetCheckOut]):
        max_pending_age_seconds (int):
        ok (bool):
    """

    assets: list[AssetCheckOut]
    max_pending_age_seconds: int
    ok: bool
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        assets = []
        for assets_item_data in self.assets:
            assets_item = assets_item_data.to_dict()
            assets.append(assets_item)

        max_pending_age_seconds = self.max_pending_age_seconds

        ok = self.ok

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "assets": assets,
                "max_pending_age_seconds": max_pending_age_seconds,
                "ok": ok,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.asset_check_out import AssetCheckOut  # noqa: PLC0415

        d = dict(src_dict)
        assets = []
        _assets = d.pop("assets")
        for assets_item_data in _assets:
            assets_item = AssetCheckOut.from_dict(assets_item_data)

            assets.append(assets_item)

        max_pending_age_seconds = d.pop("max_pending_age_seconds")

        ok = d.pop("ok")

        ledger_check_out = cls(
            assets=assets,
            max_pending_age_seconds=max_pending_age_seconds,
            ok=ok,
        )

        ledger_check_out.additional_properties = d
        return ledger_check_out

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
