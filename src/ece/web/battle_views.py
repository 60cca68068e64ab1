"""What the battle pages show: the list, the arena (sides, staked cards, vote bars, phase
times, the viewer's cards to stake, the result and the proof), and the battle history of a
card or a company. Pages only read; entering, voting, creating and cancelling post to the API."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy.ext.asyncio import AsyncSession

from ece.auth.service import User
from ece.battles import service as battles
from ece.battles.schemas import BattleOut, BattleSummaryOut
from ece.battles.service import Phase, Side
from ece.cards import service as cards
from ece.cards.service import CardFilters, CardStatus
from ece.core.pagination import PageParams

TABS = ("all", "enrolment", "voting", "settled")


@dataclass(frozen=True)
class Row:
    summary: BattleSummaryOut
    acquirer: str  # tickers
    target: str


@dataclass(frozen=True)
class ListPage:
    rows: list[Row]
    tab: str
    next_cursor: str | None
    companies: list[cards.Company]  # for an admin's create form


@dataclass(frozen=True)
class StakeCard:
    id: str
    name: str
    rarity: str
    power: int
    side: str


@dataclass(frozen=True)
class ArenaPage:
    battle: BattleOut
    vote_share: dict[str, int]  # percent of the vote weight, per side
    names: dict[str, str]  # card id -> name, for the staked cards
    stakeable: list[StakeCard]  # the viewer's available cards of either company
    entered: bool
    my_vote: str | None


async def _tickers(session: AsyncSession) -> dict[str, str]:
    return {c.id: c.ticker for c in await cards.companies_by_ticker(session)}


async def rows_of(session: AsyncSession, found: list[battles.BattleSummary]) -> list[Row]:
    tickers = await _tickers(session)
    return [
        Row(
            BattleSummaryOut.of(s),
            tickers.get(s.battle.acquirer_company_id, "?"),
            tickers.get(s.battle.target_company_id, "?"),
        )
        for s in found
    ]


async def list_page(session: AsyncSession, tab: str, cursor: str | None) -> ListPage:
    tab = tab if tab in TABS else "all"
    status = None if tab == "all" else Phase(tab)
    found, next_cursor = await battles.list_battles(session, status, PageParams(30, cursor))
    return ListPage(
        await rows_of(session, found),
        tab,
        next_cursor,
        await cards.companies_by_ticker(session),
    )


async def _stakeable(session: AsyncSession, viewer: User, out: BattleOut) -> list[StakeCard]:
    found = []
    for side in Side:
        company = out.sides[side.value].company_id
        owned, _ = await cards.list_cards(
            session,
            CardFilters(company=company, owner=viewer.id, status=CardStatus.available),
            PageParams(50, None),
        )
        found += [StakeCard(c.id, c.name, c.rarity, c.power, side.value) for c in owned]
    return found


async def arena(session: AsyncSession, battle_id: str, viewer: User | None) -> ArenaPage:
    view = await battles.get_battle(session, battle_id)
    out = BattleOut.of_view(view, view.result)
    weights = {s: out.sides[s].vote_weight for s in out.sides}
    total = sum(weights.values())
    share = {s: (100 * w // total if total else 0) for s, w in weights.items()}
    staked = await cards.cards_by_id(
        session, [c.card_id for e in out.participants for c in e.cards]
    )
    mine = viewer is not None and any(e.user_id == viewer.id for e in out.participants)
    vote = next((v.side for v in view.votes if viewer is not None and v.user_id == viewer.id), None)
    return ArenaPage(
        battle=out,
        vote_share=share,
        names={c.id: c.name for c in staked},
        stakeable=[]
        if viewer is None or mine or out.status is not Phase.enrolment
        else await _stakeable(session, viewer, out),
        entered=mine,
        my_vote=vote,
    )


async def card_history(session: AsyncSession, card_id: str) -> list[Row]:
    return await rows_of(session, await battles.battles_of_card(session, card_id))


async def company_history(session: AsyncSession, id_or_ticker: str) -> list[Row]:
    company = await cards.get_company(session, id_or_ticker)
    return await rows_of(session, await battles.battles_of_company(session, company.id))
