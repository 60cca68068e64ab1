from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.asset import Asset
from ..models.phase import Phase
from ..models.side import Side
from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.battle_entry_out import BattleEntryOut
    from ..models.battle_out_sides import BattleOutSides
    from ..models.result_out import ResultOut


T = TypeVar("T", bound="BattleOut")


@_attrs_define
class BattleOut:
    """
    Attributes:
        acquirer_company_id (str):
        created_at (datetime.datetime):
        enrol_until (datetime.datetime):
        entries (int):
        entry_fee (str):
        fee_bps (int):
        id (str):
        max_cards_per_user (int):
        participants (list[BattleEntryOut]):
        pool (str): Entry fees so far - platform fee + sponsor
        rarity_multipliers (str):
        result (None | ResultOut):
        seed (None | str): Revealed once settled or cancelled
        seed_commitment (str):
        sides (BattleOutSides):
        sponsor (str):
        state (str):
        status (Phase):
        target_company_id (str):
        title (str):
        vote_points (int):
        vote_until (datetime.datetime):
        voter_pool_bps (int):
        winner (None | Side):
        currency (Asset | Unset):
    """

    acquirer_company_id: str
    created_at: datetime.datetime
    enrol_until: datetime.datetime
    entries: int
    entry_fee: str
    fee_bps: int
    id: str
    max_cards_per_user: int
    participants: list[BattleEntryOut]
    pool: str
    rarity_multipliers: str
    result: None | ResultOut
    seed: None | str
    seed_commitment: str
    sides: BattleOutSides
    sponsor: str
    state: str
    status: Phase
    target_company_id: str
    title: str
    vote_points: int
    vote_until: datetime.datetime
    voter_pool_bps: int
    winner: None | Side
    currency: Asset | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        from ..models.result_out import ResultOut  # noqa: PLC0415

        acquirer_company_id = self.acquirer_company_id

        created_at = self.created_at.isoformat()

        enrol_until = self.enrol_until.isoformat()

        entries = self.entries

        entry_fee = self.entry_fee

        fee_bps = self.fee_bps

        id = self.id

        max_cards_per_user = self.max_cards_per_user

        participants = []
        for participants_item_data in self.participants:
            participants_item = participants_item_data.to_dict()
            participants.append(participants_item)

        pool = self.pool

        rarity_multipliers = self.rarity_multipliers

        result: dict[str, Any] | None
        if isinstance(self.result, ResultOut):
            result = self.result.to_dict()
        else:
            result = self.result

        seed: None | str
        seed = self.seed

        seed_commitment = self.seed_commitment

        sides = self.sides.to_dict()

        sponsor = self.sponsor

        state = self.state

        status = self.status.value

        target_company_id = self.target_company_id

        title = self.title

        vote_points = self.vote_points

        vote_until = self.vote_until.isoformat()

        voter_pool_bps = self.voter_pool_bps

        winner: None | str
        if isinstance(self.winner, Side):
            winner = self.winner.value
        else:
            winner = self.winner

        currency: str | Unset = UNSET
        if not isinstance(self.currency, Unset):
            currency = self.currency.value

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "acquirer_company_id": acquirer_company_id,
                "created_at": created_at,
                "enrol_until": enrol_until,
                "entries": entries,
                "entry_fee": entry_fee,
                "fee_bps": fee_bps,
                "id": id,
                "max_cards_per_user": max_cards_per_user,
                "participants": participants,
                "pool": pool,
                "rarity_multipliers": rarity_multipliers,
                "result": result,
                "seed": seed,
                "seed_commitment": seed_commitment,
                "sides": sides,
                "sponsor": sponsor,
                "state": state,
                "status": status,
                "target_company_id": target_company_id,
                "title": title,
                "vote_points": vote_points,
                "vote_until": vote_until,
                "voter_pool_bps": voter_pool_bps,
                "winner": winner,
            }
        )
        if currency is not UNSET:
            field_dict["currency"] = currency

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.battle_entry_out import BattleEntryOut  # noqa: PLC0415
        from ..models.battle_out_sides import BattleOutSides  # noqa: PLC0415
        from ..models.result_out import ResultOut  # noqa: PLC0415

        d = dict(src_dict)
        acquirer_company_id = d.pop("acquirer_company_id")

        created_at = datetime.datetime.fromisoformat(d.pop("created_at"))

        enrol_until = datetime.datetime.fromisoformat(d.pop("enrol_until"))

        entries = d.pop("entries")

        entry_fee = d.pop("entry_fee")

        fee_bps = d.pop("fee_bps")

        id = d.pop("id")

        max_cards_per_user = d.pop("max_cards_per_user")

        participants = []
        _participants = d.pop("participants")
        for participants_item_data in _participants:
            participants_item = BattleEntryOut.from_dict(participants_item_data)

            participants.append(participants_item)

        pool = d.pop("pool")

        rarity_multipliers = d.pop("rarity_multipliers")

        def _parse_result(data: object) -> None | ResultOut:
            if data is None:
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                result_type_0 = ResultOut.from_dict(data)

                return result_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | ResultOut, data)

        result = _parse_result(d.pop("result"))

        def _parse_seed(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        seed = _parse_seed(d.pop("seed"))

        seed_commitment = d.pop("seed_commitment")

        sides = BattleOutSides.from_dict(d.pop("sides"))

        sponsor = d.pop("sponsor")

        state = d.pop("state")

        status = Phase(d.pop("status"))

        target_company_id = d.pop("target_company_id")

        title = d.pop("title")

        vote_points = d.pop("vote_points")

        vote_until = datetime.datetime.fromisoformat(d.pop("vote_until"))

        voter_pool_bps = d.pop("voter_pool_bps")

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

        _currency = d.pop("currency", UNSET)
        currency: Asset | Unset
        if isinstance(_currency, Unset):
            currency = UNSET
        else:
            currency = Asset(_currency)

        battle_out = cls(
            acquirer_company_id=acquirer_company_id,
            created_at=created_at,
            enrol_until=enrol_until,
            entries=entries,
            entry_fee=entry_fee,
            fee_bps=fee_bps,
            id=id,
            max_cards_per_user=max_cards_per_user,
            participants=participants,
            pool=pool,
            rarity_multipliers=rarity_multipliers,
            result=result,
            seed=seed,
            seed_commitment=seed_commitment,
            sides=sides,
            sponsor=sponsor,
            state=state,
            status=status,
            target_company_id=target_company_id,
            title=title,
            vote_points=vote_points,
            vote_until=vote_until,
            voter_pool_bps=voter_pool_bps,
            winner=winner,
            currency=currency,
        )

        battle_out.additional_properties = d
        return battle_out

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
