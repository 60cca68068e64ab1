from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

if TYPE_CHECKING:
    from ..models.portfolio_card_out import PortfolioCardOut
    from ..models.profile_sale_out import ProfileSaleOut


T = TypeVar("T", bound="CollectorProfileOut")


@_attrs_define
class CollectorProfileOut:
    """
    Attributes:
        address (str):
        cards (int | None):
        companies (int | None):
        display_name (None | str):
        hidden (bool): The collector hid their collection: nothing below shown
        recent_sales (list[ProfileSaleOut]):
        sales (int | None):
        showcase (list[PortfolioCardOut]):
    """

    address: str
    cards: int | None
    companies: int | None
    display_name: None | str
    hidden: bool
    recent_sales: list[ProfileSaleOut]
    sales: int | None
    showcase: list[PortfolioCardOut]
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        address = self.address

        cards: int | None
        cards = self.cards

        companies: int | None
        companies = self.companies

        display_name: None | str
        display_name = self.display_name

        hidden = self.hidden

        recent_sales = []
        for recent_sales_item_data in self.recent_sales:
            recent_sales_item = recent_sales_item_data.to_dict()
            recent_sales.append(recent_sales_item)

        sales: int | None
        sales = self.sales

        showcase = []
        for showcase_item_data in self.showcase:
            showcase_item = showcase_item_data.to_dict()
            showcase.append(showcase_item)

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "address": address,
                "cards": cards,
                "companies": companies,
                "display_name": display_name,
                "hidden": hidden,
                "recent_sales": recent_sales,
                "sales": sales,
                "showcase": showcase,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.portfolio_card_out import PortfolioCardOut  # noqa: PLC0415
        from ..models.profile_sale_out import ProfileSaleOut  # noqa: PLC0415

        d = dict(src_dict)
        address = d.pop("address")

        def _parse_cards(data: object) -> int | None:
            if data is None:
                return data
            return cast(int | None, data)

        cards = _parse_cards(d.pop("cards"))

        def _parse_companies(data: object) -> int | None:
            if data is None:
                return data
            return cast(int | None, data)

        companies = _parse_companies(d.pop("companies"))

        def _parse_display_name(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        display_name = _parse_display_name(d.pop("display_name"))

        hidden = d.pop("hidden")

        recent_sales = []
        _recent_sales = d.pop("recent_sales")
        for recent_sales_item_data in _recent_sales:
            recent_sales_item = ProfileSaleOut.from_dict(recent_sales_item_data)

            recent_sales.append(recent_sales_item)

        def _parse_sales(data: object) -> int | None:
            if data is None:
                return data
            return cast(int | None, data)

        sales = _parse_sales(d.pop("sales"))

        showcase = []
        _showcase = d.pop("showcase")
        for showcase_item_data in _showcase:
            showcase_item = PortfolioCardOut.from_dict(showcase_item_data)

            showcase.append(showcase_item)

        collector_profile_out = cls(
            address=address,
            cards=cards,
            companies=companies,
            display_name=display_name,
            hidden=hidden,
            recent_sales=recent_sales,
            sales=sales,
            showcase=showcase,
        )

        collector_profile_out.additional_properties = d
        return collector_profile_out

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
