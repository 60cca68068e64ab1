from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.check_out import CheckOut


T = TypeVar("T", bound="ReviewOut")


@_attrs_define
class ReviewOut:
    """
    Attributes:
        created_at (datetime.datetime):
        decided_at (datetime.datetime | None):
        decided_by (None | str):
        id (str):
        note (None | str):
        requested_by (None | str):
        score (int):
        status (str): open → approved | rejected
        subject_id (str):
        subject_type (str):
        user_id (None | str):
        check (CheckOut | None | Unset):
    """

    created_at: datetime.datetime
    decided_at: datetime.datetime | None
    decided_by: None | str
    id: str
    note: None | str
    requested_by: None | str
    score: int
    status: str
    subject_id: str
    subject_type: str
    user_id: None | str
    check: CheckOut | None | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        from ..models.check_out import CheckOut  # noqa: PLC0415

        created_at = self.created_at.isoformat()

        decided_at: None | str
        if isinstance(self.decided_at, datetime.datetime):
            decided_at = self.decided_at.isoformat()
        else:
            decided_at = self.decided_at

        decided_by: None | str
        decided_by = self.decided_by

        id = self.id

        note: None | str
        note = self.note

        requested_by: None | str
        requested_by = self.requested_by

        score = self.score

        status = self.status

        subject_id = self.subject_id

        subject_type = self.subject_type

        user_id: None | str
        user_id = self.user_id

        check: dict[str, Any] | None | Unset
        if isinstance(self.check, Unset):
            check = UNSET
        elif isinstance(self.check, CheckOut):
            check = self.check.to_dict()
        else:
            check = self.check

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "created_at": created_at,
                "decided_at": decided_at,
                "decided_by": decided_by,
                "id": id,
                "note": note,
                "requested_by": requested_by,
                "score": score,
                "status": status,
                "subject_id": subject_id,
                "subject_type": subject_type,
                "user_id": user_id,
            }
        )
        if check is not UNSET:
            field_dict["check"] = check

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.check_out import CheckOut  # noqa: PLC0415

        d = dict(src_dict)
        created_at = datetime.datetime.fromisoformat(d.pop("created_at"))

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

        id = d.pop("id")

        def _parse_note(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        note = _parse_note(d.pop("note"))

        def _parse_requested_by(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        requested_by = _parse_requested_by(d.pop("requested_by"))

        score = d.pop("score")

        status = d.pop("status")

        subject_id = d.pop("subject_id")

        subject_type = d.pop("subject_type")

        def _parse_user_id(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        user_id = _parse_user_id(d.pop("user_id"))

        def _parse_check(data: object) -> CheckOut | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                check_type_0 = CheckOut.from_dict(data)

                return check_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(CheckOut | None | Unset, data)

        check = _parse_check(d.pop("check", UNSET))

        review_out = cls(
            created_at=created_at,
            decided_at=decided_at,
            decided_by=decided_by,
            id=id,
            note=note,
            requested_by=requested_by,
            score=score,
            status=status,
            subject_id=subject_id,
            subject_type=subject_type,
            user_id=user_id,
            check=check,
        )

        review_out.additional_properties = d
        return review_out

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
