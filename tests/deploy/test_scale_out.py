"""Scale-out on this machine, as staging runs it: three `ece serve` replicas and one
`ece worker` on PostgreSQL + Redis and a chain reached over RPC, behind HAProxy with
deploy/haproxy/haproxy.cfg (TLS). Clients sign in, deposit, buy, list and withdraw through the
balancer while one replica is killed (SIGKILL) and restarted; every request either succeeds or
fails cleanly and is retried with its Idempotency-Key. Afterwards the ledger check,
reconciliation (tokens and cards), ownership and balances are exact, no withdrawal was sent
twice, and a rate limit holds across replicas whatever X-Forwarded-For a client sends."""

from __future__ import annotations

import asyncio
import os
import shutil
import time
from collections import Counter
from pathlib import Path
from typing import Any

import httpx
import pytest
from pydantic import SecretStr
from solana.rpc.async_api import AsyncClient
from solders.keypair import Keypair
from solders.pubkey import Pubkey

from ece.auth import service as auth_service
from ece.auth.models import Role
from ece.config import Environment, Settings
from ece.ledger.service import longer_hold_ages, run_check, stale_hold_age
from ece.payments import jobs
from ece.payments.faucet import drip
from tests.builders import Cluster, cluster_platform, served, sign
from tests.cards.cards_builders import card_body, company_body
from tests.deploy.cluster import ECE, Process, balancer, env_of, replica, running
from tests.payments.support import signed_payment, token_balance, units

pytestmark = [pytest.mark.pg]

BUYERS = 4
CARDS = 12
PRICE = "5"
DEPOSIT = "100"
WITHDRAWALS_PER_BUYER = 2
RETRYABLE = {502, 503, 504}
AUTH_LIMIT = 10


@pytest.fixture(autouse=True)
def _haproxy() -> None:
    if shutil.which("haproxy") is None:
        if os.environ.get("CI"):
            pytest.fail("haproxy is missing in CI (make deploy-tools installs it)")
        pytest.skip("haproxy is not installed (make deploy-tools)")


class Client:
    """A client that retries what did not reach an answer, with the same Idempotency-Key."""

    def __init__(self, http: httpx.AsyncClient) -> None:
        self.http = http
        self.requests = 0
        self.retries = 0
        self.failures: list[str] = []
        self.served_by: Counter[str] = Counter()
        self.retried_because: Counter[str] = Counter()

    async def call(self, method: str, path: str, **kwargs: Any) -> httpx.Response:
        for _ in range(60):
            self.requests += 1
            try:
                response = await self.http.request(method, path, **kwargs)
            except httpx.TransportError as exc:
                reason = type(exc).__name__
            else:
                self.served_by[response.headers.get("x-served-by", "?")] += 1
                code = response.json().get("code") if response.status_code == 409 else None
                if response.status_code not in RETRYABLE and code != "idempotency_key_in_use":
                    return response
                reason = str(code or response.status_code)
            self.retries += 1
            self.retried_because[reason] += 1
            await asyncio.sleep(0.5)
        self.failures.append(f"{method} {path}: no answer after 60 tries {self.retried_because}")
        raise AssertionError(self.failures[-1])


def headers(token: str, key: str | None = None) -> dict[str, str]:
    found = {"Authorization": f"Bearer {token}"}
    return {**found, "Idempotency-Key": key} if key else found


async def login(client: Client, keypair: Keypair | None = None) -> tuple[Keypair, str, str]:
    keypair = keypair or Keypair()
    challenge = await client.call(
        "POST", "/api/v1/auth/challenge", json={"address": str(keypair.pubkey())}
    )
    assert challenge.status_code == 200, challenge.text
    message = challenge.json()["message"]
    done = await client.call(
        "POST", "/api/v1/auth/login", json={"message": message, "signature": sign(keypair, message)}
    )
    assert done.status_code == 200, done.text
    return keypair, done.json()["access_token"], done.json()["user"]["id"]


