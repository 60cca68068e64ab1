"""Hypothesis state machine over list / buy / cancel / offer / accept / expire / tidy.

Each example gets fresh users, a company and cards (card history cannot be deleted, so nothing
is reset; the invariants are proved over the whole database). After every step:

- every asset sums to zero on the ledger (posted and pending); no guarded account is negative;
- every card has one owner and at most one lock, and a card is locked by a listing exactly
  when that listing is still open (status active) — an expired but untidied listing keeps its
  lock until the job or the next write on the card releases it;
- each buyer's held funds equal the sum of their open offers' remainders, every open offer's
  hold is an unresolved pending transfer of exactly that amount, and escrow nets to zero;
- owners and the number of sales match a plain model of which operations had to succeed.
"""

from __future__ import annotations

import asyncio
import itertools
from collections import Counter
from collections.abc import Coroutine
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any, TypeVar

from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import (
    RuleBasedStateMachine,
    invariant,
    precondition,
    rule,
    run_state_machine_as_test,
)
from solders.keypair import Keypair
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from ece.auth.models import Role, User, UserRole
from ece.cards import service as cards
from ece.cards.models import Card
from ece.cards.schemas import CompanyIn
from ece.config import Settings
from ece.core.clock import clock, utcnow
from ece.core.db import Database
from ece.core.errors import DomainError
from ece.core.money import Asset
from ece.ledger import service as ledger
from ece.ledger.models import LedgerAccount, LedgerTransfer, OwnerType, TransferCode
from ece.ledger.service import TransferSpec
from ece.market import service as market
from ece.market.jobs import expire_due
from ece.market.models import Listing, Offer
from ece.settlement.models import Sale
from ece.settlement.service import OFFER_HOLDS

T = TypeVar("T")
UNIT = Asset.USDC.unit
FUNDS = 60  # whole USDC per user: a few buys and offers run them dry
_serial = itertools.count()
OUTCOMES: Counter[tuple[str, str]] = Counter()


@dataclass
class ListingModel:
    id: str
    card: int
    seller: str  # user id, or "issuer"
    price: int
    expires_at: datetime
    open: bool = True  # not bought, cancelled or tidied

    def buyable(self, now: datetime) -> bool:
        return self.open and self.expires_at > now


@dataclass
class OfferModel:
    id: str
    buyer: int
    card: int | None  # None: a collection offer on any card of the company
    price: int
    quantity: int
    expires_at: datetime
    filled: int = 0
    open: bool = True

    def acceptable(self, now: datetime) -> bool:
        return self.open and self.expires_at > now and self.filled < self.quantity


@dataclass
class Model:
    owners: list[str] = field(default_factory=list)  # per card: user id or "issuer"
    available: dict[str, int] = field(default_factory=dict)  # user id -> spendable base units
    listings: list[ListingModel] = field(default_factory=list)
    offers: list[OfferModel] = field(default_factory=list)
    sales: int = 0

    def open_listing(self, card: int) -> ListingModel | None:
        return next((x for x in self.listings if x.card == card and x.open), None)


