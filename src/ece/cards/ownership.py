"""Who holds a card, and the one lock it may carry: the service other domains call.

Every change is one conditional UPDATE of the card row (``... WHERE lock_kind IS NULL`` and the
like) whose row count says whether it won. That is atomic on both backends: PostgreSQL makes a
second concurrent UPDATE wait for the first and re-check the WHERE; SQLite writers are already
serialized by ``BEGIN IMMEDIATE``. So of two simultaneous lock attempts exactly one succeeds.

Ownership only changes through ``transfer_card`` (and ``mark_deposited``), always inside the
caller's transaction, so a sale moves the card and the money that pays for it together. Each
change appends a ``CardEvent``; history rows are never updated.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from sqlalchemy import ColumnElement, CursorResult, Executable, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from ece.cards.models import Card, CardEvent, CardEventKind, LockKind
from ece.core.clock import utcnow
from ece.core.errors import Conflict, Forbidden, NotFound, Unprocessable
from ece.core.money import MAX_AMOUNT, Asset
from ece.core.outbox import emit


class OwnerKind(StrEnum):
    user = "user"
    issuer = "issuer"  # the company's own inventory of cards not yet sold


@dataclass(frozen=True, slots=True)
class CardOwner:
    kind: OwnerKind
    id: str

    @classmethod
    def user(cls, user_id: str) -> CardOwner:
        return cls(OwnerKind.user, user_id)

    @classmethod
    def issuer(cls, company_id: str) -> CardOwner:
        return cls(OwnerKind.issuer, company_id)

    @classmethod
    def of(cls, card: Card) -> CardOwner:
        if card.owner_user_id is not None:
            return cls.user(card.owner_user_id)
        assert card.owner_company_id is not None  # CHECK exactly_one_owner
        return cls.issuer(card.owner_company_id)

    @property
    def user_id(self) -> str | None:
        return self.id if self.kind is OwnerKind.user else None

    @property
    def company_id(self) -> str | None:
        return self.id if self.kind is OwnerKind.issuer else None


@dataclass(frozen=True, slots=True)
class Price:
    amount: int  # base units of ``asset``
    asset: Asset


@dataclass(frozen=True, slots=True)
class CardLock:
    card_id: str
    kind: LockKind
    ref: str


def _owned_by(owner: CardOwner) -> ColumnElement[bool]:
    if owner.kind is OwnerKind.user:
        return Card.owner_user_id == owner.id
    return Card.owner_company_id == owner.id


async def _rowcount(session: AsyncSession, stmt: Executable) -> int:
    result = await session.execute(stmt)
    assert isinstance(result, CursorResult)
    return int(result.rowcount)


async def _current(session: AsyncSession, card_id: str) -> Card:
    # populate_existing: the identity map may hold the row as it was before our UPDATE.
    card = await session.scalar(
        select(Card).where(Card.id == card_id).execution_options(populate_existing=True)
    )
    if card is None:
        raise NotFound("No such card.", code="card_not_found")
    return card


def _why_not(card: Card, owner: CardOwner | None) -> Exception:
    """The error that explains why a conditional update on ``card`` matched nothing."""
    if card.withdrawn_at is not None:
        return Conflict("The card has been withdrawn from the platform.", code="card_unavailable")
    if owner is not None and CardOwner.of(card) != owner:
        return Forbidden("You do not own this card.", code="not_card_owner")
    if card.lock_kind is not None:
        return Conflict(
            f"The card is locked by a {card.lock_kind}.", code="card_locked", lock=card.lock_kind
        )
    return Conflict("The card cannot be changed right now.", code="card_unavailable")


def _check_ref(ref: str) -> None:
    if not 1 <= len(ref) <= 64:
        raise Unprocessable("A lock reference is 1 to 64 characters.", code="invalid_lock_ref")


async def lock_card(
    session: AsyncSession, card_id: str, owner: CardOwner, kind: LockKind, ref: str
) -> CardLock:
    """Lock an available card of ``owner`` for a listing, auction, trade, battle or withdrawal.

    ``ref`` names what holds the lock (e.g. the listing id); only the same (kind, ref) can
    release it. Raises 409 ``card_locked`` (already locked), 409 ``card_unavailable``
    (withdrawn), 403 ``not_card_owner`` or 404 ``card_not_found``.
    """
    _check_ref(ref)
    kind = LockKind(kind)
    won = await _rowcount(
        session,
        update(Card)
        .where(
            Card.id == card_id,
            _owned_by(owner),
            Card.lock_kind.is_(None),
            Card.withdrawn_at.is_(None),
        )
        .values(lock_kind=kind.value, lock_ref=ref, locked_at=utcnow())
        .execution_options(synchronize_session=False),
    )
    if won != 1:
        raise _why_not(await _current(session, card_id), owner)
    await emit(session, "card.locked", card_id, kind=kind.value, ref=ref)
    return CardLock(card_id, kind, ref)


async def unlock_card(session: AsyncSession, card_id: str, kind: LockKind, ref: str) -> None:
    """Release the lock (kind, ref) holds. Raises 409 ``lock_not_held`` if it holds none."""
    kind = LockKind(kind)
    released = await _rowcount(
        session,
        update(Card)
        .where(Card.id == card_id, Card.lock_kind == kind.value, Card.lock_ref == ref)
        .values(lock_kind=None, lock_ref=None, locked_at=None)
        .execution_options(synchronize_session=False),
    )
    if released != 1:
        await _current(session, card_id)  # 404 for an unknown card
        raise Conflict(f"This {kind.value} does not hold the card's lock.", code="lock_not_held")
    await emit(session, "card.unlocked", card_id, kind=kind.value, ref=ref)


def history_event(
    card_id: str,
    kind: CardEventKind,
    reason: str,
    ref: str | None,
    *,
    source: CardOwner | None = None,
    target: CardOwner | None = None,
    price: Price | None = None,
) -> CardEvent:
    return CardEvent(
        card_id=card_id,
        kind=kind.value,
        from_user_id=source.user_id if source else None,
        from_company_id=source.company_id if source else None,
        to_user_id=target.user_id if target else None,
        to_company_id=target.company_id if target else None,
        price=price.amount if price else None,
        currency=price.asset.value if price else None,
        reason=reason,
        ref=ref,
        created_at=utcnow(),
    )


async def transfer_card(
    session: AsyncSession,
    card_id: str,
    from_owner: CardOwner,
    to_owner: CardOwner,
    reason: str,
    ref: str,
    price: Price | None = None,
) -> None:
    """Give the card of ``from_owner`` to ``to_owner``, recording it in the card's history.

    Call it in the same transaction as the ledger transfers that pay for it (``price`` given:
    a sale, which also updates the card's last sale). A locked card moves only when ``ref`` is
    the reference of the lock that holds it (e.g. the listing being settled); the lock is
    released with the move. Raises like ``lock_card``; 422 ``invalid_transfer`` for a transfer
    to the same owner or a bad price.
    """
    _check_ref(ref)
    if from_owner == to_owner:
        raise Unprocessable("A card cannot be transferred to its owner.", code="invalid_transfer")
    if not 1 <= len(reason) <= 32:
        raise Unprocessable("A transfer reason is 1 to 32 characters.", code="invalid_transfer")
    if price is not None and not 0 <= price.amount <= MAX_AMOUNT:
        raise Unprocessable("The price is out of range.", code="invalid_transfer")
    now = utcnow()
    values: dict[str, object] = {
        "owner_user_id": to_owner.user_id,
        "owner_company_id": to_owner.company_id,
        "lock_kind": None,
        "lock_ref": None,
        "locked_at": None,
        # A listing price belongs to the seller's listing, which this move ends.
        "list_price": None,
        "list_asset": None,
    }
    if price is not None:
        values.update(
            last_sale_price=price.amount, last_sale_asset=price.asset.value, last_sale_at=now
        )
    moved = await _rowcount(
        session,
        update(Card)
        .where(
            Card.id == card_id,
            _owned_by(from_owner),
            Card.withdrawn_at.is_(None),
            Card.lock_kind.is_(None) | (Card.lock_ref == ref),
        )
        .values(**values)
        .execution_options(synchronize_session=False),
    )
    if moved != 1:
        raise _why_not(await _current(session, card_id), from_owner)
    kind = CardEventKind.sale if price is not None else CardEventKind.transfer
    session.add(
        history_event(card_id, kind, reason, ref, source=from_owner, target=to_owner, price=price)
    )
    await emit(
        session,
        f"card.{kind.value}",
        card_id,
        to_owner={"kind": to_owner.kind.value, "id": to_owner.id},
        reason=reason,
        ref=ref,
    )
    await session.flush()


async def mark_withdrawn(session: AsyncSession, card_id: str, ref: str) -> None:
    """The withdrawal ``ref`` (holding the card's withdrawal lock) landed on chain: the card is
    off the platform until ``mark_deposited``. Its last platform owner stays recorded."""
    done = await _rowcount(
        session,
        update(Card)
        .where(
            Card.id == card_id,
            Card.lock_kind == LockKind.withdrawal.value,
            Card.lock_ref == ref,
            Card.withdrawn_at.is_(None),
        )
        .values(
            withdrawn_at=utcnow(),
            lock_kind=None,
            lock_ref=None,
            locked_at=None,
            list_price=None,
            list_asset=None,
        )
        .execution_options(synchronize_session=False),
    )
    if done != 1:
        await _current(session, card_id)
        raise Conflict("This withdrawal does not hold the card.", code="lock_not_held")
    card = await _current(session, card_id)
    session.add(
        history_event(card_id, CardEventKind.withdraw, "withdrawal", ref, source=CardOwner.of(card))
    )
    await emit(session, "card.withdrawn", card_id, ref=ref)
    await session.flush()


async def mark_deposited(session: AsyncSession, card_id: str, to_user_id: str, ref: str) -> None:
    """A withdrawn card arrived back in custody (deposit ``ref``): ``to_user_id`` owns it now,
    whoever owned it before it left (it may have changed hands on chain)."""
    done = await _rowcount(
        session,
        update(Card)
        .where(Card.id == card_id, Card.withdrawn_at.is_not(None))
        .values(withdrawn_at=None, owner_user_id=to_user_id, owner_company_id=None)
        .execution_options(synchronize_session=False),
    )
    if done != 1:
        await _current(session, card_id)
        raise Conflict("The card is already on the platform.", code="card_not_withdrawn")
    session.add(
        history_event(
            card_id, CardEventKind.deposit, "deposit", ref, target=CardOwner.user(to_user_id)
        )
    )
    await emit(session, "card.deposited", card_id, ref=ref, to_user_id=to_user_id)
    await session.flush()
