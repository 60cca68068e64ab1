from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.phase import Phase

if TYPE_CHECKING:
    from ..models.battle_entry_out import BattleEntryOut
    from ..models.proof_out_terms import ProofOutTerms
    from ..models.result_out import ResultOut
    from ..models.vote_out import VoteOut


T = TypeVar("T", bound="ProofOut")


@_attrs_define
class ProofOut:
    """
    Attributes:
        battle_id (str):
        commitment_ok (bool | None): sha256(seed) == seed_commitment, once shown
        entries (list[BattleEntryOut]):
        formula (str):
        matches_settlement (bool | None):
        recomputed (None | ResultOut): The outcome recomputed from the inputs
        seed (None | str):
        seed_commitment (str):
        status (Phase):
        terms (ProofOutTerms):
        votes (list[VoteOut]):
    """

    battle_id: str
    commitment_ok: bool | None
    entries: list[BattleEntryOut]
    formula: str
    matches_settlement: bool | None
    recomputed: None | ResultOut
    seed: None | str
    seed_commitment: str
    status: Phase
    terms: ProofOutTerms
    votes: list[VoteOut]
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        from ..models.result_out import ResultOut  # noqa: PLC0415

        battle_id = self.battle_id

        commitment_ok: bool | None
        commitment_ok = self.commitment_ok

        entries = []
        for entries_item_data in self.entries:
            entries_item = entries_item_data.to_dict()
            entries.append(entries_item)

        formula = self.formula

        matches_settlement: bool | None
        matches_settlement = self.matches_settlement

        recomputed: dict[str, Any] | None
        if isinstance(self.recomputed, ResultOut):
            recomputed = self.recomputed.to_dict()
        else:
            recomputed = self.recomputed

        seed: None | str
        seed = self.seed

        seed_commitment = self.seed_commitment

        status = self.status.value

        terms = self.terms.to_dict()

        votes = []
        for votes_item_data in self.votes:
            votes_item = votes_item_data.to_dict()
            votes.append(votes_item)

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "battle_id": battle_id,
                "commitment_ok": commitment_ok,
                "entries": entries,
                "formula": formula,
                "matches_settlement": matches_settlement,
                "recomputed": recomputed,
                "seed": seed,
                "seed_commitment": seed_commitment,
                "status": status,
                "terms": terms,
                "votes": votes,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.battle_entry_out import BattleEntryOut  # noqa: PLC0415
        from ..models.proof_out_terms import ProofOutTerms  # noqa: PLC0415
        from ..models.result_out import ResultOut  # noqa: PLC0415
        from ..models.vote_out import VoteOut  # noqa: PLC0415

        d = dict(src_dict)
        battle_id = d.pop("battle_id")

        def _parse_commitment_ok(data: object) -> bool | None:
            if data is None:
                return data
            return cast(bool | None, data)

        commitment_ok = _parse_commitment_ok(d.pop("commitment_ok"))

        entries = []
        _entries = d.pop("entries")
        for entries_item_data in _entries:
            entries_item = BattleEntryOut.from_dict(entries_item_data)

            entries.append(entries_item)

        formula = d.pop("formula")

        def _parse_matches_settlement(data: object) -> bool | None:
            if data is None:
                return data
            return cast(bool | None, data)

        matches_settlement = _parse_matches_settlement(d.pop("matches_settlement"))

        def _parse_recomputed(data: object) -> None | ResultOut:
            if data is None:
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                recomputed_type_0 = ResultOut.from_dict(data)

                return recomputed_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | ResultOut, data)

        recomputed = _parse_recomputed(d.pop("recomputed"))

        def _parse_seed(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        seed = _parse_seed(d.pop("seed"))

        seed_commitment = d.pop("seed_commitment")

        status = Phase(d.pop("status"))

        terms = ProofOutTerms.from_dict(d.pop("terms"))

        votes = []
        _votes = d.pop("votes")
        for votes_item_data in _votes:
            votes_item = VoteOut.from_dict(votes_item_data)

            votes.append(votes_item)

        proof_out = cls(
            battle_id=battle_id,
            commitment_ok=commitment_ok,
            entries=entries,
            formula=formula,
            matches_settlement=matches_settlement,
            recomputed=recomputed,
            seed=seed,
            seed_commitment=seed_commitment,
            status=status,
            terms=terms,
            votes=votes,
        )

        proof_out.additional_properties = d
        return proof_out

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
