"""Demo data: a living market for a newcomer, created deterministically into an empty database.

Fourteen fictional companies across sectors, 26 cards each of every rarity, really minted on
the configured chain (the embedded one by default), and a few demo collectors owning some of
them. Names, stats and owners come from a fixed seed, so every fresh demo looks the same (mint
addresses, ids and the demo wallets are new each time; the wallets' keys are written to
``keys/demo/`` so whoever runs the demo can sign in with them). The collectors get ECE and USDC
(minted into custody on the embedded chain and credited as deposits), list part of their cards,
admins list some issuer inventory (primary sales), a few collection offers are open and a few
sales have happened. Never in production.

Price history: before today's listings, the collectors trade for ``HISTORY_DAYS`` days, every
trade a real listing and purchase through the market service (ledger transfers, fee, royalty,
card ownership, wash-trade checks), run with the clock set back to the trade's instant. So the
charts have shape and the ledger holds only what happened: no candle exists without its sales.
"""

from __future__ import annotations

import math
import random
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path

from pydantic import HttpUrl
from solders.keypair import Keypair
from sqlalchemy.ext.asyncio import AsyncSession

from ece.audit import service as audit
from ece.auth import service as auth
from ece.auth.service import Role, User
from ece.cards import service as cards
from ece.cards.deps import blockstore_for
from ece.cards.schemas import CardAttributes, CardIn, CompanyIn
from ece.cards.service import Rarity
from ece.chain.platform import Platform, create_keypair, load_keypair, send_instructions
from ece.chain.protocol import Chain
from ece.chain.setup import build_chain, build_platform
from ece.chain.tokens import spl
from ece.config import Settings
from ece.core.clock import clock, utcnow
from ece.core.db import Database
from ece.core.money import Asset
from ece.ledger import service as ledger
from ece.ledger.service import OwnerType, TransferCode, TransferSpec
from ece.market import service as market
from ece.payments.service import CUSTODY_OWNER_ID

SEED = 20261123


class DemoRefused(RuntimeError):
    """Demo data (its wallets, its minted funds) never goes into a production database."""


def demo_key_file(settings: Settings, name: str) -> Path:
    return settings.resolved_keys_dir / "demo" / f"{name.replace(':', '-')}.json"


def demo_keypair(settings: Settings, name: str) -> Keypair:
    """A demo wallet's key, as created when the demo was loaded (``keys/demo/<name>.json``).

    Random, never derived from its name: anyone could sign in as a wallet derived from a public
    string. Whoever runs the demo can sign in with these files."""
    return load_keypair(demo_key_file(settings, name))


def _new_demo_wallet(settings: Settings, name: str) -> str:
    path = demo_key_file(settings, name)
    keypair = load_keypair(path) if path.exists() else create_keypair(path)
    return str(keypair.pubkey())


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


# Demo balances per collector (whole tokens) and list prices in USDC by rarity (low, high).
DEMO_FUNDS = {Asset.USDC: 5_000, Asset.ECE: 50_000}
LIST_PRICES = {
    Rarity.COMMON: (5, 25),
    Rarity.RARE: (30, 90),
    Rarity.EPIC: (120, 300),
    Rarity.LEGENDARY: (600, 1500),
}
SHARE_LISTED = 0.4  # of each collector's cards
PRIMARY_LISTINGS_PER_COMPANY = 3
DEMO_SALES = 6


async def _fund_collectors(
    db: Database, chain: Chain, platform: Platform, world: DemoWorld
) -> None:
    """Mint the demo balances into custody on chain and credit them as deposits, so the ledger
    and the chain agree (reconciliation stays ok)."""
    collectors = list(world.collectors.values())
    for asset, whole in DEMO_FUNDS.items():
        amount = whole * asset.unit
        await send_instructions(
            chain,
            [
                spl.mint_to(
                    mint=platform.mint(asset),
                    destination=platform.custody_token_account(asset),
                    mint_authority=platform.authority.pubkey(),
                    amount=amount * len(collectors),
                )
            ],
            [platform.authority],
            platform.custody,
        )
        async with db.unit_of_work() as session:
            custody = await ledger.account_for(session, OwnerType.custody, CUSTODY_OWNER_ID, asset)
            await ledger.create_transfers(
                session,
                [
                    TransferSpec(
                        f"demo-deposit:{user_id}:{asset.value}",
                        custody,
                        await ledger.user_account(session, user_id, asset),
                        asset,
                        amount,
                        TransferCode.deposit,
                        reference="demo",
                    )
                    for user_id in collectors
                ],
            )