async def staging_cluster(blank: Settings) -> Any:
    return cluster_platform(
        blank,
        env=Environment.staging,
        domain="ece.test",
        secret_key="s" * 48,
        metrics_token=SecretStr("m" * 32),
        kyc_keys=SecretStr("stage-1:" + "cXFx" * 10 + "cXE="),
        trusted_proxies=["127.0.0.1"],
        idempotency_lock_seconds=3,
        rate_limit_auth=f"{AUTH_LIMIT}/minute",
    )


async def test_replicas_behind_haproxy_survive_a_killed_replica(
    blank_settings: Settings, tmp_path: Path
) -> None:
    started = time.monotonic()
    async with await staging_cluster(blank_settings) as cluster:
        env = env_of(cluster.settings)
        replicas = [replica(f"web{i}", env, tmp_path) for i in (1, 2, 3)]
        worker = Process("worker", [ECE, "worker"], env, tmp_path / "worker.log")
        lb = balancer(replicas, tmp_path)
        with running([*replicas, worker, lb]):
            for process in replicas:
                await process.wait_ready()
            figures = await scenario(cluster, replicas, lb, tmp_path)
    figures["test_seconds"] = round(time.monotonic() - started, 1)
    print("\nscale-out figures:", figures)


async def scenario(
    cluster: Cluster, replicas: list[Process], lb: Process, work: Path
) -> dict[str, Any]:
    pem = work / "lb.pem"
    base = f"https://127.0.0.1:{lb.port}"
    async with (
        httpx.AsyncClient(base_url=base, verify=str(pem), timeout=20) as http,
        served(cluster.settings) as app,
    ):
        client = Client(http)
        await balancing(http, lb)
        market = await open_market(client, app, cluster)
        buyers = [await funded_buyer(client, cluster) for _ in range(BUYERS)]
        await wait_credited(client, buyers)
        outcome = await load_with_a_kill(client, market, buyers, replicas[1])
        await check_after(client, app, cluster, market, buyers, outcome)
        limited = await rate_limit_across_replicas(client, app)
    return {
        "requests": client.requests,
        "retries": client.retries,
        "retried_because": dict(client.retried_because),
        "failures": len(client.failures),
        "served_by": dict(client.served_by),
        "web2_down_after_kill_s": outcome["down_s"],
        "web2_back_in_rotation_s": outcome["recovered_s"],
        "bought": len(outcome["bought"]),
        "withdrawals": len(outcome["withdrawals"]),
        "auth_limit_allowed_of_30": limited,
    }


async def balancing(http: httpx.AsyncClient, lb: Process) -> None:
    """HAProxy is up and has marked every replica up (two /readyz checks each)."""
    deadline = time.monotonic() + 60
    seen: set[str] = set()
    while seen != {"web1", "web2", "web3"}:
        assert lb.popen is not None
        assert lb.popen.poll() is None, f"haproxy exited: {lb.log.read_text()[-2000:]}"
        assert time.monotonic() < deadline, f"not balanced ({seen}): {lb.log.read_text()[-2000:]}"
        try:
            answer = await http.get("/readyz")
            if answer.status_code == 200:
                seen.add(answer.headers["x-served-by"])
        except httpx.TransportError:
            pass
        await asyncio.sleep(0.2)


async def open_market(client: Client, app: Any, cluster: Cluster) -> dict[str, Any]:
    admin_key = Keypair()
    async with app.state.services.db.unit_of_work() as session:
        await auth_service.grant_role(session, str(admin_key.pubkey()), Role.admin)
    _, admin, _ = await login(client, admin_key)
    company = await client.call(
        "POST", "/api/v1/companies", json=company_body(ticker="SCALE"), headers=headers(admin)
    )
    assert company.status_code == 201, company.text
    _, seller, seller_id = await login(client)
    listings: list[dict[str, Any]] = []
    for n in range(CARDS):
        body = card_body(company.json()["id"], owner_id=seller_id, name=f"Scale {n}")
        card = await client.call("POST", "/api/v1/cards", json=body, headers=headers(admin))
        assert card.status_code == 201, card.text
        listed = await client.call(
            "POST",
            "/api/v1/listings",
            json={"card_id": card.json()["id"], "price": PRICE, "currency": "USDC"},
            headers=headers(seller, f"list-{n}"),
        )
        assert listed.status_code == 201, listed.text
        listings.append(listed.json())
    return {"seller": seller, "seller_id": seller_id, "listings": listings}


