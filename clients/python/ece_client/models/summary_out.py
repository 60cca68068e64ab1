from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

if TYPE_CHECKING:
    from ..models.multisig_out import MultisigOut
    from ..models.payable_out import PayableOut
    from ..models.summary_out_custody import SummaryOutCustody
    from ..models.summary_out_revenue import SummaryOutRevenue


T = TypeVar("T", bound="SummaryOut")


@_attrs_define
class SummaryOut:
    """
    Attributes:
        custody (SummaryOutCustody): custody's token balances on chain
        in_flight (str): USDC in payouts not yet ended
        multisig (MultisigOut):
        next_payout_at (datetime.datetime):
        payables (list[PayableOut]):
        revenue (SummaryOutRevenue): platform fee revenue per asset
        treasury (None | str): the multisig treasury account's USDC on chain
    """

    custody: SummaryOutCustody
    in_flight: str
    multisig: MultisigOut
    next_payout_at: datetime.datetime
    payables: list[PayableOut]
    revenue: SummaryOutRevenue
    treasury: None | str
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        custody = self.custody.to_dict()

        in_flight = self.in_flight

        multisig = self.multisig.to_dict()

        next_payout_at = self.next_payout_at.isoformat()

        payables = []
        for payables_item_data in self.payables:
            payables_item = payables_item_data.to_dict()
            payables.append(payables_item)

        revenue = self.revenue.to_dict()

        treasury: None | str
        treasury = self.treasury

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "custody": custody,
                "in_flight": in_flight,
                "multisig": multisig,
                "next_payout_at": next_payout_at,
                "payables": payables,
                "revenue": revenue,
                "treasury": treasury,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.multisig_out import MultisigOut  # noqa: PLC0415
        from ..models.payable_out import PayableOut  # noqa: PLC0415
        from ..models.summary_out_custody import SummaryOutCustody  # noqa: PLC0415
        from ..models.summary_out_revenue import SummaryOutRevenue  # noqa: PLC0415

        d = dict(src_dict)
        custody = SummaryOutCustody.from_dict(d.pop("custody"))

        in_flight = d.pop("in_flight")

        multisig = MultisigOut.from_dict(d.pop("multisig"))

        next_payout_at = datetime.datetime.fromisoformat(d.pop("next_payout_at"))

        payables = []
        _payables = d.pop("payables")
        for payables_item_data in _payables:
            payables_item = PayableOut.from_dict(payables_item_data)

            payables.append(payables_item)

        revenue = SummaryOutRevenue.from_dict(d.pop("revenue"))

        def _parse_treasury(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        treasury = _parse_treasury(d.pop("treasury"))

        summary_out = cls(
            custody=custody,
            in_flight=in_flight,
            multisig=multisig,
            next_payout_at=next_payout_at,
            payables=payables,
            revenue=revenue,
            treasury=treasury,
        )

        summary_out.additional_properties = d
        return summary_out

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