class MarketMachine(RuleBasedStateMachine):
    def __init__(self, runner: asyncio.Runner, db: Database, config: Settings) -> None:
        super().__init__()
        self.runner = runner
        self.db = db
        self.settings = config
        self.model = Model()
        clock.reset()
        self.run(self._setup())

    def run(self, coroutine: Coroutine[Any, Any, T]) -> T:
        return self.runner.run(coroutine)

    async def _setup(self) -> None:
        async with self.db.unit_of_work() as session:
            self.users: list[str] = []
            for n in range(3):
                user = User(address=str(Keypair().pubkey()), roles=[])
                if n == 0:  # the admin, who sells the issuer's inventory
                    user.roles.append(UserRole(role=Role.admin.value))
                session.add(user)
                await session.flush()
                self.users.append(user.id)
            company = await cards.create_company(
                session,
                CompanyIn(
                    name="Machine Co",
                    ticker=f"SM{next(_serial)}",
                    sector="Test",
                    country="US",
                    website="https://machine.example.com",
                    royalty_bps=500,
                    payout_address=str(Keypair().pubkey()),
                ),
                actor="system",
            )
            self.company_id = company.id
            custody = await ledger.account_for(session, OwnerType.custody, "solana", Asset.USDC)
            for user_id in self.users:
                account = await ledger.user_account(session, user_id, Asset.USDC)
                await ledger.create_transfers(
                    session,
                    [
                        TransferSpec(
                            f"sm-fund-{user_id}",
                            custody,
                            account,
                            Asset.USDC,
                            FUNDS * UNIT,
                            TransferCode.deposit,
                        )
                    ],
                )
                self.model.available[user_id] = FUNDS * UNIT
            self.cards: list[str] = []
            owners = [self.users[0], self.users[1], self.users[2], self.users[1], None]
            for n, owner in enumerate(owners):
                card = Card(
                    company_id=company.id,
                    name=f"M{n}",
                    description="",
                    rarity="epic" if n % 2 else "rare",
                    serial_number=n + 1,
                    edition_size=250,
                    power=20 * n,
                    valuation=1,
                    growth=1,
                    innovation=1,
                    influence=1,
                    mint=str(Keypair().pubkey()),
                    mint_signature="sm",
                    metadata_cid="sm",
                    image_cid="sm",
                    search_text="sm",
                    owner_user_id=owner,
                    owner_company_id=None if owner else company.id,
                )
                session.add(card)
                await session.flush()
                self.cards.append(card.id)
                self.model.owners.append(owner or "issuer")

    def actor_for(self, card: int) -> str:
        owner = self.model.owners[card]
        return self.users[0] if owner == "issuer" else owner

    async def _call(self, action: Any) -> Any:
        async with self.db.unit_of_work() as session:
            return await action(session)

    def attempt(self, action: Any) -> tuple[Any, str | None]:
        try:
            result, error = self.run(self._call(action)), None
        except DomainError as exc:
            result, error = None, exc.instance_code
        # Counted so the test can prove the runs reached the success paths, not only refusals.
        OUTCOMES[(action.__qualname__.split(".")[1], error or "ok")] += 1
        return result, error

    async def user(self, session: AsyncSession, user_id: str) -> User:
        user = await session.get(User, user_id)
        assert user is not None
        return user

    # --- rules -------------------------------------------------------------------------------

    @rule(card=st.integers(0, 4), price=st.integers(1, 40), hours=st.integers(1, 3))
    def list_card(self, card: int, price: int, hours: int) -> None:
        now = utcnow()
        actor = self.actor_for(card)
        expires = now + timedelta(hours=hours)

        async def action(session: Any) -> market.ListingView:
            return await market.create_listing(
                session,
                self.settings,
                await self.user(session, actor),
                self.cards[card],
                price * UNIT,
                Asset.USDC,
                expires,
                None,
            )

        view, error = self.attempt(action)
        current = self.model.open_listing(card)
        if current is not None and current.buyable(now):
            assert error == "card_locked", error
            return
        assert error is None, error
        if current is not None:
            current.open = False  # the stale listing was tidied on the way
        self.model.listings.append(
            ListingModel(view.listing.id, card, self.model.owners[card], price * UNIT, expires)
        )

    @precondition(lambda self: bool(self.model.listings))
    @rule(data=st.data(), buyer=st.integers(0, 2))
    def buy(self, data: st.DataObject, buyer: int) -> None:
        target = data.draw(st.sampled_from(self.model.listings))
        buyer_id = self.users[buyer]

        async def action(session: Any) -> Any:
            user = await self.user(session, buyer_id)
            return await market.buy_listing(session, self.settings, user, target.id, None)

        _, error = self.attempt(action)
        if not target.buyable(utcnow()):
            assert error == "listing_unavailable", error
        elif target.seller == buyer_id:
            assert error == "own_listing", error
        elif self.model.available[buyer_id] < target.price:
            assert error == "insufficient_funds", error
        else:
            assert error is None, error
            self.model.available[buyer_id] -= target.price
            if target.seller != "issuer":
                royalty_and_fee = target.price * 250 // 10_000 + target.price * 500 // 10_000
                self.model.available[target.seller] += target.price - royalty_and_fee
            target.open = False
            self.model.owners[target.card] = buyer_id
            self.model.sales += 1

    @precondition(lambda self: bool(self.model.listings))
    @rule(data=st.data())
    def cancel_listing(self, data: st.DataObject) -> None:
        target = data.draw(st.sampled_from(self.model.listings))
        actor = self.users[0] if target.seller == "issuer" else target.seller

        async def action(session: Any) -> Any:
            return await market.cancel_listing(session, await self.user(session, actor), target.id)

        _, error = self.attempt(action)
        if target.open:
            assert error is None, error
            target.open = False
        else:
            assert error == "listing_unavailable", error

    @rule(
        buyer=st.integers(0, 2),
        card=st.none() | st.integers(0, 4),
        price=st.integers(1, 30),
        quantity=st.integers(1, 3),
        hours=st.integers(1, 3),
    )
    def make_offer(
        self, buyer: int, card: int | None, price: int, quantity: int, hours: int
    ) -> None:
        buyer_id = self.users[buyer]
        quantity = 1 if card is not None else quantity
        expires = utcnow() + timedelta(hours=hours)

        async def action(session: Any) -> market.OfferView:
            return await market.create_offer(
                session,
                self.settings,
                await self.user(session, buyer_id),
                card_id=self.cards[card] if card is not None else None,
                company_id=None if card is not None else self.company_id,
                price=price * UNIT,
                currency=Asset.USDC,
                quantity=quantity,
                rarity=None,
                min_power=None,
                expires_at=expires,
            )

        view, error = self.attempt(action)
        if card is not None and self.model.owners[card] == buyer_id:
            assert error == "own_card", error
        elif self.model.available[buyer_id] < price * quantity * UNIT:
            assert error == "insufficient_funds", error
        else:
            assert error is None, error
            self.model.available[buyer_id] -= price * quantity * UNIT
            self.model.offers.append(
                OfferModel(view.offer.id, buyer, card, price * UNIT, quantity, expires)
            )

    @precondition(lambda self: bool(self.model.offers))
    @rule(data=st.data(), card=st.integers(0, 4))
    def accept(self, data: st.DataObject, card: int) -> None:
        target = data.draw(st.sampled_from(self.model.offers))
        if target.card is not None:
            card = target.card
        seller = self.model.owners[card]
        actor = self.actor_for(card)
        buyer_id = self.users[target.buyer]

        async def action(session: Any) -> Any:
            return await market.accept_offer(
                session, self.settings, await self.user(session, actor), target.id, self.cards[card]
            )

        _, error = self.attempt(action)
        now = utcnow()
        if not target.acceptable(now):
            assert error == "offer_unavailable", error
        elif actor == buyer_id:
            assert error == "own_offer", error
        else:
            assert error is None, error
            listed = self.model.open_listing(card)
            if listed is not None:
                listed.open = False  # ends with the sale (cancelled, or tidied as expired)
            if seller != "issuer":
                cut = target.price * 250 // 10_000 + target.price * 500 // 10_000
                self.model.available[seller] += target.price - cut
            target.filled += 1
            target.open = target.filled < target.quantity
            self.model.owners[card] = buyer_id
            self.model.sales += 1

    @precondition(lambda self: bool(self.model.offers))
    @rule(data=st.data())
    def cancel_offer(self, data: st.DataObject) -> None:
        target = data.draw(st.sampled_from(self.model.offers))
        buyer_id = self.users[target.buyer]

        async def action(session: Any) -> Any:
            return await market.cancel_offer(session, await self.user(session, buyer_id), target.id)

        _, error = self.attempt(action)
        if target.open:
            assert error is None, error
            target.open = False
            self.model.available[buyer_id] += target.price * (target.quantity - target.filled)
        else:
            assert error == "offer_unavailable", error

    @rule(minutes=st.integers(5, 60))
    def time_passes(self, minutes: int) -> None:
        clock.advance(timedelta(minutes=minutes))

    @rule()
    def expiry_job(self) -> None:
        self.run(expire_due(self.db))
        now = utcnow()
        for x in self.model.listings:
            if x.open and x.expires_at <= now:
                x.open = False
        for o in self.model.offers:
            if o.open and o.expires_at <= now:
                o.open = False
                self.model.available[self.users[o.buyer]] += o.price * (o.quantity - o.filled)

    # --- invariants --------------------------------------------------------------------------

    @invariant()
    def ledger_sums_to_zero_and_no_one_is_negative(self) -> None:
        async def read() -> list[Any]:
            async with self.db.unit_of_work(write=False) as session:
                return list(await session.execute(select(LedgerAccount.__table__)))

        rows = self.run(read())
        for asset in Asset:
            mine = [r for r in rows if r.asset == asset.value]
            assert sum(r.credits_posted - r.debits_posted for r in mine) == 0
            assert sum(r.credits_pending - r.debits_pending for r in mine) == 0
        for r in rows:
            if r.debits_must_not_exceed_credits:
                assert r.credits_posted - r.debits_posted - r.debits_pending >= 0, r
            if r.purpose == OFFER_HOLDS:
                assert r.credits_posted == r.debits_posted, r  # escrow passes money through
        balances = {r.owner_id: r for r in rows if r.owner_type == "user" and r.purpose == "main"}
        for user_id, expected in self.model.available.items():
            row = balances[user_id]
            assert row.credits_posted - row.debits_posted - row.debits_pending == expected

    @invariant()
    def cards_listings_and_holds_agree(self) -> None:
        async def read() -> tuple[list[Card], list[Listing], list[Offer], list[Any], int]:
            async with self.db.unit_of_work(write=False) as session:
                card_rows = list(await session.scalars(select(Card).where(Card.id.in_(self.cards))))
                listing_rows = list(
                    await session.scalars(select(Listing).where(Listing.card_id.in_(self.cards)))
                )
                offer_rows = list(
                    await session.scalars(select(Offer).where(Offer.company_id == self.company_id))
                )
                holds = list(
                    await session.execute(
                        select(LedgerTransfer.__table__).where(
                            LedgerTransfer.id.in_(
                                [o.hold_transfer_id for o in offer_rows if o.hold_transfer_id]
                            )
                        )
                    )
                )
                resolved = await session.scalar(
                    select(func.count())
                    .select_from(LedgerTransfer)
                    .where(
                        LedgerTransfer.pending_id.in_(
                            [o.hold_transfer_id for o in offer_rows if o.hold_transfer_id]
                        )
                    )
                )
                sales = await session.scalar(
                    select(func.count()).select_from(Sale).where(Sale.card_id.in_(self.cards))
                )
                assert resolved == 0  # every open offer's hold is still pending
                return card_rows, listing_rows, offer_rows, holds, int(sales or 0)

        card_rows, listing_rows, offer_rows, holds, sales = self.run(read())
        assert sales == self.model.sales
        open_by_card = {x.card_id: x for x in listing_rows if x.status == "active"}
        assert len(open_by_card) == sum(1 for x in listing_rows if x.status == "active")
        for card in card_rows:
            assert (card.owner_user_id is None) != (card.owner_company_id is None)
            open_listing = open_by_card.get(card.id)
            if open_listing is None:
                assert card.lock_kind is None and card.list_price is None, card.id
            else:
                assert (card.lock_kind, card.lock_ref) == ("listing", open_listing.id)
                assert card.list_price == open_listing.price
        expected_owner = dict(zip(self.cards, self.model.owners, strict=True))
        for card in card_rows:
            owner = expected_owner[card.id]
            assert (card.owner_user_id or "issuer") == owner
        hold_amounts = {h.id: h.amount for h in holds}
        held_by_user: dict[str, int] = {}
        for o in offer_rows:
            if o.status == "active":
                assert o.hold_transfer_id is not None
                assert hold_amounts[o.hold_transfer_id] == o.price * (o.quantity - o.filled)
                held_by_user[o.buyer_user_id] = held_by_user.get(o.buyer_user_id, 0) + o.price * (
                    o.quantity - o.filled
                )
            else:
                assert o.hold_transfer_id is None

        async def held() -> dict[str, int]:
            async with self.db.unit_of_work(write=False) as session:
                return {
                    user_id: (
                        await ledger.balance(
                            session, await ledger.user_account(session, user_id, Asset.USDC)
                        )
                    ).held
                    for user_id in self.users
                }

        for user_id, amount in self.run(held()).items():
            assert amount == held_by_user.get(user_id, 0), (user_id, amount)

    def teardown(self) -> None:
        clock.reset()
        result = self.run(ledger.run_check(self.db))
        assert result.ok, result


def test_marketplace_keeps_its_invariants(settings: Settings) -> None:
    OUTCOMES.clear()
    with asyncio.Runner() as runner:
        db = Database(settings.resolved_database_url)
        try:
            run_state_machine_as_test(
                lambda: MarketMachine(runner, db, settings),  # type: ignore[arg-type]  # a factory works
                settings=machine_settings,
            )
        finally:
            runner.run(db.dispose())
    for step in ("list_card", "buy", "cancel_listing", "make_offer", "accept", "cancel_offer"):
        assert OUTCOMES[(step, "ok")] > 0, (step, sorted(OUTCOMES.items()))


# Fixed examples on every run (as CI has them): the check above, that every step succeeded at
# least once, is then a property of the examples and cannot pass or fail by chance; with
# random examples it failed about one run in twenty (a rarely succeeding step drew none).
machine_settings = settings(
    derandomize=True,
    database=None,
    max_examples=25,
    stateful_step_count=25,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
)
