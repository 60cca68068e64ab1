from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.side import Side

if TYPE_CHECKING:
    from ..models.battle_payout_out import BattlePayoutOut
    from ..models.result_out_deal_factors import ResultOutDealFactors
    from ..models.result_out_scores import ResultOutScores


T = TypeVar("T", bound="ResultOut")


@_attrs_define
class ResultOut:
    """
    Attributes:
        deal_factors (ResultOutDealFactors):
        fees (str):
        payouts (list[BattlePayoutOut]):
        platform_fee (str):
        pool (str):
        scores (ResultOutScores):
        tie (bool):
        voter_pool (str):
        winner (None | Side):
    """

    deal_factors: ResultOutDealFactors
    fees: str
    payouts: list[BattlePayoutOut]
    platform_fee: str
    pool: str
    scores: ResultOutScores
    tie: bool
    voter_pool: str
    winner: None | Side
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        deal_factors = self.deal_factors.to_dict()

        fees = self.fees

        payouts = []
        for payouts_item_data in self.payouts:
            payouts_item = payouts_item_data.to_dict()
            payouts.append(payouts_item)

        platform_fee = self.platform_fee

        pool = self.pool

        scores = self.scores.to_dict()

        tie = self.tie

        voter_pool = self.voter_pool

        winner: None | str
        if isinstance(self.winner, Side):
            winner = self.winner.value
        else:
            winner = self.winner

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "deal_factors": deal_factors,
                "fees": fees,
                "payouts": payouts,
                "platform_fee": platform_fee,
                "pool": pool,
                "scores": scores,
                "tie": tie,
                "voter_pool": voter_pool,
                "winner": winner,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.battle_payout_out import BattlePayoutOut  # noqa: PLC0415
        from ..models.result_out_deal_factors import ResultOutDealFactors  # noqa: PLC0415
        from ..models.result_out_scores import ResultOutScores  # noqa: PLC0415

        d = dict(src_dict)
        deal_factors = ResultOutDealFactors.from_dict(d.pop("deal_factors"))

        fees = d.pop("fees")

        payouts = []
        _payouts = d.pop("payouts")
        for payouts_item_data in _payouts:
            payouts_item = BattlePayoutOut.from_dict(payouts_item_data)

            payouts.append(payouts_item)

        platform_fee = d.pop("platform_fee")

        pool = d.pop("pool")

        scores = ResultOutScores.from_dict(d.pop("scores"))

        tie = d.pop("tie")

        voter_pool = d.pop("voter_pool")

        def _parse_winner(data: object) -> None | Side:
            if data is None:
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                winner_type_0 = Side(data)

                return winner_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | Side, data)

        winner = _parse_winner(d.pop("winner"))

        result_out = cls(
            deal_factors=deal_factors,
            fees=fees,
            payouts=payouts,
            platform_fee=platform_fee,
            pool=pool,
            scores=scores,
            tie=tie,
            voter_pool=voter_pool,
            winner=winner,
        )

        result_out.additional_properties = d
        return result_out

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
