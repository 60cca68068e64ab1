"""Demo data: a living market for a newcomer, created deterministically into an empty database.

Fourteen fictional companies across sectors, 26 cards each of every rarity, really minted on
the configured chain (the embedded one by default), and a few demo collectors owning some of
them. Names, stats and owners come from a fixed seed, so every fresh demo looks the same (mint
addresses and ids are new each time). Funds and open listings are added by
``add_demo_funds_and_listings`` once the deposit and marketplace domains exist.
"""

from __future__ import annotations

import hashlib
import inspect
import random
from dataclasses import dataclass, field

from pydantic import HttpUrl
from solders.keypair import Keypair
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from ece.auth.models import Role, User, UserRole
from ece.cards import service as cards
from ece.cards.deps import blockstore_for
from ece.cards.metadata import Rarity
from ece.cards.schemas import CardAttributes, CardIn, CompanyIn
from ece.chain.setup import build_chain, build_platform, prepare_chain
from ece.config import Settings
from ece.core.db import Database

SEED = 20261123


def demo_keypair(name: str) -> Keypair:
    """Deterministic demo wallets, so every fresh demo market looks the same."""
    return Keypair.from_seed(hashlib.sha256(f"ece-demo:{name}".encode()).digest())


@dataclass(frozen=True)
class DemoCompany:
    name: str
    ticker: str
    sector: str
    country: str
    color: str
    tagline: str


COMPANIES = [
    DemoCompany(
        "Aurora Quantum", "AURQ", "Technology", "US", "#3a7bd5", "Room-temperature qubits."
    ),
    DemoCompany(
        "Helix Biotherapeutics", "HLX", "Biotech", "CH", "#2bb673", "Gene therapy at scale."
    ),
    DemoCompany("Nordwind Energy", "NWE", "Energy", "DK", "#00a6d6", "Offshore wind farms."),
    DemoCompany(
        "Sakura Robotics", "SKR", "Industrials", "JP", "#e4577d", "Robots that build robots."
    ),
    DemoCompany("Atlas Orbital", "ATLO", "Aerospace", "FR", "#5b5f97", "Reusable launch for all."),
    DemoCompany("Meridian Bank", "MRDN", "Finance", "GB", "#c9a227", "Banking without branches."),
    DemoCompany("Verde Foods", "VRDE", "Consumer", "BR", "#6ab04c", "Plant protein for billions."),
    DemoCompany("Koru Games", "KORU", "Media", "NZ", "#eb4d4b", "Worlds players build."),
    DemoCompany("Sahara Solar", "SHRS", "Energy", "MA", "#f0932b", "Desert sun, city power."),
    DemoCompany("Lumen Semiconductors", "LUMS", "Technology", "TW", "#7f8fa6", "Photonic chips."),
    DemoCompany(
        "Tundra Logistics", "TNDR", "Industrials", "CA", "#535c68", "Arctic supply routes."
    ),
    DemoCompany("Maple Health", "MAPH", "Healthcare", "CA", "#c0392b", "Clinics in every pocket."),
    DemoCompany("Indus Mobility", "INDM", "Automotive", "IN", "#22a6b3", "Electric rickshaws."),
    DemoCompany("Baltic Data", "BLTD", "Technology", "EE", "#4834d4", "Sovereign cloud."),
]

# Per company: how many cards of each rarity, and the titles they take (cycled).
CARDS_PER_RARITY = {Rarity.LEGENDARY: 1, Rarity.EPIC: 3, Rarity.RARE: 7, Rarity.COMMON: 15}
TITLES = {
    Rarity.LEGENDARY: ["Founders Edition"],
    Rarity.EPIC: ["Moonshot", "Keynote", "Breakthrough"],
    Rarity.RARE: ["Series A", "Patent", "Expansion", "IPO Day", "Flagship", "Merger", "Award"],
    Rarity.COMMON: ["Analyst Day", "Quarterly", "Roadshow", "Hackathon", "Townhall", "Launch"],
}
# Stat floors by rarity: rarer cards are stronger on average.
STAT_FLOOR = {Rarity.LEGENDARY: 75, Rarity.EPIC: 55, Rarity.RARE: 35, Rarity.COMMON: 5}

