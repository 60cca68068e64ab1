"""`ece demo`: companies, cards really minted on the embedded chain, and collectors owning some."""

from __future__ import annotations

import random
from collections import Counter

import httpx
from solders.pubkey import Pubkey

from ece.app import create_app, shutdown, startup
from ece.config import Settings
from ece.demo import COMPANIES, SEED, demo_cards, load_demo_if_empty


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
        supply = await app.state.chain.get_token_supply(Pubkey.from_string(str(cards[-1]["mint"])))
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
