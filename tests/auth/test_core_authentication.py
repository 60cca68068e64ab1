"""Authentication reads the credential, its user and their roles in one Core statement and puts
them into the request's session as loaded objects: what an endpoint then changes on the signed-in
user is written like any loaded row, and nothing is read twice."""

from __future__ import annotations

import httpx
from fastapi import FastAPI
from sqlalchemy import select

from ece.auth.models import User, UserRole
from ece.auth.rules import Role
from tests.builders import grant, make_admin, recorded_statements, sign_in


async def test_one_statement_authenticates_and_reads_the_roles(
    app: FastAPI, client: httpx.AsyncClient
) -> None:
    admin = await make_admin(client, app)
    with recorded_statements(app.state.services.db) as statements:
        me = await client.get("/api/v1/users/me", headers=admin.headers)
    assert me.status_code == 200 and "admin" in me.json()["roles"], me.text
    reads = [" ".join(s.split()).lower() for s in statements if s.split()[0].upper() != "BEGIN"]
    # The credential lookup alone, the roles joined in: no read of the user or roles after it.
    assert len(reads) == 1, reads
    assert "from credentials" in reads[0] and "user_roles" in reads[0], reads
    # An admin-only page: the roles came with that one statement too.
    page = await client.get("/api/v1/admin/users", headers=admin.headers)
    assert page.status_code == 200, page.text


async def test_a_profile_change_of_the_signed_in_user_is_stored(
    app: FastAPI, client: httpx.AsyncClient
) -> None:
    alice = await sign_in(client)
    changed = await client.patch(
        "/api/v1/users/me", headers=alice.headers, json={"display_name": "Alice"}
    )
    assert changed.status_code == 200 and changed.json()["display_name"] == "Alice"
    async with app.state.services.db.unit_of_work() as session:
        stored = await session.scalar(select(User.display_name).where(User.id == alice.user["id"]))
    assert stored == "Alice"
    again = await client.get("/api/v1/users/me", headers=alice.headers)
    assert again.json()["display_name"] == "Alice"


async def test_an_admin_changing_their_own_roles_changes_the_stored_rows(
    app: FastAPI, client: httpx.AsyncClient
) -> None:
    """The roles collection loaded with the credential is a real one: replacing it deletes and
    inserts ``user_roles`` rows (no duplicate key, no role left behind)."""
    admin = await make_admin(client, app)
    await grant(app, admin.address, Role.developer)
    url = f"/api/v1/admin/users/{admin.user['id']}/roles"
    changed = await client.put(url, headers=admin.headers, json={"roles": ["admin", "compliance"]})
    assert changed.status_code == 200, changed.text
    async with app.state.services.db.unit_of_work() as session:
        stored = await session.scalars(
            select(UserRole.role).where(UserRole.user_id == admin.user["id"])
        )
        assert sorted(stored) == ["admin", "compliance"]
    me = await client.get("/api/v1/users/me", headers=admin.headers)
    assert {"admin", "compliance"} <= set(me.json()["roles"])
    assert "developer" not in me.json()["roles"]


async def test_a_revoked_session_is_refused_on_the_next_request(
    app: FastAPI, client: httpx.AsyncClient
) -> None:
    alice = await sign_in(client)
    assert (await client.get("/api/v1/users/me", headers=alice.headers)).status_code == 200
    out = await client.post("/api/v1/auth/logout", headers=alice.headers)
    assert out.status_code in (200, 204), out.text
    refused = await client.get("/api/v1/users/me", headers=alice.headers)
    assert (refused.status_code, refused.json()["code"]) == (401, "invalid_token")
