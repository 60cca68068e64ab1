"""The treasury console and the statement page, rendered for who may see them."""

from __future__ import annotations

import httpx
from fastapi import FastAPI

from tests.builders import SignedInUser, sign_in
from tests.treasury.support import company_with_royalties, configure_signers, run_batch


def browser(user: SignedInUser) -> dict[str, str]:
    return {"Cookie": f"ece_session={user.token}"}


async def test_the_console_offers_signing_to_named_signers_only(
    client: httpx.AsyncClient, app: FastAPI
) -> None:
    signers = await configure_signers(client, app)
    seller = await company_with_royalties(client, app, [("250", "USDC")])
    [payout] = (await run_batch(client, seller.market.admin))["payouts"]

    alice = (await client.get("/treasury", headers=browser(signers.users[0]))).text
    assert f'data-sign-payout="{payout["id"]}"' in alice
    carol = (await client.get("/treasury", headers=browser(signers.users[2]))).text
    assert "data-sign-payout" not in carol  # not named by this payout's transaction
    admin = (await client.get("/treasury", headers=browser(seller.market.admin))).text
    assert "Run payouts now" in admin and "12.5 USDC" in admin
    nobody = await client.get("/treasury", headers=browser(await sign_in(client)))
    assert nobody.status_code == 403

    statement = await client.get(
        f"/companies/{seller.market.company_id}/statement", headers=browser(seller.market.admin)
    )
    assert statement.status_code == 200
    assert "royalty" in statement.text and "-12.5 USDC" in statement.text
