"""Personal data: the export holds every row that names you and nothing secret; erasure leaves
no personal field readable while the ledger, sales, audit chain and reconciliation stay whole."""

from __future__ import annotations

import csv
import io
import json
import zipfile
from typing import Any

import httpx
from fastapi import FastAPI
from sqlalchemy import select

from ece import models
from ece.audit import service as audit
from ece.auth.models import Credential, Role, User
from ece.core.money import Asset
from ece.ledger import service as ledger
from ece.ledger.models import OwnerType, TransferCode
from ece.ledger.service import TransferSpec
from ece.payments import service as payments
from ece.privacy.service import SKIPPED_TABLES, pseudonym
from ece.settlement.models import Sale
from tests.builders import SignedInUser, grant, sign_in
from tests.market.support import (
    buyer,
    ledger_ok,
    list_card,
    minted_card,
    open_market,
    usdc,
    user_balance,
)

NAME = "Zelda Quartermain"
EMAIL = "zelda.q@example.org"


async def _profile(client: httpx.AsyncClient, user: SignedInUser) -> None:
    response = await client.patch(
        "/api/v1/users/me", headers=user.headers, json={"display_name": NAME, "email": EMAIL}
    )
    assert response.status_code == 200, response.text


async def _rows_naming(app: FastAPI, *values: str) -> dict[str, int]:
    """Independently of the export: per table, the rows with any text column equal to a value."""
    found: dict[str, int] = {}
    async with app.state.services.db.unit_of_work(write=False) as session:
        for table in models.Base.metadata.sorted_tables:
            for row in (await session.execute(select(table))).mappings():
                if any(isinstance(v, str) and v in values for v in row.values()):
                    found[table.name] = found.get(table.name, 0) + 1
    return found


async def _rows_containing(app: FastAPI, *needles: str) -> list[tuple[str, str]]:
    """Every (table, column) whose value contains one of ``needles`` anywhere, JSON included."""
    hits: list[tuple[str, str]] = []
    async with app.state.services.db.unit_of_work(write=False) as session:
        for table in models.Base.metadata.sorted_tables:
            for row in (await session.execute(select(table))).mappings():
                for column, value in row.items():
                    text = value if isinstance(value, str) else json.dumps(value, default=str)
                    if any(n in text for n in needles):
                        hits.append((table.name, str(column)))
    return hits


async def _traded(client: httpx.AsyncClient, app: FastAPI) -> tuple[SignedInUser, SignedInUser]:
    """A seller whose card a buyer bought: both have ledger entries, a sale and card history."""
    market = await open_market(client, app)
    seller = await sign_in(client)
    await _profile(client, seller)
    granted = await client.put(
        f"/api/v1/admin/users/{seller.user['id']}/roles",
        headers=market.admin.headers,
        json={"roles": ["user", "developer"]},
    )
    assert granted.status_code == 200, granted.text  # an audit entry about the seller
    card_id = await minted_card(client, market, seller)
    listing = await list_card(client, seller, card_id, "25")
    alice = await buyer(client, app, "100")
    bought = await client.post(
        f"/api/v1/listings/{listing['id']}/buy", headers=alice.headers, json={}
    )
    assert bought.status_code == 201, bought.text
    return seller, alice


async def _withdraw_all(app: FastAPI, user_id: str) -> None:
    """Empty the user's USDC account to custody, as a confirmed withdrawal would."""
    async with app.state.services.db.unit_of_work() as session:
        account = await ledger.user_account(session, user_id, Asset.USDC)
        available = (await ledger.balance(session, account)).available
        custody = await ledger.account_for(session, OwnerType.custody, "solana", Asset.USDC)
        await ledger.create_transfers(
            session,
            [
                TransferSpec(
                    f"test-withdraw-{user_id}",
                    account,
                    custody,
                    Asset.USDC,
                    available,
                    TransferCode.withdrawal,
                )
            ],
        )


