"""API key scopes (issue 14 finding 6): a key does only what it was made for, never manages
keys, never reaches the faucet or staff routes, and dies with its owner's developer role."""

from __future__ import annotations

from typing import Any

import httpx
import pytest
from fastapi import FastAPI
from solders.keypair import Keypair

from ece.auth import service as auth_service
from ece.auth.models import Role
from tests.builders import SignedInUser, grant, sign_in

DESTINATION = str(Keypair().pubkey())


async def _developer(client: httpx.AsyncClient, app: FastAPI, *roles: Role) -> SignedInUser:
    user = await sign_in(client)
    await grant(app, user.address, Role.developer, *roles)
    return user


async def _key(client: httpx.AsyncClient, owner: SignedInUser, *scopes: str) -> dict[str, str]:
    created = await client.post(
        "/api/v1/users/me/api-keys",
        json={"name": "bot", "scopes": list(scopes)},
        headers=owner.headers,
    )
    assert created.status_code == 201, created.text
    assert created.json()["scopes"] == sorted(set(scopes))
    return {"Authorization": f"Bearer {created.json()['key']}"}


def _refused(response: httpx.Response, code: str) -> None:
    assert response.status_code == 403, (response.request.url, response.text)
    assert response.json()["code"] == code


def _let_through(response: httpx.Response) -> None:
    """Past authentication and authorization (the request may still fail on its merits)."""
    assert response.status_code not in (401, 403), (response.request.url, response.text)


@pytest.mark.parametrize(
    "body",
    [{"name": "bot"}, {"name": "bot", "scopes": []}, {"name": "bot", "scopes": ["admin"]}],
)
async def test_a_key_needs_explicit_known_scopes(
    client: httpx.AsyncClient, app: FastAPI, body: dict[str, Any]
) -> None:
    owner = await _developer(client, app)
    response = await client.post("/api/v1/users/me/api-keys", json=body, headers=owner.headers)
    assert response.status_code == 422, response.text


async def test_a_key_cannot_mint_list_or_revoke_keys(
    client: httpx.AsyncClient, app: FastAPI
) -> None:
    owner = await _developer(client, app)
    key = await _key(client, owner, "read", "trade", "withdraw")
    minted = await client.post(
        "/api/v1/users/me/api-keys", json={"name": "more", "scopes": ["read"]}, headers=key
    )
    _refused(minted, "session_required")
    _refused(await client.get("/api/v1/users/me/api-keys", headers=key), "session_required")
    listed = await client.get("/api/v1/users/me/api-keys", headers=owner.headers)
    assert len(listed.json()) == 1  # nothing was minted
    revoked = await client.delete(
        f"/api/v1/users/me/api-keys/{listed.json()[0]['id']}", headers=key
    )
    _refused(revoked, "session_required")
    _refused(
        await client.patch("/api/v1/users/me", json={"email": "x@evil.example"}, headers=key),
        "session_required",
    )


async def test_a_key_cannot_use_the_faucet_or_staff_routes(
    client: httpx.AsyncClient, app: FastAPI
) -> None:
    owner = await _developer(client, app, Role.admin)
    key = await _key(client, owner, "read", "trade", "withdraw")
    faucet = {"asset": "USDC", "amount": "5"}
    _refused(await client.post("/api/v1/dev/faucet", json=faucet, headers=key), "session_required")
    _refused(await client.get("/api/v1/admin/users", headers=key), "session_required")
    roles = await client.put(
        f"/api/v1/admin/users/{owner.user['id']}/roles",
        json={"roles": ["admin", "developer"]},
        headers=key,
    )
    _refused(roles, "session_required")
    _refused(await client.get("/api/v1/admin/reconciliation", headers=key), "session_required")
    company = {"name": "Evil", "ticker": "EVIL", "sector": "tech"}
    _refused(await client.post("/api/v1/companies", json=company, headers=key), "session_required")
    # The owner's session can do all of it.
    _let_through(await client.get("/api/v1/admin/users", headers=owner.headers))
    _let_through(await client.post("/api/v1/dev/faucet", json=faucet, headers=owner.headers))


