from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

if TYPE_CHECKING:
    from ..models.asset_reconciliation_out import AssetReconciliationOut
    from ..models.card_reconciliation_out import CardReconciliationOut


T = TypeVar("T", bound="ReconciliationOut")


@_attrs_define
class ReconciliationOut:
    """
    Attributes:
        assets (list[AssetReconciliationOut]):
        cards (CardReconciliationOut):
        checked_at (datetime.datetime):
        ok (bool):
    """

    assets: list[AssetReconciliationOut]
    cards: CardReconciliationOut
    checked_at: datetime.datetime
    ok: bool
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        assets = []
        for assets_item_data in self.assets:
            assets_item = assets_item_data.to_dict()
            assets.append(assets_item)

        cards = self.cards.to_dict()

        checked_at = self.checked_at.isoformat()

        ok = self.ok

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "assets": assets,
                "cards": cards,
                "checked_at": checked_at,
                "ok": ok,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.asset_reconciliation_out import AssetReconciliationOut  # noqa: PLC0415
        from ..models.card_reconciliation_out import CardReconciliationOut  # noqa: PLC0415

        d = dict(src_dict)
        assets = []
        _assets = d.pop("assets")
        for assets_item_data in _assets:
            assets_item = AssetReconciliationOut.from_dict(assets_item_data)

            assets.append(assets_item)

        cards = CardReconciliationOut.from_dict(d.pop("cards"))

        checked_at = datetime.datetime.fromisoformat(d.pop("checked_at"))

        ok = d.pop("ok")

        reconciliation_out = cls(
            assets=assets,
            cards=cards,
            checked_at=checked_at,
            ok=ok,
        )

        reconciliation_out.additional_properties = d
        return reconciliation_out

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
