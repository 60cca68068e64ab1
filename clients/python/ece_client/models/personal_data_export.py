from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

if TYPE_CHECKING:
    from ..models.personal_data_export_tables import PersonalDataExportTables


T = TypeVar("T", bound="PersonalDataExport")


@_attrs_define
class PersonalDataExport:
    """
    Attributes:
        amounts (str): How amounts are written: integers in base units.
        format_ (str):
        generated_at (str):
        tables (PersonalDataExportTables): Every row that names you, by table; secrets read `[sealed]`.
        user_id (str):
        version (int):
    """

    amounts: str
    format_: str
    generated_at: str
    tables: PersonalDataExportTables
    user_id: str
    version: int
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        amounts = self.amounts

        format_ = self.format_

        generated_at = self.generated_at

        tables = self.tables.to_dict()

        user_id = self.user_id

        version = self.version

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "amounts": amounts,
                "format": format_,
                "generated_at": generated_at,
                "tables": tables,
                "user_id": user_id,
                "version": version,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.personal_data_export_tables import PersonalDataExportTables  # noqa: PLC0415

        d = dict(src_dict)
        amounts = d.pop("amounts")

        format_ = d.pop("format")

        generated_at = d.pop("generated_at")

        tables = PersonalDataExportTables.from_dict(d.pop("tables"))

        user_id = d.pop("user_id")

        version = d.pop("version")

        personal_data_export = cls(
            amounts=amounts,
            format_=format_,
            generated_at=generated_at,
            tables=tables,
            user_id=user_id,
            version=version,
        )

        personal_data_export.additional_properties = d
        return personal_data_export

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
