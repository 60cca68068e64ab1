from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define

from ..types import UNSET, Unset

T = TypeVar("T", bound="BattleIn")


@_attrs_define
class BattleIn:
    """
    Attributes:
        acquirer_company_id (str):
        enrol_until (datetime.datetime):
        entry_fee (str): ECE, more than 0
        target_company_id (str):
        title (str):
        vote_until (datetime.datetime):
        max_cards_per_user (int | Unset):  Default: 5.
        sponsor (None | str | Unset): ECE top-up from the treasury
    """

    acquirer_company_id: str
    enrol_until: datetime.datetime
    entry_fee: str
    target_company_id: str
    title: str
    vote_until: datetime.datetime
    max_cards_per_user: int | Unset = 5
    sponsor: None | str | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        acquirer_company_id = self.acquirer_company_id

        enrol_until = self.enrol_until.isoformat()

        entry_fee = self.entry_fee

        target_company_id = self.target_company_id

        title = self.title

        vote_until = self.vote_until.isoformat()

        max_cards_per_user = self.max_cards_per_user

        sponsor: None | str | Unset
        if isinstance(self.sponsor, Unset):
            sponsor = UNSET
        else:
            sponsor = self.sponsor

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "acquirer_company_id": acquirer_company_id,
                "enrol_until": enrol_until,
                "entry_fee": entry_fee,
                "target_company_id": target_company_id,
                "title": title,
                "vote_until": vote_until,
            }
        )
        if max_cards_per_user is not UNSET:
            field_dict["max_cards_per_user"] = max_cards_per_user
        if sponsor is not UNSET:
            field_dict["sponsor"] = sponsor

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        acquirer_company_id = d.pop("acquirer_company_id")

        enrol_until = datetime.datetime.fromisoformat(d.pop("enrol_until"))

        entry_fee = d.pop("entry_fee")

        target_company_id = d.pop("target_company_id")

        title = d.pop("title")

        vote_until = datetime.datetime.fromisoformat(d.pop("vote_until"))

        max_cards_per_user = d.pop("max_cards_per_user", UNSET)

        def _parse_sponsor(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        sponsor = _parse_sponsor(d.pop("sponsor", UNSET))

        battle_in = cls(
            acquirer_company_id=acquirer_company_id,
            enrol_until=enrol_until,
            entry_fee=entry_fee,
            target_company_id=target_company_id,
            title=title,
            vote_until=vote_until,
            max_cards_per_user=max_cards_per_user,
            sponsor=sponsor,
        )

        return battle_in
