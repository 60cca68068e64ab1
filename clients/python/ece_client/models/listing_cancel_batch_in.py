from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define

from ..models.batch_mode import BatchMode
from ..types import UNSET, Unset

T = TypeVar("T", bound="ListingCancelBatchIn")


@_attrs_define
class ListingCancelBatchIn:
    """
    Attributes:
        listing_ids (list[str]):
        mode (BatchMode | Unset):
    """

    listing_ids: list[str]
    mode: BatchMode | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        listing_ids = self.listing_ids

        mode: str | Unset = UNSET
        if not isinstance(self.mode, Unset):
            mode = self.mode.value

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "listing_ids": listing_ids,
            }
        )
        if mode is not UNSET:
            field_dict["mode"] = mode

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        listing_ids = cast(list[str], d.pop("listing_ids"))

        _mode = d.pop("mode", UNSET)
        mode: BatchMode | Unset
        if isinstance(_mode, Unset):
            mode = UNSET
        else:
            mode = BatchMode(_mode)

        listing_cancel_batch_in = cls(
            listing_ids=listing_ids,
            mode=mode,
        )

        return listing_cancel_batch_in
