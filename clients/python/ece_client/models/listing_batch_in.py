from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from attrs import define as _attrs_define

from ..models.batch_mode import BatchMode
from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.listing_in import ListingIn


T = TypeVar("T", bound="ListingBatchIn")


@_attrs_define
class ListingBatchIn:
    """
    Attributes:
        items (list[ListingIn]): At most 100 cards
        mode (BatchMode | Unset):
    """

    items: list[ListingIn]
    mode: BatchMode | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        items = []
        for items_item_data in self.items:
            items_item = items_item_data.to_dict()
            items.append(items_item)

        mode: str | Unset = UNSET
        if not isinstance(self.mode, Unset):
            mode = self.mode.value

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "items": items,
            }
        )
        if mode is not UNSET:
            field_dict["mode"] = mode

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.listing_in import ListingIn  # noqa: PLC0415

        d = dict(src_dict)
        items = []
        _items = d.pop("items")
        for items_item_data in _items:
            items_item = ListingIn.from_dict(items_item_data)

            items.append(items_item)

        _mode = d.pop("mode", UNSET)
        mode: BatchMode | Unset
        if isinstance(_mode, Unset):
            mode = UNSET
        else:
            mode = BatchMode(_mode)

        listing_batch_in = cls(
            items=items,
            mode=mode,
        )

        return listing_batch_in