async def test_export_holds_every_row_naming_the_user_and_no_secret(
    app: FastAPI, client: httpx.AsyncClient
) -> None:
    seller, _alice = await _traded(client, app)

    response = await client.get("/api/v1/users/me/export", headers=seller.headers)

    assert response.status_code == 200, response.text
    assert "attachment" in response.headers["content-disposition"]
    body: dict[str, Any] = response.json()
    assert body["user_id"] == seller.user["id"]
    tables = body["tables"]
    expected = await _rows_naming(app, seller.user["id"], seller.address)
    for name in SKIPPED_TABLES:
        expected.pop(name, None)
    expected.pop("ledger_transfers", None)  # found through the accounts, checked below
    assert {name: len(tables.get(name, [])) for name in expected} == expected
    for name in ("users", "credentials", "ledger_accounts", "sales", "listings", "card_events"):
        assert tables.get(name), name
    assert tables["users"][0]["email"] == EMAIL and tables["users"][0]["display_name"] == NAME
    # The sale paid the seller: that credit is among the exported ledger entries.
    assert any(t["amount"] == usdc("23.125") for t in tables["ledger_transfers"])
    assert any(
        e["action"] == "user.roles_changed" and e["object_id"] == seller.user["id"]
        for e in tables["audit_log"]
    )
    # Session metadata without its secret: neither the token nor its hash appears.
    text = response.text
    assert seller.token not in text
    async with app.state.services.db.unit_of_work(write=False) as session:
        hashes = list(
            await session.scalars(
                select(Credential.token_hash).where(Credential.user_id == seller.user["id"])
            )
        )
    assert hashes and not any(h in text for h in hashes)
    assert all(c["token_hash"] == "[sealed]" for c in tables["credentials"])


async def test_the_zip_export_holds_the_same_rows_as_csv_files(
    app: FastAPI, client: httpx.AsyncClient
) -> None:
    seller, _alice = await _traded(client, app)
    as_json = (await client.get("/api/v1/users/me/export", headers=seller.headers)).json()

    response = await client.get(
        "/api/v1/users/me/export", params={"format": "zip"}, headers=seller.headers
    )

    assert response.status_code == 200, response.text
    assert response.headers["content-type"] == "application/zip"
    assert 'filename="ece-personal-data.zip"' in response.headers["content-disposition"]
    archive = zipfile.ZipFile(io.BytesIO(response.content))
    manifest = json.loads(archive.read("manifest.json"))
    assert (manifest["format"], manifest["user_id"]) == (
        "ece.personal-data-export",
        seller.user["id"],
    )
    csvs = {
        name.removesuffix(".csv"): list(csv.DictReader(io.StringIO(archive.read(name).decode())))
        for name in archive.namelist()
        if name.endswith(".csv")
    }
    # Every table row naming the user, counted independently of the export.
    expected = await _rows_naming(app, seller.user["id"], seller.address)
    for name in SKIPPED_TABLES:
        expected.pop(name, None)
    expected.pop("ledger_transfers", None)
    assert {name: len(csvs.get(name, [])) for name in expected} == expected
    assert (
        {name: len(rows) for name, rows in csvs.items()}
        == {name: len(rows) for name, rows in as_json["tables"].items()}
        == {name.removesuffix(".csv"): n for name, n in manifest["files"].items()}
    )
    for name, rows in as_json["tables"].items():
        if rows and "id" in rows[0]:
            assert [r["id"] for r in csvs[name]] == [str(r["id"]) for r in rows], name
    user = csvs["users"][0]
    assert (user["email"], user["display_name"], user["address"]) == (EMAIL, NAME, seller.address)
    assert any(t["amount"] == str(usdc("23.125")) for t in csvs["ledger_transfers"])
    assert all(c["token_hash"] == "[sealed]" for c in csvs["credentials"])
    assert seller.token.encode() not in response.content


async def test_a_bad_export_format_is_refused(app: FastAPI, client: httpx.AsyncClient) -> None:
    user = await sign_in(client)
    refused = await client.get(
        "/api/v1/users/me/export", params={"format": "xml"}, headers=user.headers
    )
    assert refused.status_code == 422
    assert refused.headers["content-type"].startswith("application/problem+json")


async def test_another_users_export_cannot_be_had(app: FastAPI, client: httpx.AsyncClient) -> None:
    seller, alice = await _traded(client, app)

    by_path = await client.get(f"/api/v1/users/{seller.user['id']}/export", headers=alice.headers)
    by_query = await client.get(
        "/api/v1/users/me/export",
        params={"user_id": seller.user["id"]},
        headers=alice.headers,
    )
    anonymous = await client.get("/api/v1/users/me/export")

    assert by_path.status_code in (404, 405)
    assert by_query.status_code == 200 and by_query.json()["user_id"] == alice.user["id"]
    assert seller.address not in by_query.text and EMAIL not in by_query.text
    assert anonymous.status_code == 401
    assert anonymous.headers["content-type"].startswith("application/problem+json")


