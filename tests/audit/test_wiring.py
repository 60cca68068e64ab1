"""Each existing staff action writes its audit entry in its own transaction: role changes (API,
CLI, configured admins), companies and cards made by admins. Payments are in
``test_payment_trail``; a refused or rolled-back action leaves nothing."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

import httpx
import pytest
from fastapi import FastAPI
from solders.keypair import Keypair

from ece.audit import service as audit
from ece.auth import router as auth_router
from ece.auth import service as auth_service
from ece.auth.service import Role
from ece.config import Settings
from ece.core.errors import Conflict
from tests.audit.support import Seen, head, written_after
from tests.builders import api_client, grant, make_admin, served, sign_in
from tests.cards.cards_builders import card_body, make_company

# A scenario sets up, then acts; it returns the sequence before acting and what must follow.
Scenario = Callable[[httpx.AsyncClient, FastAPI], Awaitable[tuple[int, list[Seen]]]]


async def user_id_of(app: FastAPI, address: str) -> str:
    async with app.state.services.db.unit_of_work(write=False) as session:
        user = await auth_service.user_by_address(session, address)
    assert user is not None
    return user.id


async def roles_set_through_the_api(client: httpx.AsyncClient, app: FastAPI) -> Any:
    admin = await make_admin(client, app)
    target = await sign_in(client)
    mark = await head(app)
    response = await client.put(
        f"/api/v1/admin/users/{target.user['id']}/roles",
        json={"roles": ["compliance"]},
        headers=admin.headers,
    )
    assert response.status_code == 200, response.text
    details = {"before": ["user"], "after": ["compliance", "user"], "via": "api"}
    return mark, [Seen(admin.user["id"], "user.roles_changed", "user", target.user["id"], details)]


async def role_granted_on_the_command_line(client: httpx.AsyncClient, app: FastAPI) -> Any:
    address = str(Keypair().pubkey())
    mark = await head(app)
    await grant(app, address, Role.treasury_signer)
    await grant(app, address, Role.treasury_signer)  # held already: no change, no entry
    details = {"before": ["user"], "after": ["treasury_signer", "user"], "via": "cli"}
    user_id = await user_id_of(app, address)
    return mark, [Seen(audit.OPERATOR, "user.roles_changed", "user", user_id, details)]


async def role_revoked_on_the_command_line(client: httpx.AsyncClient, app: FastAPI) -> Any:
    address = str(Keypair().pubkey())
    await grant(app, address, Role.developer)
    mark = await head(app)
    async with app.state.services.db.unit_of_work() as session:
        await auth_service.revoke_role(session, address, Role.developer)
    details = {"before": ["developer", "user"], "after": ["user"], "via": "cli"}
    user_id = await user_id_of(app, address)
    return mark, [Seen(audit.OPERATOR, "user.roles_changed", "user", user_id, details)]


async def company_created_and_changed(client: httpx.AsyncClient, app: FastAPI) -> Any:
    admin = await make_admin(client, app)
    mark = await head(app)
    company = await make_company(client, admin)
    changed = await client.patch(
        f"/api/v1/companies/{company['id']}",
        json={"royalty_bps": 300, "sector": "Space"},
        headers=admin.headers,
    )
    assert changed.status_code == 200, changed.text
    admin_id, company_id = admin.user["id"], company["id"]
    return mark, [
        Seen(
            admin_id,
            "company.created",
            "company",
            company_id,
            {"ticker": "ACME", "royalty_bps": 250},
        ),
        Seen(
            admin_id,
            "company.updated",
            "company",
            company_id,
            {"fields": ["royalty_bps", "sector"]},
        ),
    ]


async def cards_minted(client: httpx.AsyncClient, app: FastAPI) -> Any:
    admin = await make_admin(client, app)
    company = await make_company(client, admin)
    mark = await head(app)
    one = await client.post("/api/v1/cards", json=card_body(company["id"]), headers=admin.headers)
    batch = await client.post(
        "/api/v1/cards/batch",
        json={"cards": [card_body(company["id"], name=f"Batch {n}") for n in range(2)]},
        headers=admin.headers,
    )
    assert (one.status_code, batch.status_code) == (201, 201), batch.text
    minted = [one.json()] + batch.json()["items"]
    return mark, [
        Seen(
            admin.user["id"],
            "card.minted",
            "card",
            card["id"],
            {"company_id": company["id"], "rarity": "rare", "mint": card["mint"]},
        )
        for card in minted
    ]


@pytest.mark.parametrize(
    "scenario",
    [
        roles_set_through_the_api,
        role_granted_on_the_command_line,
        role_revoked_on_the_command_line,
        company_created_and_changed,
        cards_minted,
    ],
)
async def test_each_staff_action_writes_its_entry(
    client: httpx.AsyncClient, app: FastAPI, scenario: Scenario
) -> None:
    mark, expected = await scenario(client, app)
    assert await written_after(app, mark) == expected
    async with app.state.services.db.unit_of_work(write=False) as session:
        assert (await audit.verify(session)).ok


async def test_a_configured_admin_signing_in_is_recorded_as_the_system(
    settings: Settings,
) -> None:
    keypair = Keypair()
    configured = settings.model_copy(update={"admin_addresses": [str(keypair.pubkey())]})
    async with served(configured) as app, api_client(app) as client:
        mark = await head(app)
        admin = await sign_in(client, keypair)
        await sign_in(client, keypair)  # an admin already: nothing more
        assert "admin" in admin.user["roles"]
        assert await written_after(app, mark) == [
            Seen(
                audit.SYSTEM,
                "user.roles_changed",
                "user",
                admin.user["id"],
                {"before": ["user"], "after": ["admin", "user"], "via": "ECE_ADMIN_ADDRESSES"},
            )
        ]


async def test_a_refused_or_rolled_back_action_leaves_no_entry(
    client: httpx.AsyncClient, app: FastAPI, monkeypatch: pytest.MonkeyPatch
) -> None:
    admin = await make_admin(client, app)
    target = await sign_in(client)
    path = f"/api/v1/admin/users/{target.user['id']}/roles"
    mark = await head(app)
    # Refused by the rules: an admin cannot drop their own admin role.
    own = await client.put(
        f"/api/v1/admin/users/{admin.user['id']}/roles", json={"roles": []}, headers=admin.headers
    )
    assert own.status_code in (403, 409, 422), own.text

    # Recorded, then the request fails after the service returned: all of it rolls back.
    def fail(_user: object) -> object:
        raise Conflict("The answer could not be built.", code="simulated")

    monkeypatch.setattr(auth_router.UserOut, "of", fail)
    failed = await client.put(path, json={"roles": ["compliance"]}, headers=admin.headers)
    assert (failed.status_code, failed.json()["code"]) == (409, "simulated")
    assert await written_after(app, mark) == []
    monkeypatch.undo()
    shown = await client.get("/api/v1/admin/users", headers=admin.headers)
    roles = next(u["roles"] for u in shown.json()["items"] if u["id"] == target.user["id"])
    assert "compliance" not in roles

    # The next action takes the next sequence number: no gap where the failed one was.
    done = await client.put(path, json={"roles": ["compliance"]}, headers=admin.headers)
    assert done.status_code == 200
    assert [e.action for e in await written_after(app, mark)] == ["user.roles_changed"]
    async with app.state.services.db.unit_of_work(write=False) as session:
        result = await audit.verify(session)
    assert result.ok and result.entries == mark + 1
