from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.card_out import CardOut
    from ..models.catalog_facets_out import CatalogFacetsOut


T = TypeVar("T", bound="CardPage")


@_attrs_define
class CardPage:
    """
    Attributes:
        items (list[CardOut]):
        facets (CatalogFacetsOut | None | Unset):
        next_cursor (None | str | Unset):
        total (int | None | Unset): Cards matching, when facets were asked for and counted exactly
        total_estimate (int | None | Unset): Estimated cards matching, when too many to count within budget
    """

    items: list[CardOut]
    facets: CatalogFacetsOut | None | Unset = UNSET
    next_cursor: None | str | Unset = UNSET
    total: int | None | Unset = UNSET
    total_estimate: int | None | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        from ..models.catalog_facets_out import CatalogFacetsOut  # noqa: PLC0415

        items = []
        for items_item_data in self.items:
            items_item = items_item_data.to_dict()
            items.append(items_item)

        facets: dict[str, Any] | None | Unset
        if isinstance(self.facets, Unset):
            facets = UNSET
        elif isinstance(self.facets, CatalogFacetsOut):
            facets = self.facets.to_dict()
        else:
            facets = self.facets

        next_cursor: None | str | Unset
        if isinstance(self.next_cursor, Unset):
            next_cursor = UNSET
        else:
            next_cursor = self.next_cursor

        total: int | None | Unset
        if isinstance(self.total, Unset):
            total = UNSET
        else:
            total = self.total

        total_estimate: int | None | Unset
        if isinstance(self.total_estimate, Unset):
            total_estimate = UNSET
        else:
            total_estimate = self.total_estimate

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "items": items,
            }
        )
        if facets is not UNSET:
            field_dict["facets"] = facets
        if next_cursor is not UNSET:
            field_dict["next_cursor"] = next_cursor
        if total is not UNSET:
            field_dict["total"] = total
        if total_estimate is not UNSET:
            field_dict["total_estimate"] = total_estimate

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.card_out import CardOut  # noqa: PLC0415
        from ..models.catalog_facets_out import CatalogFacetsOut  # noqa: PLC0415

        d = dict(src_dict)
        items = []
        _items = d.pop("items")
        for items_item_data in _items:
            items_item = CardOut.from_dict(items_item_data)

            items.append(items_item)

        def _parse_facets(data: object) -> CatalogFacetsOut | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                facets_type_0 = CatalogFacetsOut.from_dict(data)

                return facets_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(CatalogFacetsOut | None | Unset, data)

        facets = _parse_facets(d.pop("facets", UNSET))

        def _parse_next_cursor(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        next_cursor = _parse_next_cursor(d.pop("next_cursor", UNSET))

        def _parse_total(data: object) -> int | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(int | None | Unset, data)

        total = _parse_total(d.pop("total", UNSET))

        def _parse_total_estimate(data: object) -> int | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(int | None | Unset, data)

        total_estimate = _parse_total_estimate(d.pop("total_estimate", UNSET))

        card_page = cls(
            items=items,
            facets=facets,
            next_cursor=next_cursor,
            total=total,
            total_estimate=total_estimate,
        )

        card_page.additional_properties = d
        return card_page

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