async def test_erase_is_refused_with_a_balance_or_an_open_listing(
    app: FastAPI, client: httpx.AsyncClient
) -> None:
    _seller, alice = await _traded(client, app)
    market = await open_market(client, app)
    lister = await sign_in(client)
    await list_card(client, lister, await minted_card(client, market, lister), "5")

    rich = await client.delete("/api/v1/users/me", headers=alice.headers)
    listed = await client.delete("/api/v1/users/me", headers=lister.headers)

    assert rich.status_code == 409 and rich.json()["code"] == "erase_balance_not_zero"
    assert "cards" in rich.json()["holdings"] and "USDC" in rich.json()["holdings"]
    assert listed.status_code == 409 and listed.json()["code"] == "erase_open_orders"
    assert listed.json()["open"] == ["listings"]
    # Nothing changed: both still sign in as themselves.
    for user in (alice, lister):
        me = await client.get("/api/v1/users/me", headers=user.headers)
        assert me.status_code == 200 and me.json()["address"] == user.address
    assert (await user_balance(app, alice.user["id"])).available == usdc("75")


async def test_erase_leaves_no_personal_field_and_keeps_money_and_audit_whole(
    app: FastAPI, client: httpx.AsyncClient
) -> None:
    seller, _alice = await _traded(client, app)
    await _withdraw_all(app, seller.user["id"])
    uid = seller.user["id"]
    services = app.state.services
    before = await payments.reconcile(services.db, services.chain, services.platform)
    assert await ledger_ok(app)

    response = await client.delete("/api/v1/users/me", headers=seller.headers)

    assert response.status_code == 204, response.text
    # Every session stops at once.
    assert (await client.get("/api/v1/users/me", headers=seller.headers)).status_code == 401
    # No name, email or wallet address left anywhere, the audit log included
    # (tests/audit/test_erasure.py: entries naming the address keep their hash).
    hits = await _rows_containing(app, seller.address, NAME, EMAIL)
    assert hits == []
    async with services.db.unit_of_work(write=False) as session:
        user = await session.get(User, uid)
        assert user is not None
        assert (user.address, user.display_name, user.email) == (pseudonym(uid), None, None)
        # The sale and the seller's ledger history stay, under the anonymous id.
        sale = await session.scalar(select(Sale).where(Sale.seller_id == uid))
        assert sale is not None and sale.price == usdc("25")
        assert (await audit.verify(session)).ok
    assert await ledger_ok(app)
    after = await payments.reconcile(services.db, services.chain, services.platform)
    assert after.ok == before.ok
    assert [(a.asset, a.difference) for a in after.assets] == [
        (a.asset, a.difference) for a in before.assets
    ]
    assert after.cards.missing == before.cards.missing
    # The same wallet signing in again is a new, empty account.
    again = await sign_in(client, seller.keypair)
    assert again.user["id"] != uid


async def test_an_api_key_can_neither_export_nor_erase(
    app: FastAPI, client: httpx.AsyncClient
) -> None:
    owner = await sign_in(client)
    await grant(app, owner.address, Role.developer)
    created = await client.post(
        "/api/v1/users/me/api-keys",
        json={"name": "bot", "scopes": ["read", "trade", "withdraw"]},
        headers=owner.headers,
    )
    assert created.status_code == 201, created.text
    key = {"Authorization": f"Bearer {created.json()['key']}"}

    exported = await client.get("/api/v1/users/me/export", headers=key)
    erased = await client.delete("/api/v1/users/me", headers=key)

    for response in (exported, erased):
        assert response.status_code == 403 and response.json()["code"] == "session_required"
    me = await client.get("/api/v1/users/me", headers=owner.headers)
    assert me.status_code == 200 and me.json()["address"] == owner.address


async def test_erase_is_refused_while_an_offer_holds_funds(
    app: FastAPI, client: httpx.AsyncClient
) -> None:
    market = await open_market(client, app)
    owner = await sign_in(client)
    card_id = await minted_card(client, market, owner)
    bidder = await buyer(client, app, "30")
    made = await client.post(
        "/api/v1/offers",
        json={"card_id": card_id, "price": "30", "currency": "USDC"},
        headers=bidder.headers,
    )
    assert made.status_code == 201, made.text
    assert (await user_balance(app, bidder.user["id"])).available == 0

    response = await client.delete("/api/v1/users/me", headers=bidder.headers)

    assert response.status_code == 409 and response.json()["code"] == "erase_open_orders"
    assert response.json()["open"] == ["offers"]
    assert (await user_balance(app, bidder.user["id"])).held == usdc("30")
    offer = await client.get(f"/api/v1/offers/{made.json()['id']}")
    assert offer.json()["status"] == "active"
