from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define

from ..types import UNSET, Unset

T = TypeVar("T", bound="CompanyIn")


@_attrs_define
class CompanyIn:
    """
    Attributes:
        country (str):
        name (str):
        payout_address (str):
        royalty_bps (int): Royalty in basis points
        sector (str):
        ticker (str):
        website (str):
        color (None | str | Unset):
        description (str | Unset):  Default: ''.
    """

    country: str
    name: str
    payout_address: str
    royalty_bps: int
    sector: str
    ticker: str
    website: str
    color: None | str | Unset = UNSET
    description: str | Unset = ""

    def to_dict(self) -> dict[str, Any]:
        country = self.country

        name = self.name

        payout_address = self.payout_address

        royalty_bps = self.royalty_bps

        sector = self.sector

        ticker = self.ticker

        website = self.website

        color: None | str | Unset
        if isinstance(self.color, Unset):
            color = UNSET
        else:
            color = self.color

        description = self.description

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "country": country,
                "name": name,
                "payout_address": payout_address,
                "royalty_bps": royalty_bps,
                "sector": sector,
                "ticker": ticker,
                "website": website,
            }
        )
        if color is not UNSET:
            field_dict["color"] = color
        if description is not UNSET:
            field_dict["description"] = description

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        country = d.pop("country")

        name = d.pop("name")

        payout_address = d.pop("payout_address")

        royalty_bps = d.pop("royalty_bps")

        sector = d.pop("sector")

        ticker = d.pop("ticker")

        website = d.pop("website")

        def _parse_color(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        color = _parse_color(d.pop("color", UNSET))

        description = d.pop("description", UNSET)

        company_in = cls(
            country=country,
            name=name,
            payout_address=payout_address,
            royalty_bps=royalty_bps,
            sector=sector,
            ticker=ticker,
            website=website,
            color=color,
            description=description,
        )

        return company_in