# --- price history ----------------------------------------------------------------------------

HISTORY_DAYS = 90
# Trades a day per company (mean; busier in the last week, so the 24 h and 7 d charts have
# bars), each a real purchase, which is what the demo's load time pays for; a company's price
# level walks by DAILY_VOLATILITY a day (log scale).
TRADES_PER_DAY = 0.2
TRADES_PER_DAY_LAST_WEEK = 0.7
DAILY_VOLATILITY = 0.06
PRIMARY_SHARE = 0.3  # of history trades, the company selling from its inventory
# Price of a rarity relative to a common card of the same company.
RARITY_MULTIPLE = {Rarity.COMMON: 1, Rarity.RARE: 4, Rarity.EPIC: 14, Rarity.LEGENDARY: 55}
RETRADE_AFTER = timedelta(days=8)  # longer than the wash window: no card bounces within it
BUYER_RESERVE = 0.97  # what a seller is assumed to keep of a price (fee and royalty come out)
# What a collector spends within any 24 h of the history, in USDC base units: well under the
# purchase limit of a user without KYC (ECE_KYC_LIMIT_NONE_USDC), today's demo sales included.
DAILY_SPEND = 400 * Asset.USDC.unit


@dataclass
class History:
    """The state of the simulated market while its past is replayed."""

    rng: random.Random
    balances: dict[str, int]  # collector -> USDC the simulation thinks is available
    owner: dict[str, str]  # collector-owned card -> owner
    rarity: dict[str, Rarity]
    company_of: dict[str, str]
    inventory: dict[str, list[str]]  # company -> issuer cards it may sell
    level: dict[str, float]  # company -> price of a common card, in whole USDC
    traded_at: dict[str, datetime] = field(default_factory=dict)
    bought: dict[str, list[tuple[datetime, int]]] = field(default_factory=dict)  # user -> buys
    users: dict[str, User] = field(default_factory=dict)  # read once per day's transaction
    trades: int = 0

    async def user(self, session: AsyncSession, user_id: str) -> User:
        if user_id not in self.users:
            self.users[user_id] = await auth.get_user(session, user_id)
        return self.users[user_id]

    def may_buy(self, user_id: str, price: int, at: datetime) -> bool:
        """Whether ``user_id`` has the cash and stays within ``DAILY_SPEND`` of any 24 h."""
        near = sum(p for t, p in self.bought.get(user_id, []) if abs(t - at) < timedelta(days=1))
        return self.balances[user_id] >= price and near + price <= DAILY_SPEND


