from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define

from ..models.kyc_decision import KycDecision
from ..types import UNSET, Unset

T = TypeVar("T", bound="KycDecisionIn")


@_attrs_define
class KycDecisionIn:
    """
    Attributes:
        decision (KycDecision):
        note (None | str | Unset):
    """

    decision: KycDecision
    note: None | str | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        decision = self.decision.value

        note: None | str | Unset
        if isinstance(self.note, Unset):
            note = UNSET
        else:
            note = self.note

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "decision": decision,
            }
        )
        if note is not UNSET:
            field_dict["note"] = note

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        decision = KycDecision(d.pop("decision"))

        def _parse_note(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        note = _parse_note(d.pop("note", UNSET))

        kyc_decision_in = cls(
            decision=decision,
            note=note,
        )

        return kyc_decision_in
