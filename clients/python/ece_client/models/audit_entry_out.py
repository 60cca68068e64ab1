from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

if TYPE_CHECKING:
    from ..models.audit_entry_out_details import AuditEntryOutDetails


T = TypeVar("T", bound="AuditEntryOut")


@_attrs_define
class AuditEntryOut:
    """
    Attributes:
        action (str): `<object>.<verb>` in the past tense
        actor (str): The acting user's id, or `system` / `operator`
        at (datetime.datetime):
        details (AuditEntryOutDetails): Plain JSON; amounts are decimal strings
        hash_ (str): sha256(canonical JSON of the entry + prev_hash), hex
        object_id (str):
        object_type (str):
        prev_hash (str):
        seq (int): Position in the chain, gap-free from 1
    """

    action: str
    actor: str
    at: datetime.datetime
    details: AuditEntryOutDetails
    hash_: str
    object_id: str
    object_type: str
    prev_hash: str
    seq: int
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        action = self.action

        actor = self.actor

        at = self.at.isoformat()

        details = self.details.to_dict()

        hash_ = self.hash_

        object_id = self.object_id

        object_type = self.object_type

        prev_hash = self.prev_hash

        seq = self.seq

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "action": action,
                "actor": actor,
                "at": at,
                "details": details,
                "hash": hash_,
                "object_id": object_id,
                "object_type": object_type,
                "prev_hash": prev_hash,
                "seq": seq,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.audit_entry_out_details import AuditEntryOutDetails  # noqa: PLC0415

        d = dict(src_dict)
        action = d.pop("action")

        actor = d.pop("actor")

        at = datetime.datetime.fromisoformat(d.pop("at"))

        details = AuditEntryOutDetails.from_dict(d.pop("details"))

        hash_ = d.pop("hash")

        object_id = d.pop("object_id")

        object_type = d.pop("object_type")

        prev_hash = d.pop("prev_hash")

        seq = d.pop("seq")

        audit_entry_out = cls(
            action=action,
            actor=actor,
            at=at,
            details=details,
            hash_=hash_,
            object_id=object_id,
            object_type=object_type,
            prev_hash=prev_hash,
            seq=seq,
        )

        audit_entry_out.additional_properties = d
        return audit_entry_out

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