async def funded_buyer(client: Client, cluster: Cluster) -> dict[str, Any]:
    """A wallet pays a Solana Pay deposit on chain; `ece worker` credits it."""
    keypair, token, user_id = await login(client)
    await drip(cluster.chain, cluster.platform, keypair.pubkey(), "SOL", 10**9)
    await drip(cluster.chain, cluster.platform, keypair.pubkey(), "USDC", units(DEPOSIT, "USDC"))
    deposit = await client.call(
        "POST",
        "/api/v1/deposits",
        json={"asset": "USDC", "amount": DEPOSIT},
        headers=headers(token, f"deposit-{user_id}"),
    )
    assert deposit.status_code == 201, deposit.text
    latest = await cluster.chain.get_latest_blockhash()
    tx = signed_payment(keypair, deposit.json(), units(DEPOSIT, "USDC"), latest.blockhash)
    await cluster.chain.send_transaction(tx)
    return {"keypair": keypair, "token": token, "id": user_id}


async def usdc(client: Client, token: str) -> str:
    response = await client.call("GET", "/api/v1/users/me/balances", headers=headers(token))
    assert response.status_code == 200, response.text
    return next(b["available"] for b in response.json()["balances"] if b["asset"] == "USDC")


async def wait_credited(client: Client, buyers: list[dict[str, Any]]) -> None:
    deadline = time.monotonic() + 60
    for buyer in buyers:
        while (await usdc(client, buyer["token"])) != DEPOSIT:
            assert time.monotonic() < deadline, "the worker did not credit the deposits"
            await asyncio.sleep(0.5)


async def load_with_a_kill(
    client: Client, market: dict[str, Any], buyers: list[dict[str, Any]], victim: Process
) -> dict[str, Any]:
    bought: dict[str, str] = {}  # listing id -> buyer id (201 answers, replays included)
    trades: dict[str, str] = {}  # buy key -> trade/listing answer, to compare replays
    withdrawals: dict[str, dict[str, Any]] = {}
    state: dict[str, Any] = {"killed": False, "down_s": None, "recovered_s": None}

    async def shop(n: int, buyer: dict[str, Any]) -> None:
        # Each buyer tries its share first, then everyone else's: every listing is contested.
        listings = market["listings"][n::BUYERS]
        others = [x for x in market["listings"] if x not in listings]
        for listing in [*listings, *others]:
            key = f"buy-{buyer['id']}-{listing['id']}"
            answer = await client.call(
                "POST",
                f"/api/v1/listings/{listing['id']}/buy",
                json={},
                headers=headers(buyer["token"], key),
            )
            assert answer.status_code in (201, 409), answer.text
            if answer.status_code == 201:
                assert bought.setdefault(listing["id"], buyer["id"]) == buyer["id"]
                trades[key] = answer.text
            await client.call("GET", "/api/v1/listings?limit=20")
        for w in range(WITHDRAWALS_PER_BUYER):
            key = f"withdraw-{buyer['id']}-{w}"
            destination = str(Keypair().pubkey())
            body = {"asset": "USDC", "amount": "1", "destination": destination}
            first = await client.call(
                "POST", "/api/v1/withdrawals", json=body, headers=headers(buyer["token"], key)
            )
            assert first.status_code == 201, first.text
            # The same key again answers the same withdrawal: a replay never pays twice.
            again = await client.call(
                "POST", "/api/v1/withdrawals", json=body, headers=headers(buyer["token"], key)
            )
            assert again.json()["id"] == first.json()["id"]
            withdrawals[first.json()["id"]] = {"destination": destination, "buyer": buyer}

    async def kill_and_restart() -> None:
        await asyncio.sleep(1.5)  # mid-run: buys are in flight on every replica
        killed_at = time.monotonic()
        victim.kill()
        state["killed"] = True
        await until_served_without(client, "web2", buyers[0]["token"])
        state["down_s"] = round(time.monotonic() - killed_at, 2)
        victim.start()
        await victim.wait_ready()
        await until_served_by(client, "web2", buyers[0]["token"])
        state["recovered_s"] = round(time.monotonic() - killed_at, 2)

    await asyncio.gather(kill_and_restart(), *(shop(n, b) for n, b in enumerate(buyers)))
    assert state["killed"] and state["recovered_s"] is not None
    return {**state, "bought": bought, "withdrawals": withdrawals}


