"""Minting: a real Token-2022 NFT on the embedded chain, content-addressed metadata and art."""

from __future__ import annotations

import json
from typing import Any

import httpx
import pytest
from fastapi import FastAPI
from solana.rpc.async_api import AsyncClient
from solders.pubkey import Pubkey
from sqlalchemy import func, select

from ece.cards.blockstore import cid_for
from ece.cards.models import Card, CardEvent
from ece.chain.protocol import TransactionFailed
from ece.chain.tokens.nft import TOKEN_2022_PROGRAM_ID
from ece.chain.tokens.nft_decoder import decode_token2022_mint
from tests.builders import make_admin, sign_in
from tests.cards.cards_builders import (
    STATS,
    card_body,
    company_body,
    make_company,
    mint,
)
from tests.http_server import serve_over_http


async def count_rows(app: FastAPI) -> tuple[int, int]:
    async with app.state.services.db.unit_of_work(write=False) as session:
        cards = await session.scalar(select(func.count()).select_from(Card))
        events = await session.scalar(select(func.count()).select_from(CardEvent))
    return int(cards or 0), int(events or 0)


async def custody_card_accounts(app: FastAPI) -> int:
    accounts = await app.state.services.chain.get_token_accounts_by_owner(
        app.state.services.platform.custody_owner, program_id=TOKEN_2022_PROGRAM_ID
    )
    return len(accounts)


async def test_minted_card_reads_back_through_solana_rpc_as_a_fixed_supply_nft(
    app: FastAPI, client: httpx.AsyncClient
) -> None:
    admin = await make_admin(client, app)
    company = await make_company(client, admin)
    card = await mint(client, admin, company["id"], name="Acme Founders", rarity="legendary")
    assert card["serial"] == "#1/10"
    assert card["metadata_uri"].startswith("ipfs://")
    cid = card["metadata_uri"].removeprefix("ipfs://")

    with serve_over_http(app) as base:
        rpc = AsyncClient(f"{base}/rpc")
        mint_address = Pubkey.from_string(card["mint"])
        account = (await rpc.get_account_info(mint_address)).value
        assert account is not None
        assert account.owner == TOKEN_2022_PROGRAM_ID
        onchain = decode_token2022_mint(bytes(account.data))
        supply = (await rpc.get_token_supply(mint_address)).value
        async with httpx.AsyncClient(base_url=base) as http:
            metadata_response = await http.get(f"/ipfs/{cid}")

    assert (supply.amount, supply.decimals) == ("1", 0)
    assert onchain.supply == 1 and onchain.decimals == 0
    assert onchain.mint_authority is None
    assert onchain.metadata_pointer is not None
    assert onchain.metadata_pointer.metadata_address == mint_address
    assert onchain.token_metadata is not None
    assert onchain.token_metadata.name == "Acme Founders"
    assert onchain.token_metadata.symbol == "ACME"
    assert onchain.token_metadata.uri == card["metadata_uri"]
    assert ("serial", "#1/10") in onchain.token_metadata.additional_metadata

    # The URI's content hashes to its CID, and is the card's metadata.
    assert metadata_response.status_code == 200
    assert metadata_response.headers["content-type"].startswith("application/json")
    assert cid_for(metadata_response.content) == cid
    metadata = json.loads(metadata_response.content)
    assert metadata["name"] == "Acme Founders"
    assert metadata["symbol"] == "ACME"
    assert metadata["image"] == card["image_url"]
    assert card["image_url"].endswith(f"/api/v1/cards/{card['id']}/image.svg")
    attributes = {a["trait_type"]: a["value"] for a in metadata["attributes"]}
    assert attributes["Power"] == STATS["power"]
    assert attributes["Serial"] == "#1/10"
    # The art is stored by content address too, and is what the image endpoint serves.
    art_uri = next(f["uri"] for f in metadata["properties"]["files"] if f["uri"].startswith("ipfs"))
    image = await client.get(f"/api/v1/cards/{card['id']}/image.svg")
    assert image.status_code == 200
    assert image.headers["content-type"] == "image/svg+xml"
    assert cid_for(image.content) == art_uri.removeprefix("ipfs://")
    assert b"ACME" in image.content


