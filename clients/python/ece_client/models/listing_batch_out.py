from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.batch_mode import BatchMode

if TYPE_CHECKING:
    from ..models.listing_batch_item_out import ListingBatchItemOut


T = TypeVar("T", bound="ListingBatchOut")


@_attrs_define
class ListingBatchOut:
    """
    Attributes:
        items (list[ListingBatchItemOut]):
        listed (int):
        mode (BatchMode):
        refused (int):
    """

    items: list[ListingBatchItemOut]
    listed: int
    mode: BatchMode
    refused: int
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        items = []
        for items_item_data in self.items:
            items_item = items_item_data.to_dict()
            items.append(items_item)

        listed = self.listed

        mode = self.mode.value

        refused = self.refused

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "items": items,
                "listed": listed,
                "mode": mode,
                "refused": refused,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.listing_batch_item_out import ListingBatchItemOut  # noqa: PLC0415

        d = dict(src_dict)
        items = []
        _items = d.pop("items")
        for items_item_data in _items:
            items_item = ListingBatchItemOut.from_dict(items_item_data)

            items.append(items_item)

        listed = d.pop("listed")

        mode = BatchMode(d.pop("mode"))

        refused = d.pop("refused")

        listing_batch_out = cls(
            items=items,
            listed=listed,
            mode=mode,
            refused=refused,
        )

        listing_batch_out.additional_properties = d
        return listing_batch_out

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
