from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

if TYPE_CHECKING:
    from ..models.statement_line_out import StatementLineOut


T = TypeVar("T", bound="StatementOut")


@_attrs_define
class StatementOut:
    """
    Attributes:
        company_id (str):
        from_ (datetime.datetime):
        lines (list[StatementLineOut]):
        to (datetime.datetime):
    """

    company_id: str
    from_: datetime.datetime
    lines: list[StatementLineOut]
    to: datetime.datetime
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        company_id = self.company_id

        from_ = self.from_.isoformat()

        lines = []
        for lines_item_data in self.lines:
            lines_item = lines_item_data.to_dict()
            lines.append(lines_item)

        to = self.to.isoformat()

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "company_id": company_id,
                "from": from_,
                "lines": lines,
                "to": to,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.statement_line_out import StatementLineOut  # noqa: PLC0415

        d = dict(src_dict)
        company_id = d.pop("company_id")

        from_ = datetime.datetime.fromisoformat(d.pop("from"))

        lines = []
        _lines = d.pop("lines")
        for lines_item_data in _lines:
            lines_item = StatementLineOut.from_dict(lines_item_data)

            lines.append(lines_item)

        to = datetime.datetime.fromisoformat(d.pop("to"))

        statement_out = cls(
            company_id=company_id,
            from_=from_,
            lines=lines,
            to=to,
        )

        statement_out.additional_properties = d
        return statement_out

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
