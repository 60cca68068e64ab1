from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define

from ..models.faucet_in_asset import FaucetInAsset
from ..types import UNSET, Unset

T = TypeVar("T", bound="FaucetIn")


@_attrs_define
class FaucetIn:
    """
    Attributes:
        amount (str): Decimal string in whole tokens, e.g. '12.5'
        asset (FaucetInAsset):
        address (None | str | Unset): Default: your own wallet
    """

    amount: str
    asset: FaucetInAsset
    address: None | str | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        amount = self.amount

        asset = self.asset.value

        address: None | str | Unset
        if isinstance(self.address, Unset):
            address = UNSET
        else:
            address = self.address

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "amount": amount,
                "asset": asset,
            }
        )
        if address is not UNSET:
            field_dict["address"] = address

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        amount = d.pop("amount")

        asset = FaucetInAsset(d.pop("asset"))

        def _parse_address(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        address = _parse_address(d.pop("address", UNSET))

        faucet_in = cls(
            amount=amount,
            asset=asset,
            address=address,
        )

        return faucet_in