COLLECTORS = ["alice", "bob", "carol", "dave", "erin"]
SHARE_OWNED = 0.3  # of the cards, owned by demo collectors; the rest stays in issuer inventory


@dataclass
class DemoWorld:
    """What the demo created, for the funds-and-listings hook."""

    admin_id: str
    collectors: dict[str, str] = field(default_factory=dict)  # name -> user id
    company_ids: list[str] = field(default_factory=list)
    owned_card_ids: dict[str, list[str]] = field(default_factory=dict)  # user id -> card ids


def _stats(rng: random.Random, rarity: Rarity) -> CardAttributes:
    floor = STAT_FLOOR[rarity]
    values = {name: rng.randint(floor, 100) for name in CardAttributes.model_fields}
    return CardAttributes(**values)


def demo_cards(
    company_id: str, spec: DemoCompany, rng: random.Random, owners: list[str]
) -> list[CardIn]:
    items: list[CardIn] = []
    for rarity, count in CARDS_PER_RARITY.items():
        titles = TITLES[rarity]
        for i in range(count):
            owner = rng.choice(owners) if rng.random() < SHARE_OWNED else None
            items.append(
                CardIn(
                    company_id=company_id,
                    name=f"{spec.ticker} {titles[i % len(titles)]}",
                    rarity=rarity,
                    attributes=_stats(rng, rarity),
                    owner_id=owner,
                )
            )
    return items


async def add_demo_funds_and_listings(session: AsyncSession, world: DemoWorld) -> None:
    """Hook for the deposits and marketplace domains: credit the demo collectors with ECE and
    USDC and open listings on some of their cards. Nothing to do until those domains exist."""
    return None


async def _create_users(session: AsyncSession) -> DemoWorld:
    admin = User(
        address=str(demo_keypair("admin").pubkey()),
        display_name="ECE Admin",
        roles=[UserRole(role=Role.admin.value)],
    )
    session.add(admin)
    collectors = {
        name: User(address=str(demo_keypair(name).pubkey()), display_name=name.capitalize())
        for name in COLLECTORS
    }
    session.add_all(collectors.values())
    await session.flush()
    return DemoWorld(admin.id, {name: user.id for name, user in collectors.items()})


async def load_demo_if_empty(settings: Settings) -> bool:
    """Create the demo market when the database has no users yet; True if it did."""
    db = Database(settings.resolved_database_url)
    chain = build_chain(settings)
    platform = build_platform(settings)
    try:
        async with db.unit_of_work() as session:
            if await session.scalar(select(func.count()).select_from(User)):
                return False
            world = await _create_users(session)
        await prepare_chain(settings, chain, platform)
        minter = cards.Minter(chain, platform, blockstore_for(settings), settings.uri)
        rng = random.Random(SEED)
        owners = list(world.collectors.values())
        for spec in COMPANIES:
            # One transaction per company: its cards are recorded with it or not at all.
            async with db.unit_of_work() as session:
                company = await cards.create_company(
                    session,
                    CompanyIn(
                        name=spec.name,
                        ticker=spec.ticker,
                        sector=spec.sector,
                        country=spec.country,
                        website=HttpUrl(f"https://{spec.ticker.lower()}.example.com"),
                        description=spec.tagline,
                        royalty_bps=250,
                        payout_address=str(demo_keypair(f"payout:{spec.ticker}").pubkey()),
                        color=spec.color,
                    ),
                )
                minted = await cards.mint_cards(
                    session, minter, demo_cards(company.id, spec, rng, owners)
                )
                world.company_ids.append(company.id)
                for card in minted:
                    if card.owner_user_id:
                        world.owned_card_ids.setdefault(card.owner_user_id, []).append(card.id)
        async with db.unit_of_work() as session:
            await add_demo_funds_and_listings(session, world)
        return True
    finally:
        await db.dispose()
        closed = chain.close()  # type: ignore[attr-defined]  # both chains have close()
        if inspect.isawaitable(closed):
            await closed