def _history_price(h: History, company_id: str, card_id: str) -> int:
    whole = h.level[company_id] * RARITY_MULTIPLE[h.rarity[card_id]] * h.rng.uniform(0.88, 1.12)
    return max(100, round(whole * 100)) * (Asset.USDC.unit // 100)  # whole cents


def _pick_trade(h: History, company_id: str, at: datetime) -> tuple[str, str | None] | None:
    """A card of the company to sell and its seller (None: the issuer), if one may trade now."""
    if h.inventory[company_id] and h.rng.random() < PRIMARY_SHARE:
        return h.inventory[company_id][-1], None
    ready = [
        card for card, _ in h.owner.items()
        if h.company_of[card] == company_id
        and at - h.traded_at.get(card, at - RETRADE_AFTER) >= RETRADE_AFTER
    ]  # fmt: skip
    if not ready:
        return None
    card = h.rng.choice(sorted(ready))
    return card, h.owner[card]


async def _history_trade(
    session: AsyncSession, settings: Settings, h: History, admin_id: str, company_id: str
) -> None:
    """One trade at the clock's instant: a listing, then a collector buys it minutes later."""
    at = utcnow()
    picked = _pick_trade(h, company_id, at)
    if picked is None:
        return
    card_id, seller_id = picked
    price = _history_price(h, company_id, card_id)
    bought_at = at + timedelta(minutes=h.rng.randint(1, 240))
    buyers = [u for u in h.balances if u != seller_id and h.may_buy(u, price, bought_at)]
    if not buyers:
        return
    buyer_id = h.rng.choice(sorted(buyers))
    seller = await h.user(session, seller_id or admin_id)
    view = await market.create_listing(
        session, settings, seller, card_id, price, Asset.USDC, None, None
    )
    clock.freeze(bought_at)
    await market.buy_listing(
        session, settings, await h.user(session, buyer_id), view.listing.id, None
    )
    if seller_id is None:
        h.inventory[company_id].pop()
    else:
        h.balances[seller_id] += int(price * BUYER_RESERVE)
    h.balances[buyer_id] -= price
    h.bought.setdefault(buyer_id, []).append((bought_at, price))
    h.owner[card_id] = buyer_id
    h.traded_at[card_id] = at
    h.trades += 1


async def _start_history(db: Database, world: DemoWorld, rng: random.Random) -> History:
    owner = {card: user for user, owned in world.owned_card_ids.items() for card in owned}
    inventory: dict[str, list[str]] = {}
    async with db.unit_of_work(write=False) as session:
        for company_id in world.company_ids:
            pool = await cards.issuer_inventory(session, company_id, 40)
            # The cheapest rarities sell most: a company sells commons and rares from its stock.
            sellable = [c.id for c in pool if c.rarity in (Rarity.COMMON, Rarity.RARE)]
            inventory[company_id] = sellable
        ids = [*owner, *(c for pool in inventory.values() for c in pool)]
        found = await cards.cards_by_id(session, ids)
    return History(
        rng=rng,
        balances={u: DEMO_FUNDS[Asset.USDC] * Asset.USDC.unit for u in world.collectors.values()},
        owner=owner,
        rarity={c.id: Rarity(c.rarity) for c in found},
        company_of={c.id: c.company_id for c in found},
        inventory=inventory,
        level={company_id: rng.uniform(4, 20) for company_id in world.company_ids},
    )


async def trade_history(
    db: Database, settings: Settings, world: DemoWorld, days: int = HISTORY_DAYS
) -> History:
    """Replay ``days`` of trading among the demo collectors, oldest first, one transaction a
    day (``History.trades`` counts them). The clock is set back for each trade and restored."""
    rng = random.Random(SEED + 2)
    h = await _start_history(db, world, rng)
    now = utcnow()
    try:
        for day in range(days, 0, -1):
            start = now - timedelta(days=day)
            mean = TRADES_PER_DAY_LAST_WEEK if day <= 7 else TRADES_PER_DAY
            h.users.clear()
            async with db.unit_of_work() as session:
                for company_id in world.company_ids:
                    h.level[company_id] *= math.exp(rng.gauss(0.004, DAILY_VOLATILITY))
                    for _ in range(_poisson(rng, mean)):
                        clock.freeze(start + timedelta(seconds=rng.randint(0, 86_400 - 4 * 3600)))
                        await _history_trade(session, settings, h, world.admin_id, company_id)
    finally:
        clock.reset()
    world.owned_card_ids = {}
    for card, user in sorted(h.owner.items()):
        world.owned_card_ids.setdefault(user, []).append(card)
    return h


def _poisson(rng: random.Random, mean: float) -> int:
    """Knuth's draw: how many events of a Poisson process with this mean happen."""
    limit, count, product = math.exp(-mean), 0, rng.random()
    while product > limit:
        count += 1
        product *= rng.random()
    return count


def _price(rng: random.Random, rarity: str) -> int:
    low, high = LIST_PRICES[Rarity(rarity)]
    return rng.randint(low, high) * Asset.USDC.unit


async def add_demo_funds_and_listings(
    db: Database, settings: Settings, chain: Chain, platform: Platform, world: DemoWorld
) -> None:
    """Fund the collectors, open listings (theirs and some primary sales), a few collection
    offers, and a handful of sales so the home page has recent activity."""
    rng = random.Random(SEED + 1)
    history = None
    if settings.embedded_chain:  # on a real cluster the platform cannot mint USDC
        await _fund_collectors(db, chain, platform, world)
        history = await trade_history(db, settings, world)
    listing_ids: list[str] = []
    async with db.unit_of_work() as session:
        admin = await auth.get_user(session, world.admin_id)
        for user_id, card_ids in world.owned_card_ids.items():
            owner = await auth.get_user(session, user_id)
            for card_id in card_ids:
                if rng.random() >= SHARE_LISTED:
                    continue
                card = await cards.load_card(session, card_id)
                view = await market.create_listing(
                    session, settings, owner, card_id, _price(rng, card.rarity), Asset.USDC,
                    None, None,
                )  # fmt: skip
                listing_ids.append(view.listing.id)
        for company_id in world.company_ids:
            inventory = await cards.issuer_inventory(
                session, company_id, PRIMARY_LISTINGS_PER_COMPANY
            )
            for card in inventory:
                await market.create_listing(
                    session, settings, admin, card.id, _price(rng, card.rarity), Asset.USDC,
                    None, None,
                )  # fmt: skip
    if not settings.embedded_chain:
        return
    collectors = list(world.collectors.values())
    async with db.unit_of_work() as session:
        for company_id in world.company_ids[:4]:
            bidder = await auth.get_user(session, rng.choice(collectors))
            await market.create_offer(
                session, settings, bidder, card_id=None, company_id=company_id,
                price=4 * Asset.USDC.unit, currency=Asset.USDC, quantity=2, rarity="common",
                min_power=None, expires_at=None,
            )  # fmt: skip
    for listing_id in rng.sample(listing_ids, min(DEMO_SALES, len(listing_ids))):
        async with db.unit_of_work() as session:
            listing = (await market.get_listing(session, listing_id, None)).listing
            now = utcnow()
            buyers = [
                u
                for u in collectors
                if u != listing.seller_id
                and (history is None or history.may_buy(u, listing.price, now))
            ]
            if not buyers:
                continue
            shopper = await auth.get_user(session, rng.choice(buyers))
            await market.buy_listing(session, settings, shopper, listing_id, None)
            if history is not None:
                history.balances[shopper.id] -= listing.price
                history.bought.setdefault(shopper.id, []).append((now, listing.price))


async def _create_users(session: AsyncSession, settings: Settings) -> DemoWorld:
    admin = await auth.create_user(
        session,
        _new_demo_wallet(settings, "admin"),
        display_name="ECE Admin",
        roles=[Role.admin],
    )
    collectors = {
        name: await auth.create_user(
            session, _new_demo_wallet(settings, name), display_name=name.capitalize()
        )
        for name in COLLECTORS
    }
    return DemoWorld(admin.id, {name: user.id for name, user in collectors.items()})


async def load_demo_if_empty(settings: Settings) -> bool:
    """Create the demo market when the database has no users yet; True if it did.

    Refused in production; needs an initialized platform (``ece init``)."""
    if settings.is_production:
        raise DemoRefused("demo data is refused in production (ECE_ENV=production)")
    platform = build_platform(settings)
    chain = build_chain(settings)  # the chain ``ece init`` set up: a start never creates one
    db = Database(
        settings.resolved_database_url, session_info=ledger.AccountIdCache().session_info()
    )
    try:
        async with db.unit_of_work() as session:
            if await auth.has_users(session):
                return False
            world = await _create_users(session, settings)
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
                        payout_address=_new_demo_wallet(settings, f"payout:{spec.ticker}"),
                        color=spec.color,
                    ),
                    actor=audit.OPERATOR,
                )
                minted = await cards.mint_cards(
                    session, minter, demo_cards(company.id, spec, rng, owners), actor=audit.OPERATOR
                )
                world.company_ids.append(company.id)
                for card in minted:
                    if card.owner_user_id:
                        world.owned_card_ids.setdefault(card.owner_user_id, []).append(card.id)
        await add_demo_funds_and_listings(db, settings, chain, platform, world)
        return True
    finally:
        await db.dispose()
        await chain.close()
