"""API shapes for battles. Amounts are ECE decimal strings; scores, staked power and vote
weights are integers (see ``rules`` for their units); the seed appears once the battle is
settled or cancelled."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Self

from pydantic import AwareDatetime, BaseModel, ConfigDict, Field, model_validator

from ece.battles.service import BattleSummary, BattleView, NewBattle, Outcome, Phase, Proof, Side
from ece.core.money import AmountText, Asset, format_amount, parse_amount
from ece.core.pagination import Page

Id = Annotated[str, Field(min_length=1, max_length=32)]


def ece(amount: int) -> str:
    return format_amount(amount, Asset.ECE)


class BattleIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    title: str = Field(min_length=1, max_length=120)
    acquirer_company_id: Id
    target_company_id: Id
    entry_fee: AmountText = Field(description="ECE, more than 0")
    sponsor: AmountText | None = Field(default=None, description="ECE top-up from the treasury")
    enrol_until: AwareDatetime
    vote_until: AwareDatetime
    max_cards_per_user: int = Field(default=5, ge=1, le=5)

    @model_validator(mode="after")
    def _exact_amounts(self) -> Self:
        parse_amount(self.entry_fee, Asset.ECE)  # InvalidAmount (a ValueError) → 422
        if self.sponsor is not None:
            parse_amount(self.sponsor, Asset.ECE, allow_zero=True)
        return self

    def new(self) -> NewBattle:
        return NewBattle(
            title=self.title,
            acquirer_company_id=self.acquirer_company_id,
            target_company_id=self.target_company_id,
            entry_fee=parse_amount(self.entry_fee, Asset.ECE),
            sponsor=0
            if self.sponsor is None
            else parse_amount(self.sponsor, Asset.ECE, allow_zero=True),
            enrol_until=self.enrol_until,
            vote_until=self.vote_until,
            max_cards_per_user=self.max_cards_per_user,
        )


class EnterIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    side: Side
    card_ids: list[Id] = Field(min_length=1, max_length=5)


class VoteIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    side: Side


class StakedCardOut(BaseModel):
    card_id: str
    rarity: str
    power: int


class BattleEntryOut(BaseModel):
    entry_id: str
    user_id: str
    side: Side
    cards: list[StakedCardOut]
    staked_power: int = Field(description="sum of power x rarity multiplier (per mille)")
    fee: str
    payout: str | None = Field(description="Once settled")


class SideOut(BaseModel):
    company_id: str
    ticker: str
    name: str
    entries: int
    staked_power: int
    votes: int = Field(description="Voters on this side")
    vote_weight: int = Field(description="sum of sqrt(cards held) of its voters, in millionths")


class VoteOut(BaseModel):
    user_id: str
    side: Side
    weight: int
    cards_held: int


class BattlePayoutOut(BaseModel):
    user_id: str
    kind: str = Field(description="entry | vote")
    amount: str


class ResultOut(BaseModel):
    winner: Side | None
    tie: bool
    scores: dict[str, int]
    deal_factors: dict[str, int]
    fees: str
    platform_fee: str
    pool: str
    voter_pool: str
    payouts: list[BattlePayoutOut]

    @classmethod
    def of(cls, result: Outcome, payees: dict[str, str]) -> ResultOut:
        return cls(
            winner=result.winner,
            tie=result.tie,
            scores=result.scores,
            deal_factors=result.deal_factors,
            fees=ece(result.fees),
            platform_fee=ece(result.platform_fee),
            pool=ece(result.pool),
            voter_pool=ece(result.voter_pool),
            payouts=[
                BattlePayoutOut(
                    user_id=payees[key],
                    kind="vote" if key.startswith("vote:") else "entry",
                    amount=ece(amount),
                )
                for key, amount in sorted(result.payouts.items())
            ],
        )


class BattleSummaryOut(BaseModel):
    id: str
    title: str
    status: Phase
    acquirer_company_id: str
    target_company_id: str
    entry_fee: str
    sponsor: str
    currency: Asset = Asset.ECE
    entries: int
    enrol_until: datetime
    vote_until: datetime
    seed_commitment: str
    winner: Side | None
    created_at: datetime

    @classmethod
    def of(cls, summary: BattleSummary) -> BattleSummaryOut:
        b = summary.battle
        return cls(
            id=b.id,
            title=b.title,
            status=summary.phase,
            acquirer_company_id=b.acquirer_company_id,
            target_company_id=b.target_company_id,
            entry_fee=ece(b.entry_fee),
            sponsor=ece(b.sponsor),
            entries=b.entry_count,
            enrol_until=b.enrol_until,
            vote_until=b.vote_until,
            seed_commitment=b.seed_commitment,
            winner=None if b.winner is None else Side(b.winner),
            created_at=b.created_at,
        )


class BattlePage(Page[BattleSummaryOut]):
    pass


def _entries(view: BattleView) -> list[BattleEntryOut]:
    cards: dict[str, list[StakedCardOut]] = {}
    for c in view.staked:
        cards.setdefault(c.entry_id, []).append(
            StakedCardOut(card_id=c.card_id, rarity=c.rarity, power=c.power)
        )
    return [
        BattleEntryOut(
            entry_id=e.id,
            user_id=e.user_id,
            side=Side(e.side),
            cards=cards.get(e.id, []),
            staked_power=e.staked_power,
            fee=ece(e.fee),
            payout=None if e.payout is None else ece(e.payout),
        )
        for e in view.entries
    ]


def _side(view: BattleView, side: Side) -> SideOut:
    company = view.acquirer if side is Side.acquirer else view.target
    entries = [e for e in view.entries if e.side == side.value]
    votes = [v for v in view.votes if v.side == side.value]
    return SideOut(
        company_id=company.id,
        ticker=company.ticker,
        name=company.name,
        entries=len(entries),
        staked_power=sum(e.staked_power for e in entries),
        votes=len(votes),
        vote_weight=sum(v.weight for v in votes),
    )


def payees_of(view: BattleView) -> dict[str, str]:
    return {e.id: e.user_id for e in view.entries} | {
        f"vote:{v.user_id}": v.user_id for v in view.votes
    }


class BattleOut(BattleSummaryOut):
    state: str
    max_cards_per_user: int
    seed: str | None = Field(description="Revealed once settled or cancelled")
    sides: dict[str, SideOut]
    participants: list[BattleEntryOut]
    pool: str = Field(description="Entry fees so far - platform fee + sponsor")
    fee_bps: int
    voter_pool_bps: int
    vote_points: int
    rarity_multipliers: str
    result: ResultOut | None

    @classmethod
    def of_view(cls, view: BattleView, result: Outcome | None = None) -> BattleOut:
        b = view.battle
        fees = b.entry_fee * len(view.entries)
        summary = BattleSummaryOut.of(BattleSummary(b, view.phase))
        return cls(
            **summary.model_dump(),
            state=b.state,
            max_cards_per_user=b.max_cards_per_user,
            seed=view.seed,
            sides={s.value: _side(view, s) for s in Side},
            participants=_entries(view),
            pool=ece(fees - fees * b.fee_bps // 10_000 + b.sponsor),
            fee_bps=b.fee_bps,
            voter_pool_bps=b.voter_pool_bps,
            vote_points=b.vote_points,
            rarity_multipliers=b.multipliers,
            result=None if result is None else ResultOut.of(result, payees_of(view)),
        )


class ProofOut(BaseModel):
    battle_id: str
    formula: str
    status: Phase
    seed_commitment: str
    seed: str | None
    commitment_ok: bool | None = Field(description="sha256(seed) == seed_commitment, once shown")
    terms: dict[str, str | int]
    entries: list[BattleEntryOut]
    votes: list[VoteOut]
    recomputed: ResultOut | None = Field(description="The outcome recomputed from the inputs")
    matches_settlement: bool | None

    @classmethod
    def of(
        cls, proof: Proof, formula: str, stored: dict[str, object] | None, ok: bool | None
    ) -> ProofOut:
        view = proof.view
        b = view.battle
        recomputed = proof.recomputed
        return cls(
            battle_id=b.id,
            formula=formula,
            status=view.phase,
            seed_commitment=b.seed_commitment,
            seed=view.seed,
            commitment_ok=ok,
            terms={
                "entry_fee": ece(b.entry_fee),
                "sponsor": ece(b.sponsor),
                "fee_bps": b.fee_bps,
                "voter_pool_bps": b.voter_pool_bps,
                "vote_points": b.vote_points,
                "rarity_multipliers": b.multipliers,
            },
            entries=_entries(view),
            votes=[
                VoteOut(
                    user_id=v.user_id, side=Side(v.side), weight=v.weight, cards_held=v.cards_held
                )
                for v in view.votes
            ],
            recomputed=None if recomputed is None else ResultOut.of(recomputed, payees_of(view)),
            matches_settlement=None
            if recomputed is None or stored is None
            else stored.get("scores") == recomputed.scores
            and stored.get("payouts") == recomputed.payouts
            and stored.get("winner")
            == (None if recomputed.winner is None else recomputed.winner.value),
        )