async def until_served_without(client: Client, name: str, token: str) -> None:
    """HAProxy stops sending to the dead replica (health checks or failed connections)."""
    streak = 0
    while streak < 6:
        response = await client.call("GET", "/api/v1/users/me", headers=headers(token))
        streak = 0 if response.headers.get("x-served-by") == name else streak + 1


async def until_served_by(client: Client, name: str, token: str, timeout: float = 300) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        response = await client.call("GET", "/api/v1/users/me", headers=headers(token))
        assert response.status_code == 200, response.text  # the session holds on any replica
        if response.headers.get("x-served-by") == name:
            return
        await asyncio.sleep(0.2)
    raise AssertionError(f"{name} never came back into rotation")


async def check_after(
    client: Client,
    app: Any,
    cluster: Cluster,
    market: dict[str, Any],
    buyers: list[dict[str, Any]],
    outcome: dict[str, Any],
) -> None:
    assert client.failures == []
    bought: dict[str, str] = outcome["bought"]
    assert len(bought) == CARDS, "every listing was sold exactly once"
    for listing in market["listings"]:
        card = await client.call("GET", f"/api/v1/cards/{listing['card_id']}")
        assert card.json()["owner"]["id"] == bought[listing["id"]]
    spent = Counter(bought.values())
    await wait_withdrawals_sent(client, outcome["withdrawals"])
    for buyer in buyers:
        expected = int(DEPOSIT) - int(PRICE) * spent[buyer["id"]] - WITHDRAWALS_PER_BUYER
        assert await usdc(client, buyer["token"]) == str(expected)
    services = app.state.services
    report = await run_check(
        services.db,
        max_pending_age=stale_hold_age(services.settings),
        longer=longer_hold_ages(services.settings),
    )
    assert report.ok, report
    reconciled = await jobs.reconcile(services)
    assert reconciled.ok, reconciled
    rpc = AsyncClient(cluster.url)
    try:
        for sent in outcome["withdrawals"].values():
            paid = await token_balance(rpc, sent["destination"], str(cluster.settings.usdc_mint))
            assert paid == units("1", "USDC"), "each withdrawal reached its wallet once"
    finally:
        await rpc.close()


async def wait_withdrawals_sent(client: Client, withdrawals: dict[str, dict[str, Any]]) -> None:
    deadline = time.monotonic() + 60
    signatures: set[str] = set()
    for withdrawal_id, sent in withdrawals.items():
        token = sent["buyer"]["token"]
        while True:
            shown = await client.call(
                "GET", f"/api/v1/withdrawals/{withdrawal_id}", headers=headers(token)
            )
            body = shown.json()
            if body["status"] == "confirmed":
                break
            assert body["status"] not in ("failed", "reversed"), body
            assert time.monotonic() < deadline, f"withdrawal not confirmed: {body}"
            await asyncio.sleep(0.5)
        assert body["signature"] not in signatures, "one transaction per withdrawal"
        signatures.add(body["signature"])
    assert len(withdrawals) == BUYERS * WITHDRAWALS_PER_BUYER


async def rate_limit_across_replicas(client: Client, app: Any) -> int:
    """The auth limit is one counter in Redis, keyed on the client HAProxy saw."""
    await app.state.services.rate_limiter.reset()
    answers: Counter[int] = Counter()
    served: set[str] = set()
    for n in range(30):
        response = await client.http.post(
            "/api/v1/auth/challenge",
            json={"address": str(Pubkey.new_unique())},
            headers={"X-Forwarded-For": f"203.0.113.{n}"},  # forged: HAProxy drops it
        )
        answers[response.status_code] += 1
        served.add(response.headers.get("x-served-by", "?"))
    assert answers == Counter({200: AUTH_LIMIT, 429: 30 - AUTH_LIMIT}), answers
    assert served >= {"web1", "web2", "web3"}
    return answers[200]
