"""Payouts end to end on the embedded chain: royalties accrued by real trades in ECE and USDC,
a batch, conversion, two of three signatures hours apart, USDC at the company's wallet."""

from __future__ import annotations

from datetime import datetime, timedelta

import httpx
from fastapi import FastAPI
from solana.rpc.async_api import AsyncClient
from sqlalchemy import select

from ece.audit import service as audit
from ece.core.clock import clock, utcnow
from ece.core.money import Asset
from ece.core.outbox import OutboxEvent
from ece.ledger import service as ledger
from ece.payments import service as payments
from tests.builders import sign_in
from tests.market.support import account_total, ledger_ok
from tests.treasury.support import (
    approved_message,
    company_with_royalties,
    configure_signers,
    post_signature,
    run_batch,
    send,
    usdc_at,
)

# 5 % royalty: 12.5 USDC on a 250 USDC sale, 100 ECE on a 2000 ECE sale (10 USDC at 0.10).
SALES = [("250", "USDC"), ("2000", "ECE")]


async def event_types(app: FastAPI, payout_id: str) -> list[str]:
    async with app.state.services.db.unit_of_work(write=False) as session:
        rows = await session.scalars(
            select(OutboxEvent.type)
            .where(OutboxEvent.aggregate_id == payout_id)
            .order_by(OutboxEvent.id)
        )
        return list(rows)


async def test_royalties_in_ece_and_usdc_are_paid_in_usdc_after_two_of_three_sign(
    client: httpx.AsyncClient, app: FastAPI, rpc: AsyncClient
) -> None:
    signers = await configure_signers(client, app)
    seller = await company_with_royalties(client, app, SALES)
    company = seller.market.company_id

    batch = await run_batch(client, seller.market.admin)
    [payout] = batch["payouts"]
    assert payout["company_id"] == company
    assert payout["amount"] == "22.5" and payout["currency"] == "USDC"
    assert payout["destination"] == str(seller.payout_wallet.pubkey())
    assert payout["status"] == "approved"  # its nonce is the treasury_prepare job's work
    # Drained at once: nothing is left to pay a second time.
    for asset in Asset:
        assert await account_total(app, ledger.OwnerType.company, company, asset, "royalties") == 0

    got = await client.get(
        f"/api/v1/treasury/payouts/{payout['id']}", headers=signers.users[0].headers
    )
    assert got.json()["rate"] == "0.1" and got.json()["rate_source"].startswith("fixed")
    message = await approved_message(client, app, signers.users[:2], payout["id"])
    first = await post_signature(
        client, signers.users[0], payout["id"], signers.keypairs[0], message
    )
    assert first.status_code == 200, first.text
    assert first.json()["status"] == "awaiting_signatures"
    assert await send(app) == 0  # one signature moves nothing

    clock.advance(timedelta(hours=7))
    second = await post_signature(
        client, signers.users[1], payout["id"], signers.keypairs[1], message
    )
    assert second.status_code == 200, second.text
    assert second.json()["status"] == "submitted"
    assert await send(app) == 1

    done = await client.get(
        f"/api/v1/treasury/payouts/{payout['id']}", headers=signers.users[2].headers
    )
    assert done.json()["status"] == "confirmed"
    assert done.json()["signature"]
    assert await usdc_at(app, rpc, seller.payout_wallet.pubkey()) == 22_500_000
    assert await event_types(app, payout["id"]) == [
        "payout.created",
        "payout.signed",
        "payout.signed",
        "payout.sent",
    ]
    assert await ledger_ok(app)
    async with app.state.services.db.unit_of_work(write=False) as session:
        assert (await audit.verify(session)).ok
    services = app.state.services
    reconciliation = await payments.reconcile(services.db, services.chain, services.platform)
    assert reconciliation.ok, reconciliation
    assert await send(app) == 0  # the sender again: nothing more
    assert await usdc_at(app, rpc, seller.payout_wallet.pubkey()) == 22_500_000


async def test_the_summary_and_an_unconfigured_treasury(
    client: httpx.AsyncClient, app: FastAPI
) -> None:
    seller = await company_with_royalties(client, app, [("250", "USDC")])
    admin = seller.market.admin
    bare = await client.get("/api/v1/treasury/summary", headers=admin.headers)
    assert bare.status_code == 200, bare.text
    assert bare.json()["multisig"]["address"] is None
    refused = await client.post("/api/v1/treasury/payout-batches", headers=admin.headers)
    assert refused.status_code == 409 and refused.json()["code"] == "treasury_not_configured"
    assert (
        await account_total(
            app, ledger.OwnerType.company, seller.market.company_id, Asset.USDC, "royalties"
        )
        == 12_500_000
    )

    signers = await configure_signers(client, app)
    body = (await client.get("/api/v1/treasury/summary", headers=signers.users[0].headers)).json()
    assert body["payables"] == [
        {"company_id": seller.market.company_id, "asset": "USDC", "amount": "12.5"}
    ]
    assert body["multisig"]["threshold"] == 2
    assert body["multisig"]["signers"] == [str(k.pubkey()) for k in signers.keypairs]
    assert body["revenue"]["USDC"] == "6.25"  # 2.5 % of 250
    upcoming = datetime.fromisoformat(body["next_payout_at"])
    assert (upcoming.weekday(), upcoming.hour, upcoming.minute) == (0, 0, 0)  # Monday 00:00 UTC
    assert utcnow() < upcoming <= utcnow() + timedelta(days=7)
    outsider = await client.get("/api/v1/treasury/summary", headers=seller.market.admin.headers)
    assert outsider.status_code == 200


async def test_a_company_statement_shows_accruals_and_payouts_in_json_and_csv(
    client: httpx.AsyncClient, app: FastAPI
) -> None:
    signers = await configure_signers(client, app)
    seller = await company_with_royalties(client, app, SALES)
    [payout] = (await run_batch(client, seller.market.admin))["payouts"]
    message = await approved_message(client, app, signers.users[:2], payout["id"])
    for user, keypair in zip(signers.users[:2], signers.keypairs[:2], strict=True):
        await post_signature(client, user, payout["id"], keypair, message)
    await send(app)
    url = f"/api/v1/companies/{seller.market.company_id}/statement"

    wallet = await sign_in(client, seller.payout_wallet)
    body = (await client.get(url, headers=wallet.headers)).json()
    kinds = [(line["kind"], line["asset"], line["amount"]) for line in body["lines"]]
    assert kinds == [
        ("royalty", "USDC", "12.5"),
        ("royalty", "ECE", "100"),
        ("payout", "USDC", "-22.5"),
    ]
    assert body["lines"][-1]["status"] == "confirmed" and body["lines"][-1]["signature"]
    csv_text = (
        await client.get(url, params={"format": "csv"}, headers=seller.market.admin.headers)
    ).text
    assert csv_text.splitlines()[0] == "at,kind,asset,amount,reference,status,signature"
    assert csv_text.splitlines()[-1].split(",")[1:4] == ["payout", "USDC", "-22.5"]

    stranger = await sign_in(client)
    refused = await client.get(url, headers=stranger.headers)
    assert refused.status_code == 403 and refused.json()["code"] == "not_your_company"
    later = (
        await client.get(url, params={"from": "2099-01-01T00:00:00Z"}, headers=wallet.headers)
    ).json()
    assert later["lines"] == []
