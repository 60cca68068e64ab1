"""Demo-sized data for the HTTP benchmark: 1k users with sessions, 10k cards, 5k live listings.

Users get session credentials of the shape ``auth.login`` writes (one real SIWS sign-in checks
the path), so every user has a real bearer token. Companies and cards are rows, bypassing the
chain and the blockstore (minting 10k NFTs would take minutes; the market never touches the
chain). Funds are a deposit-shaped ledger transfer from custody per user, and the same total is
minted to the custody wallet on chain, so reconciliation holds. Listings: a few through
``create_listing``, the rest as rows of the same shape (see ``open_listings``).

The request files the Lua scripts read are written here too: browse paths (filters, half with a
cursor) and buy pairs (a buyer's bearer token and a listing of someone else).
"""

from __future__ import annotations

import inspect
import random
import secrets
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path
from typing import Any

from solders.keypair import Keypair
from sqlalchemy import Table, bindparam, insert, select, text, update

from bench.rows import CardRows, company_row, insert_catalog
from ece.auth import service as auth
from ece.auth.models import Credential, User
from ece.cards.metadata import Rarity
from ece.cards.models import Card, LockKind
from ece.chain.setup import build_chain, build_platform, prepare_chain
from ece.config import Settings
from ece.core.clock import utcnow
from ece.core.db import Database, new_id
from ece.core.money import Asset
from ece.core.pagination import PageParams
from ece.ledger import service as ledger
from ece.ledger.models import OwnerType, TransferCode
from ece.ledger.service import TransferSpec
from ece.market import service as listings
from ece.market.models import Listing, ListingStatus
from ece.market.service import ListingFilters, ListingSort
from ece.payments import assets
from ece.payments.faucet import drip

USDC = 10**6
card_table: Table = Card.__table__  # type: ignore[assignment]
SERVICE_LISTINGS = 50  # through create_listing, the rest as rows of the same shape
FUNDS_PER_USER = 100_000 * USDC  # far more than a user can spend in one run
WORDS = ["Quantum", "Genome", "Turbine", "Orbit", "Launch", "Founders", "Patent", "Summit"]


@dataclass(frozen=True, slots=True)
class Size:
    users: int = 1_000
    cards: int = 10_000
    listings: int = 5_000
    companies: int = 40


@dataclass
class World:
    tokens: dict[str, str] = field(default_factory=dict)  # user id -> session token
    companies: list[tuple[str, str]] = field(default_factory=list)  # (id, ticker)
    cards_of: dict[str, list[str]] = field(default_factory=dict)  # user id -> card ids
    listings: list[tuple[str, str]] = field(default_factory=list)  # (listing id, seller id)
    funded: int = 0  # USDC base units deposited in total

    @property
    def user_ids(self) -> list[str]:
        return list(self.tokens)


async def sign_in_check(db: Database, settings: Settings) -> None:
    """One wallet through the real SIWS flow (challenge, ed25519 signature, login): the bulk
    sessions below are rows of the same shape."""
    wallet = Keypair()
    async with db.unit_of_work() as session:
        challenge = await auth.create_challenge(session, settings, str(wallet.pubkey()))
    assert challenge.message is not None
    signed = challenge.message.encode()
    attempt = auth.SigninAttempt(signed, bytes(wallet.sign_message(signed)))
    async with db.unit_of_work() as session:
        await auth.login(db, session, settings, attempt)


async def users(db: Database, settings: Settings, world: World, count: int) -> None:
    """``count`` users, each with a session credential as ``auth.login`` writes it (a login
    through the service takes ~10 ms here: 1k of them would be most of the time budget)."""
    await sign_in_check(db, settings)
    now = utcnow()
    expires = now + timedelta(seconds=settings.session_ttl_seconds)
    people: list[dict[str, Any]] = []
    credentials: list[dict[str, Any]] = []
    for _ in range(count):
        user_id = new_id()
        token = auth.SESSION_PREFIX + secrets.token_urlsafe(32)
        world.tokens[user_id] = token
        # Full KYC: the seeded collectors spend far more than the 24 h limits of lower levels,
        # and the benchmark measures trading, not the kyc_required refusal.
        people.append(
            {
                "id": user_id,
                "address": str(Keypair().pubkey()),
                "created_at": now,
                "kyc_level": "full",
            }
        )
        credentials.append(
            {
                "id": new_id(),
                "user_id": user_id,
                "kind": "session",
                "name": None,
                "token_hash": auth.hash_token(token),
                "prefix": token[: len(auth.SESSION_PREFIX) + 4],
                "expires_at": expires,
                "created_at": now,
            }
        )
    async with db.unit_of_work() as session:
        await session.execute(insert(User), people)
        await session.execute(insert(Credential), credentials)
    async with db.unit_of_work(write=False) as session:
        user, _ = await auth.authenticate(session, next(iter(world.tokens.values())))
        assert user.id == next(iter(world.tokens))


