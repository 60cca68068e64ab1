from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define

from ..types import UNSET, Unset

T = TypeVar("T", bound="CompanyPatch")


@_attrs_define
class CompanyPatch:
    """Fields to change; the ticker is fixed because minted cards carry it on chain.

    Attributes:
        color (None | str | Unset):
        country (None | str | Unset):
        description (None | str | Unset):
        name (None | str | Unset):
        payout_address (None | str | Unset):
        royalty_bps (int | None | Unset):
        sector (None | str | Unset):
        website (None | str | Unset):
    """

    color: None | str | Unset = UNSET
    country: None | str | Unset = UNSET
    description: None | str | Unset = UNSET
    name: None | str | Unset = UNSET
    payout_address: None | str | Unset = UNSET
    royalty_bps: int | None | Unset = UNSET
    sector: None | str | Unset = UNSET
    website: None | str | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        color: None | str | Unset
        if isinstance(self.color, Unset):
            color = UNSET
        else:
            color = self.color

        country: None | str | Unset
        if isinstance(self.country, Unset):
            country = UNSET
        else:
            country = self.country

        description: None | str | Unset
        if isinstance(self.description, Unset):
            description = UNSET
        else:
            description = self.description

        name: None | str | Unset
        if isinstance(self.name, Unset):
            name = UNSET
        else:
            name = self.name

        payout_address: None | str | Unset
        if isinstance(self.payout_address, Unset):
            payout_address = UNSET
        else:
            payout_address = self.payout_address

        royalty_bps: int | None | Unset
        if isinstance(self.royalty_bps, Unset):
            royalty_bps = UNSET
        else:
            royalty_bps = self.royalty_bps

        sector: None | str | Unset
        if isinstance(self.sector, Unset):
            sector = UNSET
        else:
            sector = self.sector

        website: None | str | Unset
        if isinstance(self.website, Unset):
            website = UNSET
        else:
            website = self.website

        field_dict: dict[str, Any] = {}

        field_dict.update({})
        if color is not UNSET:
            field_dict["color"] = color
        if country is not UNSET:
            field_dict["country"] = country
        if description is not UNSET:
            field_dict["description"] = description
        if name is not UNSET:
            field_dict["name"] = name
        if payout_address is not UNSET:
            field_dict["payout_address"] = payout_address
        if royalty_bps is not UNSET:
            field_dict["royalty_bps"] = royalty_bps
        if sector is not UNSET:
            field_dict["sector"] = sector
        if website is not UNSET:
            field_dict["website"] = website

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)

        def _parse_color(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        color = _parse_color(d.pop("color", UNSET))

        def _parse_country(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        country = _parse_country(d.pop("country", UNSET))

        def _parse_description(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        description = _parse_description(d.pop("description", UNSET))

        def _parse_name(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        name = _parse_name(d.pop("name", UNSET))

        def _parse_payout_address(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        payout_address = _parse_payout_address(d.pop("payout_address", UNSET))

        def _parse_royalty_bps(data: object) -> int | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(int | None | Unset, data)

        royalty_bps = _parse_royalty_bps(d.pop("royalty_bps", UNSET))

        def _parse_sector(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        sector = _parse_sector(d.pop("sector", UNSET))

        def _parse_website(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        website = _parse_website(d.pop("website", UNSET))

        company_patch = cls(
            color=color,
            country=country,
            description=description,
            name=name,
            payout_address=payout_address,
            royalty_bps=royalty_bps,
            sector=sector,
            website=website,
        )

        return company_patch
