from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

if TYPE_CHECKING:
    from ..models.batch_item_error import BatchItemError
    from ..models.listing_out import ListingOut


T = TypeVar("T", bound="ListingBatchItemOut")


@_attrs_define
class ListingBatchItemOut:
    """
    Attributes:
        card_id (str):
        error (BatchItemError | None):
        index (int): Position in the request
        listing (ListingOut | None):
        ok (bool):
    """

    card_id: str
    error: BatchItemError | None
    index: int
    listing: ListingOut | None
    ok: bool
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        from ..models.batch_item_error import BatchItemError  # noqa: PLC0415
        from ..models.listing_out import ListingOut  # noqa: PLC0415

        card_id = self.card_id

        error: dict[str, Any] | None
        if isinstance(self.error, BatchItemError):
            error = self.error.to_dict()
        else:
            error = self.error

        index = self.index

        listing: dict[str, Any] | None
        if isinstance(self.listing, ListingOut):
            listing = self.listing.to_dict()
        else:
            listing = self.listing

        ok = self.ok

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "card_id": card_id,
                "error": error,
                "index": index,
                "listing": listing,
                "ok": ok,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.batch_item_error import BatchItemError  # noqa: PLC0415
        from ..models.listing_out import ListingOut  # noqa: PLC0415

        d = dict(src_dict)
        card_id = d.pop("card_id")

        def _parse_error(data: object) -> BatchItemError | None:
            if data is None:
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                error_type_0 = BatchItemError.from_dict(data)

                return error_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(BatchItemError | None, data)

        error = _parse_error(d.pop("error"))

        index = d.pop("index")

        def _parse_listing(data: object) -> ListingOut | None:
            if data is None:
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                listing_type_0 = ListingOut.from_dict(data)

                return listing_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(ListingOut | None, data)

        listing = _parse_listing(d.pop("listing"))

        ok = d.pop("ok")

        listing_batch_item_out = cls(
            card_id=card_id,
            error=error,
            index=index,
            listing=listing,
            ok=ok,
        )

        listing_batch_item_out.additional_properties = d
        return listing_batch_item_out

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
