from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.catalog_facets_out_stats_type_0 import CatalogFacetsOutStatsType0
    from ..models.facet_bucket_out import FacetBucketOut
    from ..models.price_bucket_out import PriceBucketOut


T = TypeVar("T", bound="CatalogFacetsOut")


@_attrs_define
class CatalogFacetsOut:
    """Counts for the current query; scaled from a uniform sample when ``estimated``.

    Attributes:
        estimated (bool):
        company (list[FacetBucketOut] | None | Unset):
        currency (list[FacetBucketOut] | None | Unset):
        listed (list[FacetBucketOut] | None | Unset):
        price (list[PriceBucketOut] | None | Unset):
        rarity (list[FacetBucketOut] | None | Unset):
        sector (list[FacetBucketOut] | None | Unset):
        stats (CatalogFacetsOutStatsType0 | None | Unset):
    """

    estimated: bool
    company: list[FacetBucketOut] | None | Unset = UNSET
    currency: list[FacetBucketOut] | None | Unset = UNSET
    listed: list[FacetBucketOut] | None | Unset = UNSET
    price: list[PriceBucketOut] | None | Unset = UNSET
    rarity: list[FacetBucketOut] | None | Unset = UNSET
    sector: list[FacetBucketOut] | None | Unset = UNSET
    stats: CatalogFacetsOutStatsType0 | None | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        from ..models.catalog_facets_out_stats_type_0 import CatalogFacetsOutStatsType0  # noqa: PLC0415

        estimated = self.estimated

        company: list[dict[str, Any]] | None | Unset
        if isinstance(self.company, Unset):
            company = UNSET
        elif isinstance(self.company, list):
            company = []
            for company_type_0_item_data in self.company:
                company_type_0_item = company_type_0_item_data.to_dict()
                company.append(company_type_0_item)

        else:
            company = self.company

        currency: list[dict[str, Any]] | None | Unset
        if isinstance(self.currency, Unset):
            currency = UNSET
        elif isinstance(self.currency, list):
            currency = []
            for currency_type_0_item_data in self.currency:
                currency_type_0_item = currency_type_0_item_data.to_dict()
                currency.append(currency_type_0_item)

        else:
            currency = self.currency

        listed: list[dict[str, Any]] | None | Unset
        if isinstance(self.listed, Unset):
            listed = UNSET
        elif isinstance(self.listed, list):
            listed = []
            for listed_type_0_item_data in self.listed:
                listed_type_0_item = listed_type_0_item_data.to_dict()
                listed.append(listed_type_0_item)

        else:
            listed = self.listed

        price: list[dict[str, Any]] | None | Unset
        if isinstance(self.price, Unset):
            price = UNSET
        elif isinstance(self.price, list):
            price = []
            for price_type_0_item_data in self.price:
                price_type_0_item = price_type_0_item_data.to_dict()
                price.append(price_type_0_item)

        else:
            price = self.price

        rarity: list[dict[str, Any]] | None | Unset
        if isinstance(self.rarity, Unset):
            rarity = UNSET
        elif isinstance(self.rarity, list):
            rarity = []
            for rarity_type_0_item_data in self.rarity:
                rarity_type_0_item = rarity_type_0_item_data.to_dict()
                rarity.append(rarity_type_0_item)

        else:
            rarity = self.rarity

        sector: list[dict[str, Any]] | None | Unset
        if isinstance(self.sector, Unset):
            sector = UNSET
        elif isinstance(self.sector, list):
            sector = []
            for sector_type_0_item_data in self.sector:
                sector_type_0_item = sector_type_0_item_data.to_dict()
                sector.append(sector_type_0_item)

        else:
            sector = self.sector

        stats: dict[str, Any] | None | Unset
        if isinstance(self.stats, Unset):
            stats = UNSET
        elif isinstance(self.stats, CatalogFacetsOutStatsType0):
            stats = self.stats.to_dict()
        else:
            stats = self.stats

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "estimated": estimated,
            }
        )
        if company is not UNSET:
            field_dict["company"] = company
        if currency is not UNSET:
            field_dict["currency"] = currency
        if listed is not UNSET:
            field_dict["listed"] = listed
        if price is not UNSET:
            field_dict["price"] = price
        if rarity is not UNSET:
            field_dict["rarity"] = rarity
        if sector is not UNSET:
            field_dict["sector"] = sector
        if stats is not UNSET:
            field_dict["stats"] = stats

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.catalog_facets_out_stats_type_0 import CatalogFacetsOutStatsType0  # noqa: PLC0415
        from ..models.facet_bucket_out import FacetBucketOut  # noqa: PLC0415
        from ..models.price_bucket_out import PriceBucketOut  # noqa: PLC0415

        d = dict(src_dict)
        estimated = d.pop("estimated")

        def _parse_company(data: object) -> list[FacetBucketOut] | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, list):
                    raise TypeError()
                company_type_0 = []
                _company_type_0 = data
                for company_type_0_item_data in _company_type_0:
                    company_type_0_item = FacetBucketOut.from_dict(company_type_0_item_data)

                    company_type_0.append(company_type_0_item)

                return company_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(list[FacetBucketOut] | None | Unset, data)

        company = _parse_company(d.pop("company", UNSET))

        def _parse_currency(data: object) -> list[FacetBucketOut] | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, list):
                    raise TypeError()
                currency_type_0 = []
                _currency_type_0 = data
                for currency_type_0_item_data in _currency_type_0:
                    currency_type_0_item = FacetBucketOut.from_dict(currency_type_0_item_data)

                    currency_type_0.append(currency_type_0_item)

                return currency_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(list[FacetBucketOut] | None | Unset, data)

        currency = _parse_currency(d.pop("currency", UNSET))

        def _parse_listed(data: object) -> list[FacetBucketOut] | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, list):
                    raise TypeError()
                listed_type_0 = []
                _listed_type_0 = data
                for listed_type_0_item_data in _listed_type_0:
                    listed_type_0_item = FacetBucketOut.from_dict(listed_type_0_item_data)

                    listed_type_0.append(listed_type_0_item)

                return listed_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(list[FacetBucketOut] | None | Unset, data)

        listed = _parse_listed(d.pop("listed", UNSET))

        def _parse_price(data: object) -> list[PriceBucketOut] | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, list):
                    raise TypeError()
                price_type_0 = []
                _price_type_0 = data
                for price_type_0_item_data in _price_type_0:
                    price_type_0_item = PriceBucketOut.from_dict(price_type_0_item_data)

                    price_type_0.append(price_type_0_item)

                return price_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(list[PriceBucketOut] | None | Unset, data)

        price = _parse_price(d.pop("price", UNSET))

        def _parse_rarity(data: object) -> list[FacetBucketOut] | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, list):
                    raise TypeError()
                rarity_type_0 = []
                _rarity_type_0 = data
                for rarity_type_0_item_data in _rarity_type_0:
                    rarity_type_0_item = FacetBucketOut.from_dict(rarity_type_0_item_data)

                    rarity_type_0.append(rarity_type_0_item)

                return rarity_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(list[FacetBucketOut] | None | Unset, data)

        rarity = _parse_rarity(d.pop("rarity", UNSET))

        def _parse_sector(data: object) -> list[FacetBucketOut] | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, list):
                    raise TypeError()
                sector_type_0 = []
                _sector_type_0 = data
                for sector_type_0_item_data in _sector_type_0:
                    sector_type_0_item = FacetBucketOut.from_dict(sector_type_0_item_data)

                    sector_type_0.append(sector_type_0_item)

                return sector_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(list[FacetBucketOut] | None | Unset, data)

        sector = _parse_sector(d.pop("sector", UNSET))

        def _parse_stats(data: object) -> CatalogFacetsOutStatsType0 | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                stats_type_0 = CatalogFacetsOutStatsType0.from_dict(data)

                return stats_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(CatalogFacetsOutStatsType0 | None | Unset, data)

        stats = _parse_stats(d.pop("stats", UNSET))

        catalog_facets_out = cls(
            estimated=estimated,
            company=company,
            currency=currency,
            listed=listed,
            price=price,
            rarity=rarity,
            sector=sector,
            stats=stats,
        )

        catalog_facets_out.additional_properties = d
        return catalog_facets_out

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
