from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

if TYPE_CHECKING:
    from ..models.company_summary_out_floor import CompanySummaryOutFloor
    from ..models.company_summary_out_volume_7d import CompanySummaryOutVolume7D
    from ..models.company_summary_out_volume_24h import CompanySummaryOutVolume24H


T = TypeVar("T", bound="CompanySummaryOut")


@_attrs_define
class CompanySummaryOut:
    """
    Attributes:
        company_id (str):
        floor (CompanySummaryOutFloor):
        name (str):
        rank (int):
        sales_24h (int):
        ticker (str):
        volume_24h (CompanySummaryOutVolume24H):
        volume_7d (CompanySummaryOutVolume7D):
    """

    company_id: str
    floor: CompanySummaryOutFloor
    name: str
    rank: int
    sales_24h: int
    ticker: str
    volume_24h: CompanySummaryOutVolume24H
    volume_7d: CompanySummaryOutVolume7D
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        company_id = self.company_id

        floor = self.floor.to_dict()

        name = self.name

        rank = self.rank

        sales_24h = self.sales_24h

        ticker = self.ticker

        volume_24h = self.volume_24h.to_dict()

        volume_7d = self.volume_7d.to_dict()

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "company_id": company_id,
                "floor": floor,
                "name": name,
                "rank": rank,
                "sales_24h": sales_24h,
                "ticker": ticker,
                "volume_24h": volume_24h,
                "volume_7d": volume_7d,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.company_summary_out_floor import CompanySummaryOutFloor  # noqa: PLC0415
        from ..models.company_summary_out_volume_7d import CompanySummaryOutVolume7D  # noqa: PLC0415
        from ..models.company_summary_out_volume_24h import CompanySummaryOutVolume24H  # noqa: PLC0415

        d = dict(src_dict)
        company_id = d.pop("company_id")

        floor = CompanySummaryOutFloor.from_dict(d.pop("floor"))

        name = d.pop("name")

        rank = d.pop("rank")

        sales_24h = d.pop("sales_24h")

        ticker = d.pop("ticker")

        volume_24h = CompanySummaryOutVolume24H.from_dict(d.pop("volume_24h"))

        volume_7d = CompanySummaryOutVolume7D.from_dict(d.pop("volume_7d"))

        company_summary_out = cls(
            company_id=company_id,
            floor=floor,
            name=name,
            rank=rank,
            sales_24h=sales_24h,
            ticker=ticker,
            volume_24h=volume_24h,
            volume_7d=volume_7d,
        )

        company_summary_out.additional_properties = d
        return company_summary_out

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
