from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

T = TypeVar("T", bound="AuditVerifyOut")


@_attrs_define
class AuditVerifyOut:
    """
    Attributes:
        entries (int): Entries read
        head (str): Hash of the last entry that verified (64 zeros if none)
        ok (bool):
        first_bad_seq (int | None | Unset): The first entry that does not match; absent when ok
    """

    entries: int
    head: str
    ok: bool
    first_bad_seq: int | None | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        entries = self.entries

        head = self.head

        ok = self.ok

        first_bad_seq: int | None | Unset
        if isinstance(self.first_bad_seq, Unset):
            first_bad_seq = UNSET
        else:
            first_bad_seq = self.first_bad_seq

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "entries": entries,
                "head": head,
                "ok": ok,
            }
        )
        if first_bad_seq is not UNSET:
            field_dict["first_bad_seq"] = first_bad_seq

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        entries = d.pop("entries")

        head = d.pop("head")

        ok = d.pop("ok")

        def _parse_first_bad_seq(data: object) -> int | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(int | None | Unset, data)

        first_bad_seq = _parse_first_bad_seq(d.pop("first_bad_seq", UNSET))

        audit_verify_out = cls(
            entries=entries,
            head=head,
            ok=ok,
            first_bad_seq=first_bad_seq,
        )

        audit_verify_out.additional_properties = d
        return audit_verify_out

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