async def cards(db: Database, world: World, size: Size, rng: random.Random) -> None:
    now = utcnow()
    companies = [
        company_row(
            rng,
            i,
            WORDS,
            ticker=f"B{chr(65 + i % 26)}{i:02d}",
            royalty_bps=rng.choice([250, 500, 750]),
            at=now,
        )
        for i in range(size.companies)
    ]
    owners = world.user_ids
    made = CardRows(rng, WORDS)
    rows: list[dict[str, Any]] = []
    for i in range(size.cards):
        owner = owners[i % len(owners)]
        row = made.row(
            companies[i % len(companies)],
            created_at=now - timedelta(seconds=size.cards - i),
            owner_user_id=owner,
        )
        world.cards_of.setdefault(owner, []).append(row["id"])
        rows.append(row)
    async with db.unit_of_work() as session:
        await insert_catalog(session, companies, rows)
    world.companies = [(c["id"], c["ticker"]) for c in companies]


async def funds(db: Database, settings: Settings, world: World) -> None:
    """A deposit per user from the ledger's custody account, and the same total on chain."""
    async with db.unit_of_work() as session:
        custody = await ledger.account_for(
            session, OwnerType.custody, assets.CUSTODY_OWNER_ID, Asset.USDC
        )
        specs = [
            TransferSpec(
                f"bench-deposit-{user_id}",
                custody,
                await ledger.user_account(session, user_id, Asset.USDC),
                Asset.USDC,
                FUNDS_PER_USER,
                TransferCode.deposit,
            )
            for user_id in world.user_ids
        ]
        await ledger.create_transfers(session, specs)
    world.funded = FUNDS_PER_USER * len(specs)
    chain = build_chain(settings)
    platform = build_platform(settings)
    try:
        await prepare_chain(settings, chain, platform)
        await drip(chain, platform, platform.custody_owner, "USDC", world.funded)
    finally:
        closed = chain.close()  # type: ignore[attr-defined]  # both chains have close()
        if inspect.isawaitable(closed):
            await closed


