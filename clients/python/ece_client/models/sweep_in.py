from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define

from ..models.asset import Asset
from ..models.rarity import Rarity
from ..models.sweep_mode import SweepMode
from ..types import UNSET, Unset

T = TypeVar("T", bound="SweepIn")


@_attrs_define
class SweepIn:
    """
    Attributes:
        currency (Asset):
        max_total (str): Decimal string in whole tokens, e.g. '12.5'
        company_id (None | str | Unset):
        count (int | None | Unset):
        listing_ids (list[str] | None | Unset):
        mode (SweepMode | Unset):
        rarity (None | Rarity | Unset):
    """

    currency: Asset
    max_total: str
    company_id: None | str | Unset = UNSET
    count: int | None | Unset = UNSET
    listing_ids: list[str] | None | Unset = UNSET
    mode: SweepMode | Unset = UNSET
    rarity: None | Rarity | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        currency = self.currency.value

        max_total = self.max_total

        company_id: None | str | Unset
        if isinstance(self.company_id, Unset):
            company_id = UNSET
        else:
            company_id = self.company_id

        count: int | None | Unset
        if isinstance(self.count, Unset):
            count = UNSET
        else:
            count = self.count

        listing_ids: list[str] | None | Unset
        if isinstance(self.listing_ids, Unset):
            listing_ids = UNSET
        elif isinstance(self.listing_ids, list):
            listing_ids = self.listing_ids

        else:
            listing_ids = self.listing_ids

        mode: str | Unset = UNSET
        if not isinstance(self.mode, Unset):
            mode = self.mode.value

        rarity: None | str | Unset
        if isinstance(self.rarity, Unset):
            rarity = UNSET
        elif isinstance(self.rarity, Rarity):
            rarity = self.rarity.value
        else:
            rarity = self.rarity

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "currency": currency,
                "max_total": max_total,
            }
        )
        if company_id is not UNSET:
            field_dict["company_id"] = company_id
        if count is not UNSET:
            field_dict["count"] = count
        if listing_ids is not UNSET:
            field_dict["listing_ids"] = listing_ids
        if mode is not UNSET:
            field_dict["mode"] = mode
        if rarity is not UNSET:
            field_dict["rarity"] = rarity

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        currency = Asset(d.pop("currency"))

        max_total = d.pop("max_total")

        def _parse_company_id(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        company_id = _parse_company_id(d.pop("company_id", UNSET))

        def _parse_count(data: object) -> int | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(int | None | Unset, data)

        count = _parse_count(d.pop("count", UNSET))

        def _parse_listing_ids(data: object) -> list[str] | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, list):
                    raise TypeError()
                listing_ids_type_0 = cast(list[str], data)

                return listing_ids_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(list[str] | None | Unset, data)

        listing_ids = _parse_listing_ids(d.pop("listing_ids", UNSET))

        _mode = d.pop("mode", UNSET)
        mode: SweepMode | Unset
        if isinstance(_mode, Unset):
            mode = UNSET
        else:
            mode = SweepMode(_mode)

        def _parse_rarity(data: object) -> None | Rarity | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                rarity_type_0 = Rarity(data)

                return rarity_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | Rarity | Unset, data)

        rarity = _parse_rarity(d.pop("rarity", UNSET))

        sweep_in = cls(
            currency=currency,
            max_total=max_total,
            company_id=company_id,
            count=count,
            listing_ids=listing_ids,
            mode=mode,
            rarity=rarity,
        )

        return sweep_in
