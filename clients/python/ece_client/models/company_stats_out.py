from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

if TYPE_CHECKING:
    from ..models.company_stats_out_best_offer import CompanyStatsOutBestOffer
    from ..models.company_stats_out_change_24h import CompanyStatsOutChange24H
    from ..models.company_stats_out_floor import CompanyStatsOutFloor
    from ..models.company_stats_out_volume_7d import CompanyStatsOutVolume7D
    from ..models.company_stats_out_volume_24h import CompanyStatsOutVolume24H
    from ..models.last_sale_out import LastSaleOut


T = TypeVar("T", bound="CompanyStatsOut")


@_attrs_define
class CompanyStatsOut:
    """
    Attributes:
        best_offer (CompanyStatsOutBestOffer): Highest live offer per currency
        change_24h (CompanyStatsOutChange24H): Per currency: last sale price against the last one 24 h earlier, percent
        company_id (str):
        floor (CompanyStatsOutFloor): Lowest live public listing per currency
        holders (int): Distinct users holding the company's cards on platform
        last_sale (LastSaleOut | None):
        listed_count (int): Cards with a live listing
        sales_24h (int):
        volume_24h (CompanyStatsOutVolume24H):
        volume_7d (CompanyStatsOutVolume7D):
    """

    best_offer: CompanyStatsOutBestOffer
    change_24h: CompanyStatsOutChange24H
    company_id: str
    floor: CompanyStatsOutFloor
    holders: int
    last_sale: LastSaleOut | None
    listed_count: int
    sales_24h: int
    volume_24h: CompanyStatsOutVolume24H
    volume_7d: CompanyStatsOutVolume7D
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        from ..models.last_sale_out import LastSaleOut  # noqa: PLC0415

        best_offer = self.best_offer.to_dict()

        change_24h = self.change_24h.to_dict()

        company_id = self.company_id

        floor = self.floor.to_dict()

        holders = self.holders

        last_sale: dict[str, Any] | None
        if isinstance(self.last_sale, LastSaleOut):
            last_sale = self.last_sale.to_dict()
        else:
            last_sale = self.last_sale

        listed_count = self.listed_count

        sales_24h = self.sales_24h

        volume_24h = self.volume_24h.to_dict()

        volume_7d = self.volume_7d.to_dict()

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "best_offer": best_offer,
                "change_24h": change_24h,
                "company_id": company_id,
                "floor": floor,
                "holders": holders,
                "last_sale": last_sale,
                "listed_count": listed_count,
                "sales_24h": sales_24h,
                "volume_24h": volume_24h,
                "volume_7d": volume_7d,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.company_stats_out_best_offer import CompanyStatsOutBestOffer  # noqa: PLC0415
        from ..models.company_stats_out_change_24h import CompanyStatsOutChange24H  # noqa: PLC0415
        from ..models.company_stats_out_floor import CompanyStatsOutFloor  # noqa: PLC0415
        from ..models.company_stats_out_volume_7d import CompanyStatsOutVolume7D  # noqa: PLC0415
        from ..models.company_stats_out_volume_24h import CompanyStatsOutVolume24H  # noqa: PLC0415
        from ..models.last_sale_out import LastSaleOut  # noqa: PLC0415

        d = dict(src_dict)
        best_offer = CompanyStatsOutBestOffer.from_dict(d.pop("best_offer"))

        change_24h = CompanyStatsOutChange24H.from_dict(d.pop("change_24h"))

        company_id = d.pop("company_id")

        floor = CompanyStatsOutFloor.from_dict(d.pop("floor"))

        holders = d.pop("holders")

        def _parse_last_sale(data: object) -> LastSaleOut | None:
            if data is None:
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                last_sale_type_0 = LastSaleOut.from_dict(data)

                return last_sale_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(LastSaleOut | None, data)

        last_sale = _parse_last_sale(d.pop("last_sale"))

        listed_count = d.pop("listed_count")

        sales_24h = d.pop("sales_24h")

        volume_24h = CompanyStatsOutVolume24H.from_dict(d.pop("volume_24h"))

        volume_7d = CompanyStatsOutVolume7D.from_dict(d.pop("volume_7d"))

        company_stats_out = cls(
            best_offer=best_offer,
            change_24h=change_24h,
            company_id=company_id,
            floor=floor,
            holders=holders,
            last_sale=last_sale,
            listed_count=listed_count,
            sales_24h=sales_24h,
            volume_24h=volume_24h,
            volume_7d=volume_7d,
        )

        company_stats_out.additional_properties = d
        return company_stats_out

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