async def open_listings(
    db: Database, settings: Settings, world: World, count: int, rng: random.Random
) -> None:
    """``count`` USDC listings spread over the users' cards. A few go through
    ``create_listing``; the rest are written as it writes them (listing row, card lock, card
    list price), because 5k service calls take over a minute on this box."""
    per_user = max(1, -(-count // len(world.tokens)))
    plan = [
        (user_id, card_id)
        for user_id, owned in world.cards_of.items()
        for card_id in owned[:per_user]
    ][:count]
    through_service, in_bulk = plan[:SERVICE_LISTINGS], plan[SERVICE_LISTINGS:]
    async with db.unit_of_work() as session:
        for user_id, card_id in through_service:
            user = await session.get(User, user_id)
            assert user is not None
            view = await listings.create_listing(
                session, settings, user, card_id, rng.randint(1, 100) * USDC, Asset.USDC, None, None
            )
            world.listings.append((view.listing.id, user_id))
    now = utcnow()
    expires = now + timedelta(seconds=settings.listing_default_ttl_seconds)
    rows: list[dict[str, Any]] = []
    async with db.unit_of_work() as session:
        cards_of = {
            row.id: row
            for row in await session.execute(
                select(Card.id, Card.company_id, Card.rarity).where(
                    Card.id.in_([card_id for _, card_id in in_bulk])
                )
            )
        }
        for user_id, card_id in in_bulk:
            card = cards_of[card_id]
            rows.append(
                {
                    "id": new_id(),
                    "card_id": card_id,
                    "company_id": card.company_id,
                    "rarity": card.rarity,
                    "seller_kind": "user",
                    "seller_id": user_id,
                    "price": rng.randint(1, 100) * USDC,
                    "currency": Asset.USDC.value,
                    "taker_address": None,
                    "status": ListingStatus.active.value,
                    "expires_at": expires,
                    "created_at": now,
                    "updated_at": now,
                }
            )
        for chunk in range(0, len(rows), 1000):
            await session.execute(insert(Listing), rows[chunk : chunk + 1000])
        await session.execute(
            update(card_table)
            .where(card_table.c.id == bindparam("b_card"))
            .values(
                lock_kind=LockKind.listing.value,
                lock_ref=bindparam("b_listing"),
                locked_at=now,
                list_price=bindparam("b_price"),
                list_asset=Asset.USDC.value,
            ),
            [{"b_card": r["card_id"], "b_listing": r["id"], "b_price": r["price"]} for r in rows],
        )
    world.listings.extend((r["id"], r["seller_id"]) for r in rows)
    async with db.unit_of_work() as session:
        # Fresh planner statistics, as autovacuum would give after a load like this.
        await session.execute(text("ANALYZE"))


async def browse_paths(db: Database, world: World, rng: random.Random, count: int) -> list[str]:
    """Listing searches with filters; every other one asks for page 2 through a cursor."""
    rarities = [r.value for r in Rarity]
    paths: list[str] = []
    async with db.unit_of_work(write=False) as session:
        for i in range(count):
            pick = i % 4
            company_id, ticker = rng.choice(world.companies)
            if pick == 0:
                query = "currency=USDC&sort=price_asc"
                filters = ListingFilters(currency=Asset.USDC, sort=ListingSort.price_asc)
            elif pick == 1:
                query = f"company={ticker}&sort=price_asc"
                filters = ListingFilters(company=ticker, sort=ListingSort.price_asc)
            elif pick == 2:
                rarity = rng.choice(rarities)
                low = rng.randint(1, 40)
                query = f"rarity={rarity}&currency=USDC&min_price={low}&max_price={low + 50}"
                filters = ListingFilters(
                    rarity=rarity,
                    currency=Asset.USDC,
                    min_price=low * USDC,
                    max_price=(low + 50) * USDC,
                )
            else:
                query = f"company={company_id}&sort=newest"
                filters = ListingFilters(company=company_id, sort=ListingSort.newest)
            limit = 20
            path = f"/api/v1/listings?{query}&limit={limit}"
            if i % 2:
                _, cursor = await listings.list_listings(
                    session, filters, PageParams(limit, None), None
                )
                if cursor:
                    path += f"&cursor={cursor}"
            paths.append(path)
    return paths


def buy_pairs(world: World, rng: random.Random) -> list[tuple[str, str]]:
    """(buyer token, listing id): each listing once, buyers rotating so that requests in flight
    at the same time come from different users, never the seller."""
    buyers = world.user_ids
    order = list(world.listings)
    rng.shuffle(order)
    pairs: list[tuple[str, str]] = []
    turn = 0
    for listing_id, seller_id in order:
        buyer = buyers[turn % len(buyers)]
        if buyer == seller_id:
            turn += 1
            buyer = buyers[turn % len(buyers)]
        turn += 1
        pairs.append((world.tokens[buyer], listing_id))
    return pairs


async def seed(settings: Settings, size: Size, seed_value: int = 8) -> World:
    rng = random.Random(seed_value)
    db = Database(settings.resolved_database_url, pool_size=10, max_overflow=0)
    world = World()
    try:
        await users(db, settings, world, size.users)
        await cards(db, world, size, rng)
        await funds(db, settings, world)
        await open_listings(db, settings, world, size.listings, rng)
    finally:
        await db.dispose()
    return world


async def request_files(settings: Settings, world: World, directory: Path) -> dict[str, Path]:
    rng = random.Random(9)
    db = Database(settings.resolved_database_url)
    try:
        paths = await browse_paths(db, world, rng, 400)
    finally:
        await db.dispose()
    files = {
        "floor": directory / "floor.txt",
        "browse": directory / "browse.txt",
        "buy": directory / "buy.txt",
    }
    files["floor"].write_text("/healthz\n")
    files["browse"].write_text("".join(f"{p}\n" for p in paths))
    files["buy"].write_text("".join(f"{t} {x}\n" for t, x in buy_pairs(world, rng)))
    return files
