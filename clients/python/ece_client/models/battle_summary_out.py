from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.asset import Asset
from ..models.phase import Phase
from ..models.side import Side
from ..types import UNSET, Unset

T = TypeVar("T", bound="BattleSummaryOut")


@_attrs_define
class BattleSummaryOut:
    """
    Attributes:
        acquirer_company_id (str):
        created_at (datetime.datetime):
        enrol_until (datetime.datetime):
        entries (int):
        entry_fee (str):
        id (str):
        seed_commitment (str):
        sponsor (str):
        status (Phase):
        target_company_id (str):
        title (str):
        vote_until (datetime.datetime):
        winner (None | Side):
        currency (Asset | Unset):
    """

    acquirer_company_id: str
    created_at: datetime.datetime
    enrol_until: datetime.datetime
    entries: int
    entry_fee: str
    id: str
    seed_commitment: str
    sponsor: str
    status: Phase
    target_company_id: str
    title: str
    vote_until: datetime.datetime
    winner: None | Side
    currency: Asset | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        acquirer_company_id = self.acquirer_company_id

        created_at = self.created_at.isoformat()

        enrol_until = self.enrol_until.isoformat()

        entries = self.entries

        entry_fee = self.entry_fee

        id = self.id

        seed_commitment = self.seed_commitment

        sponsor = self.sponsor

        status = self.status.value

        target_company_id = self.target_company_id

        title = self.title

        vote_until = self.vote_until.isoformat()

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
                "id": id,
                "seed_commitment": seed_commitment,
                "sponsor": sponsor,
                "status": status,
                "target_company_id": target_company_id,
                "title": title,
                "vote_until": vote_until,
                "winner": winner,
            }
        )
        if currency is not UNSET:
            field_dict["currency"] = currency

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        acquirer_company_id = d.pop("acquirer_company_id")

        created_at = datetime.datetime.fromisoformat(d.pop("created_at"))

        enrol_until = datetime.datetime.fromisoformat(d.pop("enrol_until"))

        entries = d.pop("entries")

        entry_fee = d.pop("entry_fee")

        id = d.pop("id")

        seed_commitment = d.pop("seed_commitment")

        sponsor = d.pop("sponsor")

        status = Phase(d.pop("status"))

        target_company_id = d.pop("target_company_id")

        title = d.pop("title")

        vote_until = datetime.datetime.fromisoformat(d.pop("vote_until"))

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

        battle_summary_out = cls(
            acquirer_company_id=acquirer_company_id,
            created_at=created_at,
            enrol_until=enrol_until,
            entries=entries,
            entry_fee=entry_fee,
            id=id,
            seed_commitment=seed_commitment,
            sponsor=sponsor,
            status=status,
            target_company_id=target_company_id,
            title=title,
            vote_until=vote_until,
            winner=winner,
            currency=currency,
        )

        battle_summary_out.additional_properties = d
        return battle_summary_out

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
