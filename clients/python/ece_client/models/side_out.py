from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

T = TypeVar("T", bound="SideOut")


@_attrs_define
class SideOut:
    """
    Attributes:
        company_id (str):
        entries (int):
        name (str):
        staked_power (int):
        ticker (str):
        vote_weight (int): sum of sqrt(cards held) of its voters, in millionths
        votes (int): Voters on this side
    """

    company_id: str
    entries: int
    name: str
    staked_power: int
    ticker: str
    vote_weight: int
    votes: int
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        company_id = self.company_id

        entries = self.entries

        name = self.name

        staked_power = self.staked_power

        ticker = self.ticker

        vote_weight = self.vote_weight

        votes = self.votes

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "company_id": company_id,
                "entries": entries,
                "name": name,
                "staked_power": staked_power,
                "ticker": ticker,
                "vote_weight": vote_weight,
                "votes": votes,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        company_id = d.pop("company_id")

        entries = d.pop("entries")

        name = d.pop("name")

        staked_power = d.pop("staked_power")

        ticker = d.pop("ticker")

        vote_weight = d.pop("vote_weight")

        votes = d.pop("votes")

        side_out = cls(
            company_id=company_id,
            entries=entries,
            name=name,
            staked_power=staked_power,
            ticker=ticker,
            vote_weight=vote_weight,
            votes=votes,
        )

        side_out.additional_properties = d
        return side_out

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
