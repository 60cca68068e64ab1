"""`ece demo`: companies, cards really minted on the embedded chain, and collectors owning some."""

from __future__ import annotations

import hashlib
import random
import stat
from collections import Counter

import httpx
from solders.keypair import Keypair
from solders.pubkey import Pubkey
from sqlalchemy import select

from ece.app import create_app, shutdown, startup
from ece.auth.models import User
from ece.config import Settings
from ece.core.money import Asset
from ece.demo import COMPANIES, SEED, demo_cards, demo_keypair, load_demo_if_empty
from ece.ledger import service as ledger
from ece.ledger.checks import run_check
from ece.payments import jobs
from ece.payments.models import DepositReceipt, ReceiptOutcome, UnclaimedPayment
from ece.payments.reconciliation import reconcile
from tests.builders import sign_in


async def test_demo_loads_a_living_market_into_an_empty_database(settings: Settings) -> None:
    assert await load_demo_if_empty(settings)

    app = create_app(settings, run_workers=False)
    await startup(app)
    try:
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://test") as client:
            companies = (await client.get("/api/v1/companies", params={"limit": 200})).json()
            cards: list[dict[str, object]] = []
            cursor = None
            while True:
                params = {"limit": 200, **({"cursor": cursor} if cursor else {})}
                page = (await client.get("/api/v1/cards", params=params)).json()
                cards += page["items"]
                if not (cursor := page["next_cursor"]):
                    break
            image = await client.get(f"/api/v1/cards/{cards[0]['id']}/image.svg")
            listed = (await client.get("/api/v1/listings", params={"limit": 200})).json()
            summary = (await client.get("/api/v1/market/summary")).json()
            sales = (await client.get("/api/v1/market/activity", params={"type": "sale"})).json()
            offers = (await client.get("/api/v1/offers", params={"limit": 200})).json()
            # The demo admin's key was once sha256("ece-demo:admin"): anyone could sign in as it.
            guessed = Keypair.from_seed(hashlib.sha256(b"ece-demo:admin").digest())
            intruder = await sign_in(client, guessed)
            intruder_view = await client.get("/api/v1/admin/users", headers=intruder.headers)
            # Whoever runs the demo signs in with the key file it wrote.
            admin = await sign_in(client, demo_keypair(settings, "admin"))
            admin_view = await client.get("/api/v1/admin/users", headers=admin.headers)
        async with app.state.services.db.unit_of_work(write=False) as session:
            alice = await session.scalar(
                select(User).where(User.address == str(demo_keypair(settings, "alice").pubkey()))
            )
            assert alice is not None
            balances = {b.asset: b for b in await ledger.user_balances(session, alice.id)}
        # The watcher sees the demo's funding minted into custody: platform issuance, whose
        # ledger side the demo booked itself, never a second (unclaimed) liability.
        await jobs.watch_deposits(app.state.services)
        async with app.state.services.db.unit_of_work(write=False) as session:
            parked = (await session.scalars(select(UnclaimedPayment))).all()
            ignored = (
                await session.scalars(
                    select(DepositReceipt.reason).where(
                        DepositReceipt.outcome == ReceiptOutcome.ignored.value
                    )
                )
            ).all()
        checked = await run_check(app.state.services.db)
        reconciled = await reconcile(
            app.state.services.db, app.state.services.chain, app.state.services.platform
        )
        supply = await app.state.services.chain.get_token_supply(
            Pubkey.from_string(str(cards[-1]["mint"]))
        )
    finally:
        await shutdown(app)

    assert len(companies["items"]) >= 12
    assert len({c["sector"] for c in companies["items"]}) >= 6
    assert len(cards) >= 300
    assert set(Counter(c["rarity"] for c in cards)) == {"common", "rare", "epic", "legendary"}
    owners = Counter(c["owner"]["kind"] for c in cards)  # type: ignore[index]
    assert owners["user"] > 50 and owners["issuer"] > 50
    assert (supply.amount, supply.decimals) == (1, 0)
    assert image.status_code == 200
    # A living market: funded collectors, open listings (theirs and primary sales), bids, sales.
    assert balances[Asset.USDC].total > 0
    assert balances[Asset.ECE].total == 50_000 * Asset.ECE.unit
    assert len(listed["items"]) >= 50
    assert {item["seller"]["kind"] for item in listed["items"]} == {"user", "issuer"}
    assert len(offers["items"]) >= 1
    assert len(sales["items"]) >= 3
    assert summary["items"]
    # The demo moved value only through the ledger and kept custody matched on chain.
    assert checked.ok
    assert reconciled.ok
    assert parked == []
    assert set(ignored) == {"platform_issuance"} and len(ignored) == len(Asset)

    assert intruder_view.status_code == 403
    assert admin_view.status_code == 200
    key_files = list((settings.resolved_keys_dir / "demo").iterdir())
    assert len(key_files) == 1 + 5 + len(COMPANIES)  # admin, collectors, company payouts
    assert {stat.S_IMODE(path.stat().st_mode) for path in key_files} == {0o600}

    # Only into an empty database.
    assert not await load_demo_if_empty(settings)


def test_demo_cards_are_the_same_every_time() -> None:
    def generate() -> list[tuple[str, str, dict[str, int], str | None]]:
        rng = random.Random(SEED)
        return [
            (c.name, c.rarity, c.attributes.model_dump(), c.owner_id)
            for spec in COMPANIES
            for c in demo_cards(spec.ticker, spec, rng, ["u1", "u2"])
        ]

    assert generate() == generate()
    assert len(generate()) >= 300
