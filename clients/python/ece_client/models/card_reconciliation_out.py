from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

T = TypeVar("T", bound="CardReconciliationOut")


@_attrs_define
class CardReconciliationOut:
    """
    Attributes:
        expected_in_custody (int):
        held_by_custody (int):
        missing (list[str]): Card ids counted in custody that custody lacks
        ok (bool):
        stray (list[str]): Card ids held by a custody-owned account other than the card's associated one (withdrawals
            cannot pay from it)
        unexpected (list[str]): Withdrawn card ids that custody holds
    """

    expected_in_custody: int
    held_by_custody: int
    missing: list[str]
    ok: bool
    stray: list[str]
    unexpected: list[str]
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        expected_in_custody = self.expected_in_custody

        held_by_custody = self.held_by_custody

        missing = self.missing

        ok = self.ok

        stray = self.stray

        unexpected = self.unexpected

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "expected_in_custody": expected_in_custody,
                "held_by_custody": held_by_custody,
                "missing": missing,
                "ok": ok,
                "stray": stray,
                "unexpected": unexpected,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        expected_in_custody = d.pop("expected_in_custody")

        held_by_custody = d.pop("held_by_custody")

        missing = cast(list[str], d.pop("missing"))

        ok = d.pop("ok")

        stray = cast(list[str], d.pop("stray"))

        unexpected = cast(list[str], d.pop("unexpected"))

        card_reconciliation_out = cls(
            expected_in_custody=expected_in_custody,
            held_by_custody=held_by_custody,
            missing=missing,
            ok=ok,
            stray=stray,
            unexpected=unexpected,
        )

        card_reconciliation_out.additional_properties = d
        return card_reconciliation_out

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
