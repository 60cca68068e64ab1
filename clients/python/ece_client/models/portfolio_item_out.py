from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.asset import Asset
from ..models.via import Via

if TYPE_CHECKING:
    from ..models.cost_basis_out import CostBasisOut
    from ..models.portfolio_card_out import PortfolioCardOut


T = TypeVar("T", bound="PortfolioItemOut")


@_attrs_define
class PortfolioItemOut:
    """
    Attributes:
        acquired_at (datetime.datetime | None):
        acquired_via (None | Via): buy, offer, auction, trade, deposit, mint or battle; null if unknown
        card (PortfolioCardOut):
        cost_basis (CostBasisOut | None): What was paid; null when the card has no basis (a deposit, a gift)
        currency (Asset):
        unrealized_pnl (None | str): value_at_floor - cost_basis, when both are known in this currency
        value_at_floor (None | str): The company's floor; null if none
        value_at_last_sale (None | str): The card's last sale in this currency
    """

    acquired_at: datetime.datetime | None
    acquired_via: None | Via
    card: PortfolioCardOut
    cost_basis: CostBasisOut | None
    currency: Asset
    unrealized_pnl: None | str
    value_at_floor: None | str
    value_at_last_sale: None | str
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        from ..models.cost_basis_out import CostBasisOut  # noqa: PLC0415

        acquired_at: None | str
        if isinstance(self.acquired_at, datetime.datetime):
            acquired_at = self.acquired_at.isoformat()
        else:
            acquired_at = self.acquired_at

        acquired_via: None | str
        if isinstance(self.acquired_via, Via):
            acquired_via = self.acquired_via.value
        else:
            acquired_via = self.acquired_via

        card = self.card.to_dict()

        cost_basis: dict[str, Any] | None
        if isinstance(self.cost_basis, CostBasisOut):
            cost_basis = self.cost_basis.to_dict()
        else:
            cost_basis = self.cost_basis

        currency = self.currency.value

        unrealized_pnl: None | str
        unrealized_pnl = self.unrealized_pnl

        value_at_floor: None | str
        value_at_floor = self.value_at_floor

        value_at_last_sale: None | str
        value_at_last_sale = self.value_at_last_sale

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "acquired_at": acquired_at,
                "acquired_via": acquired_via,
                "card": card,
                "cost_basis": cost_basis,
                "currency": currency,
                "unrealized_pnl": unrealized_pnl,
                "value_at_floor": value_at_floor,
                "value_at_last_sale": value_at_last_sale,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.cost_basis_out import CostBasisOut  # noqa: PLC0415
        from ..models.portfolio_card_out import PortfolioCardOut  # noqa: PLC0415

        d = dict(src_dict)

        def _parse_acquired_at(data: object) -> datetime.datetime | None:
            if data is None:
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                acquired_at_type_0 = datetime.datetime.fromisoformat(data)

                return acquired_at_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.datetime | None, data)

        acquired_at = _parse_acquired_at(d.pop("acquired_at"))

        def _parse_acquired_via(data: object) -> None | Via:
            if data is None:
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                acquired_via_type_0 = Via(data)

                return acquired_via_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | Via, data)

        acquired_via = _parse_acquired_via(d.pop("acquired_via"))

        card = PortfolioCardOut.from_dict(d.pop("card"))

        def _parse_cost_basis(data: object) -> CostBasisOut | None:
            if data is None:
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                cost_basis_type_0 = CostBasisOut.from_dict(data)

                return cost_basis_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(CostBasisOut | None, data)

        cost_basis = _parse_cost_basis(d.pop("cost_basis"))

        currency = Asset(d.pop("currency"))

        def _parse_unrealized_pnl(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        unrealized_pnl = _parse_unrealized_pnl(d.pop("unrealized_pnl"))

        def _parse_value_at_floor(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        value_at_floor = _parse_value_at_floor(d.pop("value_at_floor"))

        def _parse_value_at_last_sale(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        value_at_last_sale = _parse_value_at_last_sale(d.pop("value_at_last_sale"))

        portfolio_item_out = cls(
            acquired_at=acquired_at,
            acquired_via=acquired_via,
            card=card,
            cost_basis=cost_basis,
            currency=currency,
            unrealized_pnl=unrealized_pnl,
            value_at_floor=value_at_floor,
            value_at_last_sale=value_at_last_sale,
        )

        portfolio_item_out.additional_properties = d
        return portfolio_item_out

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