async def test_withdrawals_need_the_withdraw_scope(client: httpx.AsyncClient, app: FastAPI) -> None:
    owner = await _developer(client, app)
    body = {"asset": "USDC", "amount": "5", "destination": DESTINATION}
    trader = await _key(client, owner, "read", "trade")
    _refused(
        await client.post("/api/v1/withdrawals", json=body, headers=trader), "insufficient_scope"
    )
    withdrawer = await _key(client, owner, "withdraw")
    _let_through(await client.post("/api/v1/withdrawals", json=body, headers=withdrawer))
    # withdraw alone does not read: listing them needs read.
    _refused(await client.get("/api/v1/withdrawals", headers=withdrawer), "insufficient_scope")


async def test_value_moving_trading_routes_need_the_trade_scope(
    client: httpx.AsyncClient, app: FastAPI
) -> None:
    owner = await _developer(client, app)
    reader = await _key(client, owner, "read")
    trader = await _key(client, owner, "trade")
    writes = [
        ("POST", "/api/v1/listings", {"card_id": "0" * 32, "price": "5", "currency": "USDC"}),
        ("POST", f"/api/v1/listings/{'0' * 32}/buy", {}),
        ("POST", "/api/v1/offers", {"card_id": "0" * 32, "price": "5", "currency": "USDC"}),
        ("POST", "/api/v1/trades", {"to": DESTINATION, "give": {"USDC": "1"}, "want": {}}),
        ("POST", "/api/v1/deposits", {"asset": "USDC", "amount": "5"}),
        ("DELETE", f"/api/v1/listings/{'0' * 32}", None),
    ]
    for method, url, body in writes:
        _refused(await client.request(method, url, json=body, headers=reader), "insufficient_scope")
        _let_through(await client.request(method, url, json=body, headers=trader))


async def test_reads_need_the_read_scope(client: httpx.AsyncClient, app: FastAPI) -> None:
    owner = await _developer(client, app)
    trader = await _key(client, owner, "trade")
    reader = await _key(client, owner, "read")
    for url in ["/api/v1/users/me", "/api/v1/users/me/balances", "/api/v1/deposits"]:
        _refused(await client.get(url, headers=trader), "insufficient_scope")
        assert (await client.get(url, headers=reader)).status_code == 200
    # A key of any scope may end itself.
    assert (await client.post("/api/v1/auth/logout", headers=trader)).status_code == 204
    assert (await client.get("/api/v1/users/me", headers=trader)).status_code == 401


async def test_keys_die_when_an_admin_takes_the_developer_role(
    client: httpx.AsyncClient, app: FastAPI
) -> None:
    admin = await _developer(client, app, Role.admin)
    owner = await _developer(client, app)
    key = await _key(client, owner, "read")
    assert (await client.get("/api/v1/users/me", headers=key)).status_code == 200
    demoted = await client.put(
        f"/api/v1/admin/users/{owner.user['id']}/roles", json={"roles": []}, headers=admin.headers
    )
    assert demoted.status_code == 200, demoted.text
    assert (await client.get("/api/v1/users/me", headers=key)).status_code == 401
    # Granting the role again does not bring the old key back.
    await grant(app, owner.address, Role.developer)
    assert (await client.get("/api/v1/users/me", headers=key)).status_code == 401
    listed = await client.get("/api/v1/users/me/api-keys", headers=owner.headers)
    assert [k["revoked"] for k in listed.json()] == [True]


async def test_keys_die_when_the_cli_revokes_the_developer_role(
    client: httpx.AsyncClient, app: FastAPI
) -> None:
    owner = await _developer(client, app)
    key = await _key(client, owner, "read")
    async with app.state.services.db.unit_of_work() as session:  # what `ece admin revoke` runs
        await auth_service.revoke_role(session, owner.address, Role.developer)
    assert (await client.get("/api/v1/users/me", headers=key)).status_code == 401
    await grant(app, owner.address, Role.developer)
    assert (await client.get("/api/v1/users/me", headers=key)).status_code == 401


async def test_a_key_whose_owner_lost_the_role_by_any_path_stops_working(
    client: httpx.AsyncClient, app: FastAPI
) -> None:
    from sqlalchemy import delete

    from ece.auth.models import UserRole

    owner = await _developer(client, app)
    key = await _key(client, owner, "read")
    async with app.state.services.db.unit_of_work() as session:  # not through any role service
        await session.execute(delete(UserRole).where(UserRole.user_id == owner.user["id"]))
    response = await client.get("/api/v1/users/me", headers=key)
    assert response.status_code == 401
    assert response.json()["code"] == "invalid_token"
    assert (await client.get("/api/v1/users/me", headers=owner.headers)).status_code == 200
