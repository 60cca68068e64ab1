from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

if TYPE_CHECKING:
    from ..models.company_summary_out import CompanySummaryOut


T = TypeVar("T", bound="MarketSummaryOut")


@_attrs_define
class MarketSummaryOut:
    """
    Attributes:
        items (list[CompanySummaryOut]):
        ranked_by (str):
    """

    items: list[CompanySummaryOut]
    ranked_by: str
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        items = []
        for items_item_data in self.items:
            items_item = items_item_data.to_dict()
            items.append(items_item)

        ranked_by = self.ranked_by

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "items": items,
                "ranked_by": ranked_by,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.company_summary_out import CompanySummaryOut  # noqa: PLC0415

        d = dict(src_dict)
        items = []
        _items = d.pop("items")
        for items_item_data in _items:
            items_item = CompanySummaryOut.from_dict(items_item_data)

            items.append(items_item)

        ranked_by = d.pop("ranked_by")

        market_summary_out = cls(
            items=items,
            ranked_by=ranked_by,
        )

        market_summary_out.additional_properties = d
        return market_summary_out

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