async def test_card_shape_owner_and_history_after_mint(
    app: FastAPI, client: httpx.AsyncClient
) -> None:
    admin = await make_admin(client, app)
    collector = await sign_in(client)
    company = await make_company(client, admin)
    issued = await mint(client, admin, company["id"])
    owned = await mint(client, admin, company["id"], owner_id=collector.user["id"])

    assert issued["owner"] == {
        "kind": "issuer",
        "id": company["id"],
        "address": None,
        "display_name": "Acme Rockets (issuer)",
    }
    assert owned["owner"]["kind"] == "user"
    assert owned["owner"]["address"] == collector.address
    assert issued["status"] == "available"
    assert issued["attributes"] == STATS
    assert issued["company"]["ticker"] == "ACME"
    assert issued["last_sale"] is None
    assert (issued["serial"], owned["serial"]) == ("#1/250", "#2/250")

    fetched = (await client.get(f"/api/v1/cards/{owned['id']}")).json()
    assert fetched == owned
    history = (await client.get(f"/api/v1/cards/{owned['id']}/history")).json()["items"]
    assert [e["kind"] for e in history] == ["mint"]
    assert history[0]["to_owner"]["id"] == collector.user["id"]
    assert history[0]["ref"]  # the mint transaction's signature

    mine = (await client.get("/api/v1/users/me/cards", headers=collector.headers)).json()
    assert [c["id"] for c in mine["items"]] == [owned["id"]]


async def test_serials_count_per_company_and_rarity(
    app: FastAPI, client: httpx.AsyncClient
) -> None:
    admin = await make_admin(client, app)
    acme = await make_company(client, admin)
    bolt = await make_company(client, admin, ticker="BOLT", name="Bolt")
    serials = [
        (await mint(client, admin, company_id, rarity=rarity))["serial"]
        for company_id, rarity in [
            (acme["id"], "epic"),
            (acme["id"], "epic"),
            (acme["id"], "common"),
            (bolt["id"], "epic"),
        ]
    ]
    assert serials == ["#1/50", "#2/50", "#1/1000", "#1/50"]


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"company_id": "0" * 32}, None),
        ({"rarity": "mythic"}, "rarity"),
        ({"attributes": {**STATS, "power": 101}}, "attributes.power"),
        ({"attributes": {**STATS, "power": -1}}, "attributes.power"),
        ({"attributes": {**STATS, "power": True}}, "attributes.power"),
        ({"attributes": {k: v for k, v in STATS.items() if k != "growth"}}, "attributes.growth"),
        ({"name": "x" * 33}, "name"),
        ({"name": "é" * 17}, "name"),  # 17 characters, 34 bytes: over the on-chain limit
        ({"owner_id": "f" * 32}, None),
    ],
)
async def test_bad_input_is_a_422_problem_and_mints_nothing(
    app: FastAPI, client: httpx.AsyncClient, change: dict[str, Any], field: str | None
) -> None:
    admin = await make_admin(client, app)
    company = await make_company(client, admin)
    body = {**card_body(company["id"]), **change}
    response = await client.post("/api/v1/cards", json=body, headers=admin.headers)
    assert response.status_code == 422, response.text
    assert response.headers["content-type"] == "application/problem+json"
    problem = response.json()
    if field is None:
        assert problem["code"] in {"unknown_company", "unknown_owner"}
    else:
        assert problem["code"] == "validation_error"
        assert field in [p["name"] for p in problem["invalid_params"]]
    assert await count_rows(app) == (0, 0)
    assert await custody_card_accounts(app) == 0


async def test_company_with_a_bad_payout_pubkey_is_refused(
    app: FastAPI, client: httpx.AsyncClient
) -> None:
    admin = await make_admin(client, app)
    for bad in ["not-a-key", "0" * 44, str(Pubkey.default()) + "1"]:
        response = await client.post(
            "/api/v1/companies",
            json={**company_body(), "payout_address": bad},
            headers=admin.headers,
        )
        assert response.status_code == 422, bad
        assert response.json()["invalid_params"][0]["name"] == "payout_address"


