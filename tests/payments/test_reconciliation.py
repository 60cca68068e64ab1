"""Reconciliation, restarts on the same data dir, and the app running on RpcChain."""

from __future__ import annotations

import httpx
from fastapi import FastAPI
from solana.rpc.async_api import AsyncClient
from solders.keypair import Keypair

from ece.app import create_app, shutdown, startup
from ece.config import Settings
from ece.core.metrics import RECONCILIATION_OK
from ece.payments import jobs
from tests.builders import cluster_platform, make_admin, sign_in
from tests.chain.chain_builders import serve_chain
from tests.payments.support import balance, funded_user, open_deposit, pay, token_balance
from tests.payments.test_withdrawals import drain_custody, withdraw


async def reconciliation(client: httpx.AsyncClient, app: FastAPI) -> dict[str, object]:
    admin = await make_admin(client, app)
    response = await client.get("/api/v1/admin/reconciliation", headers=admin.headers)
    assert response.status_code == 200, response.text
    return dict(response.json())


async def test_reconciliation_ok_after_deposits_and_withdrawals_then_catches_a_mismatch(
    client: httpx.AsyncClient, app: FastAPI, rpc: AsyncClient
) -> None:
    alice = await funded_user(client, app, rpc, "USDC", "30")
    bob = await funded_user(client, app, rpc, "ECE", "7.5")
    assert (await withdraw(client, alice, "10", str(Keypair().pubkey()))).status_code == 201
    assert (
        await withdraw(client, bob, "2.5", str(Keypair().pubkey()), asset="ECE")
    ).status_code == 201
    # A hold not yet sent is still owed by custody: still balanced.
    assert (await reconciliation(client, app))["ok"] is True
    await jobs.send_withdrawals(app.state.services)
    assert (await withdraw(client, alice, "5", str(Keypair().pubkey()))).status_code == 201

    report = await reconciliation(client, app)
    assert report["ok"] is True
    by_asset = {a["asset"]: a for a in report["assets"]}  # type: ignore[attr-defined]
    assert by_asset["USDC"]["ledger_liabilities"] == "20"
    assert by_asset["USDC"]["onchain_custody"] == "20"
    assert by_asset["ECE"]["ledger_liabilities"] == "5"
    assert by_asset["ECE"]["difference"] == "0"
    result = await jobs.reconcile(app.state.services)
    assert result.ok
    assert RECONCILIATION_OK.labels("USDC")._value.get() == 1

    await drain_custody(app, "USDC", 1_500_000)
    report = await reconciliation(client, app)
    assert report["ok"] is False
    usdc = {a["asset"]: a for a in report["assets"]}["USDC"]  # type: ignore[attr-defined]
    assert (usdc["ok"], usdc["difference"], usdc["onchain_custody"]) == (False, "-1.5", "18.5")
    assert not (await jobs.reconcile(app.state.services)).ok
    assert RECONCILIATION_OK.labels("USDC")._value.get() == 0
    # Readiness reports the mismatch as a warning (it needs an operator) and stays ready.
    ready = await client.get("/readyz")
    assert ready.status_code == 200
    assert any("USDC" in warning for warning in ready.json()["warnings"])

    user = await sign_in(client)
    forbidden = await client.get("/api/v1/admin/reconciliation", headers=user.headers)
    assert forbidden.status_code == 403


async def test_restart_on_the_same_data_dir_keeps_balances_and_mints(settings: Settings) -> None:
    first = create_app(settings, run_workers=False)
    await startup(first)
    transport = httpx.ASGITransport(app=first)
    async with httpx.AsyncClient(transport=transport, base_url="http://127.0.0.1:8000") as client:
        with serve_chain(first.state.services.chain) as served:
            rpc = AsyncClient(served.url)
            user = await funded_user(client, first, rpc, "USDC", "9")
            destination = str(Keypair().pubkey())
            await withdraw(client, user, "4", destination)
            await jobs.send_withdrawals(first.state.services)
            await rpc.close()
        chain_before = (await client.get("/api/v1/chain")).json()
    await shutdown(first)

    second = create_app(settings, run_workers=False)
    await startup(second)
    try:
        transport = httpx.ASGITransport(app=second)
        async with httpx.AsyncClient(transport=transport, base_url="http://127.0.0.1:8000") as c:
            assert (await c.get("/api/v1/chain")).json() == chain_before
            assert (await balance(c, user, "USDC"))["total"] == "5"
            with serve_chain(second.state.services.chain) as served:
                rpc = AsyncClient(served.url)
                mint = chain_before["assets"]["USDC"]["mint"]
                assert await token_balance(rpc, destination, mint) == 4_000_000
                assert await token_balance(rpc, user.address, mint) == 0
                await rpc.close()
            assert (await reconciliation(c, second))["ok"] is True
    finally:
        await shutdown(second)


async def test_deposit_through_the_app_running_on_rpc_chain(blank_settings: Settings) -> None:
    """A real-cluster configuration: the app talks JSON-RPC (RpcChain) to a served chain."""
    async with cluster_platform(blank_settings) as served:
        remote, cluster, platform = served.settings, served.chain, served.platform
        app = create_app(remote, run_workers=False)
        await startup(app)
        rpc = AsyncClient(served.url)
        try:
            transport = httpx.ASGITransport(app=app)
            async with httpx.AsyncClient(
                transport=transport, base_url="http://127.0.0.1:8000"
            ) as client:
                info = (await client.get("/api/v1/chain")).json()
                assert (info["cluster"], info["rpc_url"]) == ("devnet", served.url)
                user = await sign_in(client)
                # No faucet against a real cluster.
                assert (
                    await client.post(
                        "/api/v1/dev/faucet",
                        json={"asset": "SOL", "amount": "1"},
                        headers=user.headers,
                    )
                ).status_code == 404
                await cluster.airdrop(user.keypair.pubkey(), 10**9)
                from ece.payments.faucet import drip

                await drip(cluster, platform, user.keypair.pubkey(), "USDC", 6_000_000)
                deposit = await open_deposit(client, user, "USDC", "6")
                await pay(rpc, user.keypair, deposit, 6_000_000)
                assert await jobs.watch_deposits(app.state.services) == 1
                assert await jobs.watch_deposits(app.state.services) == 0
                assert (await balance(client, user, "USDC"))["available"] == "6"
                assert (
                    await withdraw(client, user, "2", str(Keypair().pubkey()))
                ).status_code == 201
                await jobs.send_withdrawals(app.state.services)
                await jobs.send_withdrawals(app.state.services)
                listed = (await client.get("/api/v1/withdrawals", headers=user.headers)).json()
                assert listed["items"][0]["status"] == "confirmed"
                assert (await jobs.reconcile(app.state.services)).ok
        finally:
            await rpc.close()
            await shutdown(app)
