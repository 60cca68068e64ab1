from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.side import Side

if TYPE_CHECKING:
    from ..models.staked_card_out import StakedCardOut


T = TypeVar("T", bound="BattleEntryOut")


@_attrs_define
class BattleEntryOut:
    """
    Attributes:
        cards (list[StakedCardOut]):
        entry_id (str):
        fee (str):
        payout (None | str): Once settled
        side (Side):
        staked_power (int): sum of power x rarity multiplier (per mille)
        user_id (str):
    """

    cards: list[StakedCardOut]
    entry_id: str
    fee: str
    payout: None | str
    side: Side
    staked_power: int
    user_id: str
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        cards = []
        for cards_item_data in self.cards:
            cards_item = cards_item_data.to_dict()
            cards.append(cards_item)

        entry_id = self.entry_id

        fee = self.fee

        payout: None | str
        payout = self.payout

        side = self.side.value

        staked_power = self.staked_power

        user_id = self.user_id

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "cards": cards,
                "entry_id": entry_id,
                "fee": fee,
                "payout": payout,
                "side": side,
                "staked_power": staked_power,
                "user_id": user_id,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.staked_card_out import StakedCardOut  # noqa: PLC0415

        d = dict(src_dict)
        cards = []
        _cards = d.pop("cards")
        for cards_item_data in _cards:
            cards_item = StakedCardOut.from_dict(cards_item_data)

            cards.append(cards_item)

        entry_id = d.pop("entry_id")

        fee = d.pop("fee")

        def _parse_payout(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        payout = _parse_payout(d.pop("payout"))

        side = Side(d.pop("side"))

        staked_power = d.pop("staked_power")

        user_id = d.pop("user_id")

        battle_entry_out = cls(
            cards=cards,
            entry_id=entry_id,
            fee=fee,
            payout=payout,
            side=side,
            staked_power=staked_power,
            user_id=user_id,
        )

        battle_entry_out.additional_properties = d
        return battle_entry_out

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
