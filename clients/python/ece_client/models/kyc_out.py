from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.kyc_status import KycStatus
from ..models.level import Level
from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.masked_personal_data import MaskedPersonalData


T = TypeVar("T", bound="KycOut")


@_attrs_define
class KycOut:
    """
    Attributes:
        level (Level):
        status (KycStatus):
        user_id (str):
        decided_at (datetime.datetime | None | Unset):
        personal_data (MaskedPersonalData | None | Unset):
        readable (bool | Unset): False when a stored value does not decrypt Default: True.
        requested_level (Level | None | Unset):
        submitted_at (datetime.datetime | None | Unset):
    """

    level: Level
    status: KycStatus
    user_id: str
    decided_at: datetime.datetime | None | Unset = UNSET
    personal_data: MaskedPersonalData | None | Unset = UNSET
    readable: bool | Unset = True
    requested_level: Level | None | Unset = UNSET
    submitted_at: datetime.datetime | None | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        from ..models.masked_personal_data import MaskedPersonalData  # noqa: PLC0415

        level = self.level.value

        status = self.status.value

        user_id = self.user_id

        decided_at: None | str | Unset
        if isinstance(self.decided_at, Unset):
            decided_at = UNSET
        elif isinstance(self.decided_at, datetime.datetime):
            decided_at = self.decided_at.isoformat()
        else:
            decided_at = self.decided_at

        personal_data: dict[str, Any] | None | Unset
        if isinstance(self.personal_data, Unset):
            personal_data = UNSET
        elif isinstance(self.personal_data, MaskedPersonalData):
            personal_data = self.personal_data.to_dict()
        else:
            personal_data = self.personal_data

        readable = self.readable

        requested_level: None | str | Unset
        if isinstance(self.requested_level, Unset):
            requested_level = UNSET
        elif isinstance(self.requested_level, Level):
            requested_level = self.requested_level.value
        else:
            requested_level = self.requested_level

        submitted_at: None | str | Unset
        if isinstance(self.submitted_at, Unset):
            submitted_at = UNSET
        elif isinstance(self.submitted_at, datetime.datetime):
            submitted_at = self.submitted_at.isoformat()
        else:
            submitted_at = self.submitted_at

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "level": level,
                "status": status,
                "user_id": user_id,
            }
        )
        if decided_at is not UNSET:
            field_dict["decided_at"] = decided_at
        if personal_data is not UNSET:
            field_dict["personal_data"] = personal_data
        if readable is not UNSET:
            field_dict["readable"] = readable
        if requested_level is not UNSET:
            field_dict["requested_level"] = requested_level
        if submitted_at is not UNSET:
            field_dict["submitted_at"] = submitted_at

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.masked_personal_data import MaskedPersonalData  # noqa: PLC0415

        d = dict(src_dict)
        level = Level(d.pop("level"))

        status = KycStatus(d.pop("status"))

        user_id = d.pop("user_id")

        def _parse_decided_at(data: object) -> datetime.datetime | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                decided_at_type_0 = datetime.datetime.fromisoformat(data)

                return decided_at_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.datetime | None | Unset, data)

        decided_at = _parse_decided_at(d.pop("decided_at", UNSET))

        def _parse_personal_data(data: object) -> MaskedPersonalData | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                personal_data_type_0 = MaskedPersonalData.from_dict(data)

                return personal_data_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(MaskedPersonalData | None | Unset, data)

        personal_data = _parse_personal_data(d.pop("personal_data", UNSET))

        readable = d.pop("readable", UNSET)

        def _parse_requested_level(data: object) -> Level | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                requested_level_type_0 = Level(data)

                return requested_level_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(Level | None | Unset, data)

        requested_level = _parse_requested_level(d.pop("requested_level", UNSET))

        def _parse_submitted_at(data: object) -> datetime.datetime | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                submitted_at_type_0 = datetime.datetime.fromisoformat(data)

                return submitted_at_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.datetime | None | Unset, data)

        submitted_at = _parse_submitted_at(d.pop("submitted_at", UNSET))

        kyc_out = cls(
            level=level,
            status=status,
            user_id=user_id,
            decided_at=decided_at,
            personal_data=personal_data,
            readable=readable,
            requested_level=requested_level,
            submitted_at=submitted_at,
        )

        kyc_out.additional_properties = d
        return kyc_out

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