async def test_chain_failure_is_a_502_problem_and_writes_nothing(
    app: FastAPI, client: httpx.AsyncClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    admin = await make_admin(client, app)
    company = await make_company(client, admin)

    async def refuse(*_args: Any, **_kwargs: Any) -> Any:
        raise TransactionFailed("AccountInUse")

    monkeypatch.setattr(app.state.services.chain, "send_transaction", refuse)
    response = await client.post(
        "/api/v1/cards", json=card_body(company["id"]), headers=admin.headers
    )
    assert response.status_code == 502
    assert response.json()["code"] == "chain_error"
    assert await count_rows(app) == (0, 0)


async def test_only_admins_mint_and_create_companies(
    app: FastAPI, client: httpx.AsyncClient
) -> None:
    admin = await make_admin(client, app)
    user = await sign_in(client)
    company = await make_company(client, admin)
    minted = await client.post("/api/v1/cards", json=card_body(company["id"]), headers=user.headers)
    assert minted.status_code == 403
    anonymous = await client.post("/api/v1/cards", json=card_body(company["id"]))
    assert anonymous.status_code == 401
    created = await client.post(
        "/api/v1/companies", json=company_body() | {"ticker": "NOPE"}, headers=user.headers
    )
    assert created.status_code == 403


async def test_batch_mints_in_chunks_and_checks_everything_first(
    app: FastAPI, client: httpx.AsyncClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("ece.cards.minting.BATCH_CHUNK", 2)
    admin = await make_admin(client, app)
    company = await make_company(client, admin)
    cards = [card_body(company["id"], name=f"Acme {i}", rarity="legendary") for i in range(5)]

    # One bad card in the batch: nothing at all is minted.
    bad = [*cards, card_body("0" * 32)]
    refused = await client.post("/api/v1/cards/batch", json={"cards": bad}, headers=admin.headers)
    assert refused.status_code == 422
    assert refused.json()["code"] == "unknown_company"
    assert await count_rows(app) == (0, 0)

    # More legendaries than the edition has left: refused up front too.
    too_many = [card_body(company["id"], rarity="legendary") for _ in range(11)]
    sold_out = await client.post(
        "/api/v1/cards/batch", json={"cards": too_many}, headers=admin.headers
    )
    assert sold_out.status_code == 409
    assert sold_out.json()["code"] == "edition_sold_out"
    assert await count_rows(app) == (0, 0)

    response = await client.post(
        "/api/v1/cards/batch", json={"cards": cards}, headers=admin.headers
    )
    assert response.status_code == 201, response.text
    items = response.json()["items"]
    assert [c["name"] for c in items] == [f"Acme {i}" for i in range(5)]
    assert [c["serial"] for c in items] == [f"#{i}/10" for i in range(1, 6)]
    assert await count_rows(app) == (5, 5)
    assert await custody_card_accounts(app) == 5


async def test_batch_chain_failure_keeps_committed_chunks_and_says_which(
    app: FastAPI, client: httpx.AsyncClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("ece.cards.minting.BATCH_CHUNK", 2)
    admin = await make_admin(client, app)
    company = await make_company(client, admin)
    chain = app.state.services.chain
    real_send = chain.send_transaction
    sent = 0

    async def fail_third(*args: Any, **kwargs: Any) -> Any:
        nonlocal sent
        sent += 1
        if sent == 3:
            raise TransactionFailed("BlockhashNotFound")
        return await real_send(*args, **kwargs)

    monkeypatch.setattr(chain, "send_transaction", fail_third)
    cards = [card_body(company["id"], name=f"Acme {i}") for i in range(4)]
    response = await client.post(
        "/api/v1/cards/batch", json={"cards": cards}, headers=admin.headers
    )
    assert response.status_code == 502
    problem = response.json()
    assert problem["code"] == "chain_error"
    assert len(problem["minted"]) == 2
    assert await count_rows(app) == (2, 2)
    for card_id in problem["minted"]:
        assert (await client.get(f"/api/v1/cards/{card_id}")).status_code == 200
