"""A treasury signer approves a payout and, once a second member approved too, signs it in the
browser with their wallet (Wallet Standard ``signMessage`` over the message bytes); the
server verifies it against the message."""

from __future__ import annotations

import asyncio
import time
from concurrent.futures import ThreadPoolExecutor

import pytest
from playwright.sync_api import expect
from solders.keypair import Keypair

from ece.core.db import Database
from ece.core.money import Asset
from ece.ledger import service as ledger
from ece.ledger.models import OwnerType, TransferCode
from tests.web.conftest import Browsers, WebServer
from tests.web.support import admin_client, make_company, sign_in

pytestmark = pytest.mark.browser


async def _accrue(url: str, company_id: str) -> None:
    """A royalty owed to the company (the ledger side only: signing needs no funds)."""
    db = Database(url)
    try:
        async with db.unit_of_work() as session:
            custody = await ledger.account_for(session, OwnerType.custody, "solana", Asset.USDC)
            payable = await ledger.company_account(session, company_id, Asset.USDC, "royalties")
            await ledger.create_transfers(
                session,
                [
                    ledger.TransferSpec(
                        "test-royalty",
                        custody,
                        payable,
                        Asset.USDC,
                        15_000_000,
                        TransferCode.royalty,
                    )
                ],
            )
    finally:
        await db.dispose()


def _signed_in(base: str, keypair: Keypair) -> str:
    """Sign ``keypair`` in once (so its user exists) and return the user id."""
    response = admin_client(base, keypair).client.get("/api/v1/users/me")
    response.raise_for_status()
    return str(response.json()["id"])


def test_a_signer_signs_a_payout_with_the_browser_wallet(
    web_server: WebServer, browsers: Browsers
) -> None:
    base = web_server.base_url
    page = browsers.new_user()
    address = sign_in(page, base)
    admin = admin_client(base, web_server.admin)
    admin.client.put(
        f"/api/v1/admin/users/{admin.user_id(address)}/roles", json={"roles": ["treasury_signer"]}
    ).raise_for_status()
    settings = web_server.settings  # the served app's own settings object
    second = Keypair()  # another member, approving through the API
    settings.treasury_signers = [str(Keypair().pubkey()), address, str(second.pubkey())]
    admin.client.put(
        f"/api/v1/admin/users/{_signed_in(base, second)}/roles",
        json={"roles": ["treasury_signer"]},
    ).raise_for_status()
    company = make_company(admin)
    admin.client.put(
        f"/api/v1/compliance/companies/{company['id']}/kyb",
        json={"status": "verified", "note": "checked"},
    ).raise_for_status()  # only a KYB-verified company is paid
    # Playwright's sync API runs a loop in this thread: the write gets a thread of its own.
    with ThreadPoolExecutor(1) as pool:
        pool.submit(asyncio.run, _accrue(settings.resolved_database_url, company["id"])).result()
    [payout] = admin.post("/api/v1/treasury/payout-batches", {})["payouts"]
    url = f"/api/v1/treasury/payouts/{payout['id']}"
    for _ in range(100):  # the treasury_prepare job (every 5 s in the server) gives it a nonce
        if admin.client.get(url).json()["status"] == "awaiting_signatures":
            break
        time.sleep(0.2)

    page.goto(f"{base}/treasury")
    page.get_by_role("button", name="Approve").click()
    expect(page.get_by_test_id(f"approved-{payout['id']}")).to_be_visible(timeout=20_000)
    approved = admin_client(base, second).client.post(
        f"{url}/approvals", headers={"Idempotency-Key": "second-member"}
    )
    assert approved.status_code == 200, approved.text
    assert approved.json()["signers"] == [address, str(second.pubkey())]
    page.reload()
    page.get_by_role("button", name="Sign with my wallet").click()
    expect(page.get_by_test_id(f"signed-{payout['id']}")).to_be_visible()
    expect(page.get_by_role("button", name="Sign with my wallet")).to_have_count(0)
    tx = admin.client.get(f"/api/v1/treasury/payouts/{payout['id']}/transaction").json()
    assert [s["signer"] for s in tx["signatures"]] == [address]
    assert browsers.watch.problems == []
