"""HTTP for battles: create and cancel (admins), enter and vote, the reads and the proof."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, status

from ece.auth.deps import AdminUser, CurrentUser, Idempotent
from ece.battles import service
from ece.battles.schemas import (
    BattleEntryOut,
    BattleIn,
    BattleOut,
    BattlePage,
    BattleSummaryOut,
    EnterIn,
    ProofOut,
    VoteIn,
    VoteOut,
)
from ece.battles.service import Phase
from ece.controls.deps import open_for
from ece.controls.service import Scope
from ece.core.errors import problem_responses
from ece.core.pagination import PageParams, page_params
from ece.runtime.deps import MARKET_ORDER_LIMIT, Session, SettingsDep
from ece.runtime.routing import UnitOfWorkRoute

router = APIRouter(prefix="/api/v1", route_class=UnitOfWorkRoute)

Pages = Annotated[PageParams, Depends(page_params)]
BATTLES_OPEN = open_for(Scope.battles)


async def _out(session: Session, battle_id: str) -> BattleOut:
    view = await service.get_battle(session, battle_id)
    return BattleOut.of_view(view, view.result)


@router.post(
    "/battles",
    tags=["battles"],
    status_code=status.HTTP_201_CREATED,
    response_model=BattleOut,
    responses=problem_responses(401, 403, 404, 422),
)
async def create_battle(
    body: BattleIn, admin: AdminUser, session: Session, settings: SettingsDep
) -> BattleOut:
    """Open a battle (admins): enrolment starts now; ``seed_commitment`` = sha256(seed) is
    published at once, the seed itself at settlement."""
    battle = await service.create_battle(session, settings, admin, body.new())
    return await _out(session, battle.id)


@router.get(
    "/battles", tags=["battles"], response_model=BattlePage, responses=problem_responses(422)
)
async def list_battles(session: Session, params: Pages, status: Phase | None = None) -> BattlePage:
    """Battles, newest first; ``status`` is the phase by the server clock."""
    items, cursor = await service.list_battles(session, status, params)
    return BattlePage(items=[BattleSummaryOut.of(i) for i in items], next_cursor=cursor)


@router.get(
    "/battles/{battle_id}",
    tags=["battles"],
    response_model=BattleOut,
    responses=problem_responses(404),
)
async def get_battle(battle_id: str, session: Session) -> BattleOut:
    """One battle: sides, participants and their staked cards, vote tallies, the pool, the
    phase times and, once settled, the result and the seed."""
    return await _out(session, battle_id)


@router.get(
    "/battles/{battle_id}/proof",
    tags=["battles"],
    response_model=ProofOut,
    responses=problem_responses(404),
)
async def battle_proof(battle_id: str, session: Session) -> ProofOut:
    """Everything needed to recompute the outcome: the commitment, the seed (once settled),
    the frozen terms, every staked card and vote, and the outcome recomputed from them."""
    proof = await service.proof(session, battle_id)
    seed = proof.view.seed
    ok = None if seed is None else service.commitment_of(seed) == proof.view.battle.seed_commitment
    return ProofOut.of(proof, service.FORMULA, proof.view.battle.result, ok)


@router.delete(
    "/battles/{battle_id}",
    tags=["battles"],
    response_model=BattleOut,
    responses=problem_responses(401, 403, 404, 409),
)
async def cancel_battle(battle_id: str, admin: AdminUser, session: Session) -> BattleOut:
    """Cancel an open battle (admins): every entry fee released, every card unlocked."""
    await service.cancel_battle(session, admin, battle_id)
    return await _out(session, battle_id)


@router.post(
    "/battles/{battle_id}/enter",
    tags=["battles"],
    status_code=status.HTTP_201_CREATED,
    response_model=BattleEntryOut,
    dependencies=[*MARKET_ORDER_LIMIT, BATTLES_OPEN],
    responses=problem_responses(401, 403, 404, 409, 422, 429, 503),
)
async def enter_battle(
    battle_id: str,
    body: EnterIn,
    user: CurrentUser,
    _idempotency: Idempotent,
    session: Session,
    settings: SettingsDep,
) -> BattleEntryOut:
    """Join a side with 1 to ``max_cards_per_user`` cards of its company (locked until the
    end, then returned) and the entry fee (held; paid at settlement, released on cancel)."""
    entry = await service.enter(session, settings, user, battle_id, body.side, body.card_ids)
    view = await service.get_battle(session, battle_id)
    return next(e for e in BattleOut.of_view(view).participants if e.entry_id == entry.id)


@router.post(
    "/battles/{battle_id}/vote",
    tags=["battles"],
    response_model=VoteOut,
    dependencies=[BATTLES_OPEN],
    responses=problem_responses(401, 403, 404, 409, 422, 503),
)
async def vote(
    battle_id: str, body: VoteIn, user: CurrentUser, session: Session, settings: SettingsDep
) -> VoteOut:
    """Vote for a side during voting, or change your vote (the latest counts, once)."""
    ballot = await service.vote(session, settings, user, battle_id, body.side)
    return VoteOut(
        user_id=ballot.user_id,
        side=service.Side(ballot.side),
        weight=ballot.weight,
        cards_held=ballot.cards_held,
    )
