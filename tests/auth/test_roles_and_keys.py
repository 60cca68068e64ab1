"""Roles, admin routes, profile and developer API keys."""

from __future__ import annotations

import httpx
from fastapi import FastAPI
from solders.keypair import Keypair

from ece.auth.models import Role
from tests.builders import grant, make_admin, sign_in


async def test_user_cannot_change_own_roles(client: httpx.AsyncClient) -> None:
    user = await sign_in(client)
    via_profile = await client.patch(
        "/api/v1/users/me", json={"roles": ["admin"]}, headers=user.headers
    )
    assert via_profile.status_code == 422
    via_admin = await client.put(
        f"/api/v1/admin/users/{user.user['id']}/roles",
        json={"roles": ["admin"]},
        headers=user.headers,
    )
    assert via_admin.status_code == 403
    me = await client.get("/api/v1/users/me", headers=user.headers)
    assert me.json()["roles"] == ["user"]


async def test_non_admin_gets_403_on_admin_routes(client: httpx.AsyncClient) -> None:
    user = await sign_in(client)
    response = await client.get("/api/v1/admin/users", headers=user.headers)
    assert response.status_code == 403
    assert response.json()["code"] == "forbidden"
    anonymous = await client.get("/api/v1/admin/users")
    assert anonymous.status_code == 401


async def test_admin_lists_users_and_sets_roles(client: httpx.AsyncClient, app: FastAPI) -> None:
    admin = await make_admin(client, app)
    users = [await sign_in(client) for _ in range(3)]
    first = await client.get("/api/v1/admin/users?limit=2", headers=admin.headers)
    assert first.status_code == 200
    page = first.json()
    assert len(page["items"]) == 2 and page["next_cursor"]
    second = await client.get(
        f"/api/v1/admin/users?limit=2&cursor={page['next_cursor']}", headers=admin.headers
    )
    seen = [u["id"] for u in page["items"]] + [u["id"] for u in second.json()["items"]]
    assert len(seen) == len(set(seen)) == 4
    target = users[0]
    changed = await client.put(
        f"/api/v1/admin/users/{target.user['id']}/roles",
        json={"roles": ["compliance", "treasury_signer"]},
        headers=admin.headers,
    )
    assert changed.status_code == 200
    assert changed.json()["roles"] == ["compliance", "treasury_signer", "user"]
    bad = await client.put(
        f"/api/v1/admin/users/{target.user['id']}/roles",
        json={"roles": ["emperor"]},
        headers=admin.headers,
    )
    assert bad.status_code == 422
    missing = await client.put(
        "/api/v1/admin/users/nope/roles", json={"roles": []}, headers=admin.headers
    )
    assert missing.status_code == 404


async def test_bad_cursor_is_a_422(client: httpx.AsyncClient, app: FastAPI) -> None:
    admin = await make_admin(client, app)
    response = await client.get("/api/v1/admin/users?cursor=!!!", headers=admin.headers)
    assert response.status_code == 422
    assert response.json()["code"] == "invalid_cursor"


async def test_admin_addresses_setting_grants_admin_at_sign_in(
    client: httpx.AsyncClient, app: FastAPI
) -> None:
    keypair = Keypair()
    app.state.services.settings.admin_addresses = [str(keypair.pubkey())]
    user = await sign_in(client, keypair)
    assert "admin" in user.user["roles"]


async def test_profile_validation(client: httpx.AsyncClient) -> None:
    user = await sign_in(client)
    ok = await client.patch(
        "/api/v1/users/me",
        json={"display_name": "Grace", "email": "grace@example.com"},
        headers=user.headers,
    )
    assert ok.status_code == 200
    assert ok.json()["email"] == "grace@example.com"
    for body in ({"email": "not-an-email"}, {"display_name": ""}, {"display_name": "<b>x</b>"}):
        bad = await client.patch("/api/v1/users/me", json=body, headers=user.headers)
        assert bad.status_code == 422, body
    me = await client.get("/api/v1/users/me", headers=user.headers)
    assert me.json()["display_name"] == "Grace"


async def test_api_keys_for_developers(client: httpx.AsyncClient, app: FastAPI) -> None:
    user = await sign_in(client)
    refused = await client.post(
        "/api/v1/users/me/api-keys", json={"name": "bot", "scopes": ["read"]}, headers=user.headers
    )
    assert refused.status_code == 403
    await grant(app, user.address, Role.developer)
    created = await client.post(
        "/api/v1/users/me/api-keys", json={"name": "bot", "scopes": ["read"]}, headers=user.headers
    )
    assert created.status_code == 201, created.text
    key = created.json()["key"]
    key_headers = {"Authorization": f"Bearer {key}"}
    me = await client.get("/api/v1/users/me", headers=key_headers)
    assert me.status_code == 200 and me.json()["address"] == user.address
    listed = await client.get("/api/v1/users/me/api-keys", headers=user.headers)
    assert [k["name"] for k in listed.json()] == ["bot"]
    assert "key" not in listed.json()[0]
    assert key not in listed.text
    revoked = await client.delete(
        f"/api/v1/users/me/api-keys/{created.json()['id']}", headers=user.headers
    )
    assert revoked.status_code == 204
    assert (await client.get("/api/v1/users/me", headers=key_headers)).status_code == 401


async def test_cannot_revoke_someone_elses_key(client: httpx.AsyncClient, app: FastAPI) -> None:
    owner = await sign_in(client)
    await grant(app, owner.address, Role.developer)
    created = await client.post(
        "/api/v1/users/me/api-keys",
        json={"name": "mine", "scopes": ["read"]},
        headers=owner.headers,
    )
    other = await sign_in(client)
    response = await client.delete(
        f"/api/v1/users/me/api-keys/{created.json()['id']}", headers=other.headers
    )
    assert response.status_code == 404
    key_headers = {"Authorization": f"Bearer {created.json()['key']}"}
    assert (await client.get("/api/v1/users/me", headers=key_headers)).status_code == 200
