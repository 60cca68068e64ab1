"""The treasury console and the statement page, rendered for who may see them."""

from __future__ import annotations

import httpx
from fastapi import FastAPI

from tests.builders import SignedInUser, sign_in
from tests.treasury.support import (
    approve,
    company_with_royalties,
    configure_signers,
    prepare,
    run_batch,
)


def browser(user: SignedInUser) -> dict[str, str]:
    return {"Cookie": f"ece_session={user.token}"}


async def test_the_console_offers_approval_to_members_then_signing_to_the_chosen(
    client: httpx.AsyncClient, app: FastAPI
) -> None:
    signers = await configure_signers(client, app)
    seller = await company_with_royalties(client, app, [("250", "USDC")])
    [payout] = (await run_batch(client, seller.market.admin))["payouts"]
    await prepare(app)
    alice, bob, carol = (browser(u) for u in signers.users)

    before = (await client.get("/treasury", headers=carol)).text
    assert f'data-approve-payout="{payout["id"]}"' in before and "data-sign-payout" not in before
    for user in signers.users[1:]:
        assert (await approve(client, user, payout["id"])).status_code == 200
    chosen = (await client.get("/treasury", headers=bob)).text
    assert f'data-sign-payout="{payout["id"]}"' in chosen
    left_out = (await client.get("/treasury", headers=alice)).text
    assert "data-sign-payout" not in left_out and "data-approve-payout" not in left_out
    admin = (await client.get("/treasury", headers=browser(seller.market.admin))).text
    assert "Run payouts now" in admin and "12.5 USDC" in admin
    nobody = await client.get("/treasury", headers=browser(await sign_in(client)))
    assert nobody.status_code == 403

    statement = await client.get(
        f"/companies/{seller.market.company_id}/statement", headers=browser(seller.market.admin)
    )
    assert statement.status_code == 200
    assert "royalty" in statement.text and "-12.5 USDC" in statement.text
