from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define

from ..models.payment_asset import PaymentAsset
from ..types import UNSET, Unset

T = TypeVar("T", bound="DepositIn")


@_attrs_define
class DepositIn:
    """
    Attributes:
        asset (PaymentAsset): What moves on or off the platform: a coin of the ledger, or one card (an NFT).
        amount (None | str | Unset):
        card_id (None | str | Unset):
    """

    asset: PaymentAsset
    amount: None | str | Unset = UNSET
    card_id: None | str | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        asset = self.asset.value

        amount: None | str | Unset
        if isinstance(self.amount, Unset):
            amount = UNSET
        else:
            amount = self.amount

        card_id: None | str | Unset
        if isinstance(self.card_id, Unset):
            card_id = UNSET
        else:
            card_id = self.card_id

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "asset": asset,
            }
        )
        if amount is not UNSET:
            field_dict["amount"] = amount
        if card_id is not UNSET:
            field_dict["card_id"] = card_id

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        asset = PaymentAsset(d.pop("asset"))

        def _parse_amount(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        amount = _parse_amount(d.pop("amount", UNSET))

        def _parse_card_id(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        card_id = _parse_card_id(d.pop("card_id", UNSET))

        deposit_in = cls(
            asset=asset,
            amount=amount,
            card_id=card_id,
        )

        return deposit_in
