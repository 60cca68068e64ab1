from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

T = TypeVar("T", bound="CompanyOut")


@_attrs_define
class CompanyOut:
    """
    Attributes:
        color (str):
        country (str):
        created_at (datetime.datetime):
        description (str):
        id (str):
        name (str):
        payout_address (str):
        royalty_bps (int):
        sector (str):
        ticker (str):
        website (str):
    """

    color: str
    country: str
    created_at: datetime.datetime
    description: str
    id: str
    name: str
    payout_address: str
    royalty_bps: int
    sector: str
    ticker: str
    website: str
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        color = self.color

        country = self.country

        created_at = self.created_at.isoformat()

        description = self.description

        id = self.id

        name = self.name

        payout_address = self.payout_address

        royalty_bps = self.royalty_bps

        sector = self.sector

        ticker = self.ticker

        website = self.website

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "color": color,
                "country": country,
                "created_at": created_at,
                "description": description,
                "id": id,
                "name": name,
                "payout_address": payout_address,
                "royalty_bps": royalty_bps,
                "sector": sector,
                "ticker": ticker,
                "website": website,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        color = d.pop("color")

        country = d.pop("country")

        created_at = datetime.datetime.fromisoformat(d.pop("created_at"))

        description = d.pop("description")

        id = d.pop("id")

        name = d.pop("name")

        payout_address = d.pop("payout_address")

        royalty_bps = d.pop("royalty_bps")

        sector = d.pop("sector")

        ticker = d.pop("ticker")

        website = d.pop("website")

        company_out = cls(
            color=color,
            country=country,
            created_at=created_at,
            description=description,
            id=id,
            name=name,
            payout_address=payout_address,
            royalty_bps=royalty_bps,
            sector=sector,
            ticker=ticker,
            website=website,
        )

        company_out.additional_properties = d
        return company_out

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
