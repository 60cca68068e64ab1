"""One trade fanned out to many WebSocket subscribers on the production stack: PostgreSQL,
Redis, 2 web workers (``uvicorn --workers 2``), the outbox relay job in a process of its own
and the embedded chain in a chain node, as ``bench/run.py`` starts them.

``.venv/bin/python -m bench.fanout [--subscribers 10000] [--clients 4]``: ``--clients``
processes open the sockets (anonymous, channel ``market``) and wait; one real buy goes through
``POST /api/v1/listings/{id}/buy``; each socket records when its ``trade.executed`` arrived.
The latency is receipt minus the event's ``at`` (stamped inside the buy's transaction, before
its commit: up to 100 ms before it on a loaded box), and receipt minus the commit the bench
hears (``NOTIFY ece_outbox``), the acceptance's "commit to receipt". Then, the sockets closed, the
relay's throughput: 5,000 events written in one transaction, timed until all are delivered.
Prints the figures and writes them under ``fanout`` in ``bench/results/latest.json``."""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from datetime import datetime
from pathlib import Path
from typing import Any

import asyncpg
import redis
from sqlalchemy import func, select

from bench import seed as seeding
from bench.pg import drop_database
from bench.run import RESULTS, log, prepare
from bench.stack import ROOT, Server
from ece.core.db import Database
from ece.core.migrate import upgrade
from ece.core.outbox import CHANNEL, OutboxEvent, emit
from ece.platform_init import init_platform
from ece.realtime.hub import topic_of

DATABASE = "ece_bench_fanout"  # not run.py's: the two may run side by side
RELAY_EVENTS = 5_000
CLIENTS = 4
SIZE = seeding.Size(users=20, cards=200, listings=60, companies=2)
TRADE = b'"trade.executed"'


def buy(web: Server, world: seeding.World) -> int:
    listing_id, seller = world.listings[0]
    token = next(t for user, t in world.tokens.items() if user != seller)
    request = urllib.request.Request(
        f"{web.url}/api/v1/listings/{listing_id}/buy",
        data=b"{}",
        method="POST",
        headers={
            "Authorization": f"Bearer {token}",
            "Content-Type": "application/json",
            "Idempotency-Key": "fanout-buy",
        },
    )
    with urllib.request.urlopen(request, timeout=30) as response:
        return int(response.status)


async def relay_rate(url: str, events: int = RELAY_EVENTS) -> float:
    """Events per second the relay delivers: ``events`` written at once, timed until the last
    is delivered (with one event: waits until the relay is up)."""
    db = Database(url)
    try:
        async with db.unit_of_work() as session:
            for n in range(events):
                await emit(session, "bench.tick", f"bench-{n % 100}", n=n)
        started = time.perf_counter()
        while True:
            async with db.unit_of_work(write=False) as session:
                left = await session.scalar(
                    select(func.count()).where(OutboxEvent.delivered_at.is_(None))
                )
            if not left:
                return events / (time.perf_counter() - started)
            await asyncio.sleep(0.05)
    finally:
        await db.dispose()


def process_cpu_seconds(pid: int) -> float:
    """CPU time used so far by one process (user + system)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rpartition(")")[2].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


class RelayTap:
    """Listens (in threads) for the commit's ``NOTIFY ece_outbox`` and on the hub's Redis
    topic, and notes when each came: the commit, then the trade's batch."""

    def __init__(self, redis_url: str, database_url: str) -> None:
        self.client = redis.Redis.from_url(redis_url)
        self.pubsub = self.client.pubsub()
        self.pubsub.subscribe(topic_of(redis_url))
        while self.pubsub.get_message(timeout=5) is None:  # the subscription, confirmed
            pass
        self.seen_at: float | None = None
        self.committed_at: float | None = None
        self.stop = threading.Event()
        self.thread = threading.Thread(target=self._listen, daemon=True)
        listening = threading.Event()
        self.commits = threading.Thread(
            target=asyncio.run, args=(self._commits(database_url, listening),), daemon=True
        )
        self.commits.start()
        listening.wait(30)

    async def _commits(self, database_url: str, listening: threading.Event) -> None:
        conn = await asyncpg.connect(database_url.replace("+asyncpg", ""))
        try:

            def heard(*_: object) -> None:
                self.committed_at = self.committed_at or time.time()

            await conn.add_listener(CHANNEL, heard)
            listening.set()
            while self.committed_at is None and not self.stop.is_set():
                await asyncio.sleep(0.01)
        finally:
            await conn.close()

    def _listen(self) -> None:
        while self.seen_at is None and not self.stop.is_set():
            message = self.pubsub.get_message(timeout=0.2)
            if message and message["type"] == "message" and TRADE in message["data"]:
                self.seen_at = time.time()

    def __enter__(self) -> RelayTap:
        self.thread.start()
        return self

    def __exit__(self, *_: object) -> None:
        self.stop.set()
        self.thread.join(timeout=5)
        self.commits.join(timeout=5)
        self.pubsub.close()
        self.client.close()


def fanout(
    web: Server,
    relay_pid: int,
    world: seeding.World,
    subscribers: int,
    clients: int,
    redis_url: str,
    database_url: str,
) -> dict[str, Any]:
    url = web.url.replace("http", "ws", 1) + "/api/v1/ws"
    share = [subscribers // clients + (n < subscribers % clients) for n in range(clients)]
    procs = [
        subprocess.Popen(
            [sys.executable, "-m", "bench.fanout_client", url, str(n)],
            stdout=subprocess.PIPE,
            text=True,
        )
        for n in share
    ]
    try:
        started = time.perf_counter()
        for proc in procs:
            assert proc.stdout is not None
            assert proc.stdout.readline().strip() == "ready", "a client could not subscribe"
        connected = time.perf_counter() - started
        log(f"fanout: {subscribers} sockets subscribed in {connected:.1f} s; buying")
        workers = web.worker_pids()
        cpu = (web.cpu_seconds(), process_cpu_seconds(relay_pid))
        per_worker = [process_cpu_seconds(pid) for pid in workers]
        with RelayTap(redis_url, database_url) as tap:
            status = buy(web, world)
            bought_at = time.time()  # the buy's answer: its transaction has committed
            for proc in procs:  # every socket has the trade (or a client gave up waiting)
                assert proc.stdout is not None
                assert proc.stdout.readline().strip() == "received"
            # CPU time from the buy to the last receipt: what the fan-out costs, whatever else
            # runs on the box (the wall-clock figures are only as good as the box is idle).
            # Read before the clients close their sockets: closing is not the fan-out.
            used = (
                web.cpu_seconds() - cpu[0],
                process_cpu_seconds(relay_pid) - cpu[1],
            )
            per_worker = [
                process_cpu_seconds(pid) - was for pid, was in zip(workers, per_worker, strict=True)
            ]
        reports = [json.loads(p.communicate(timeout=90)[0]) for p in procs]
        latencies = sorted(x for r in reports for x in r["latencies"])
        # Each client's own count, from subscribed to its last receipt.
        client_cpu = sum(r["cpu_seconds"] for r in reports)
        at = datetime.fromisoformat(reports[0]["at"]).timestamp() if reports[0]["at"] else None
    finally:
        for proc in procs:  # stopped, or cut short (a timeout's SIGTERM): never left behind
            if proc.poll() is None:
                proc.kill()
                proc.wait()

    def ms(instant: float | None) -> float | None:
        return round(1000 * (instant - at), 1) if instant and at is not None else None

    def from_commit(latency: float) -> float | None:
        committed = ms(tap.committed_at)
        return round(1000 * latency - committed, 1) if committed is not None else None

    return {
        "subscribers": subscribers,
        "received": len(latencies),
        # Sockets that got the trade more than once (each must get it exactly once).
        "repeated": sum(r["repeated"] for r in reports),
        "buy_status": status,
        "connect_seconds": round(connected, 1),
        "min_ms": round(1000 * latencies[0], 1),
        "p50_ms": round(1000 * statistics.median(latencies), 1),
        "p99_ms": round(1000 * latencies[int(0.99 * (len(latencies) - 1))], 1),
        "max_ms": round(1000 * latencies[-1], 1),
        # From the event's ``at`` to the buy's answer: its commit and the response (an upper
        # bound of what the commit adds before the relay can be woken).
        "buy_answered_ms": round(1000 * (bought_at - at), 1) if at is not None else None,
        # The relay's hop: from the event's ``at`` to its batch read back from Redis (the
        # commit, the relay woken, its claim, its publish), before any worker writes a socket.
        # From the event's ``at`` to its commit's ``NOTIFY`` heard by the bench, and from
        # that commit to the receipts (p50, p99): the acceptance's "commit to receipt".
        "commit_ms": ms(tap.committed_at),
        "from_commit_p50_ms": from_commit(statistics.median(latencies)),
        "from_commit_p99_ms": from_commit(latencies[int(0.99 * (len(latencies) - 1))]),
        "relay_hop_ms": (
            round(1000 * (tap.seen_at - at), 1) if tap.seen_at and at is not None else None
        ),
        # From the buy to the last receipt: the 2 web workers (the buy itself included), the
        # relay, and the client processes (from subscribed to their last receipt).
        "cpu_ms": {
            "web": round(1000 * used[0]),
            "relay": round(1000 * used[1]),
            "clients": round(1000 * client_cpu),
            "web_per_worker": [round(1000 * c) for c in per_worker],
        },
        "web_cpu_us_per_socket": round(1e6 * used[0] / subscribers, 1),
        "client_cpu_us_per_socket": round(1e6 * client_cpu / subscribers, 1),
        "load_average_1m": round(os.getloadavg()[0], 2),
    }


def relay_main() -> None:
    """The outbox relay job alone, as the worker runs it (its 0.25 s tick, and woken at once by
    ``NOTIFY ece_outbox`` when events commit), in this process (``ece worker`` runs it beside
    every other job, on one event loop: see the README)."""
    from ece.config import Settings
    from ece.notifications.jobs import relay_outbox
    from ece.runtime.jobs import registered
    from ece.runtime.services import build_services
    from ece.worker.runner import run_job

    assert relay_outbox  # importing the module registered the job
    (job,) = [j for j in registered() if j.name == "outbox_relay"]

    async def go() -> None:
        services = build_services(Settings())
        stop = asyncio.Event()
        loop = asyncio.get_running_loop()
        loop.add_signal_handler(signal.SIGTERM, stop.set)
        try:
            await services.start()
            await run_job(job, services, stop)
        finally:
            await services.close()

    asyncio.run(go())


def run(subscribers: int, clients: int, database: str = DATABASE) -> dict[str, Any]:
    work = Path(tempfile.mkdtemp(prefix="ece-bench-fanout-"))
    backend = prepare("postgresql", work, database)
    if backend is None:
        return {"skipped": "PostgreSQL not reachable"}
    backend.env["ECE_REDIS_URL"] = "redis://127.0.0.1:6379/14"
    web: Server | None = None
    relay: subprocess.Popen[bytes] | None = None
    try:
        settings = backend.settings
        upgrade(settings.resolved_database_url)
        asyncio.run(init_platform(settings))
        world = asyncio.run(seeding.seed(settings, SIZE))
        web = Server("web-fanout", backend.env, 2, work / "web.log")
        web.start(timeout=180)  # a busy shared box starts slowly
        with (work / "worker.log").open("ab") as out:
            relay = subprocess.Popen(
                [sys.executable, "-m", "bench.fanout", "--relay"],
                env={**os.environ, **backend.env},
                cwd=ROOT,
                stdout=out,
                stderr=subprocess.STDOUT,
            )
        asyncio.run(relay_rate(settings.resolved_database_url, 1))  # the relay is running
        figures = fanout(
            web,
            relay.pid,
            world,
            subscribers,
            clients,
            backend.env["ECE_REDIS_URL"],
            backend.env["ECE_DATABASE_URL"],
        )
        figures["relay_events_per_second"] = round(
            asyncio.run(relay_rate(settings.resolved_database_url))
        )
        figures["stack"] = "PostgreSQL + Redis, 2 web workers, the outbox relay, chain node"
        return figures
    finally:
        if relay is not None:
            relay.terminate()
            relay.wait(timeout=30)
        if web is not None:
            web.stop()
        if backend.chain_node is not None:
            backend.chain_node.stop()
        asyncio.run(drop_database(database))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--subscribers", type=int, default=10_000)
    parser.add_argument("--clients", type=int, default=CLIENTS)
    parser.add_argument("--database", default=DATABASE, help="PostgreSQL database to (re)create")
    parser.add_argument("--relay", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.relay:
        relay_main()
        return
    # A timeout's SIGTERM still stops the servers and drops the database (``finally``).
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(1))
    started = time.perf_counter()
    figures = run(args.subscribers, args.clients, args.database)
    figures["elapsed_seconds"] = round(time.perf_counter() - started, 1)
    print(json.dumps(figures, indent=2))
    RESULTS.mkdir(parents=True, exist_ok=True)
    latest = RESULTS / "latest.json"
    report = json.loads(latest.read_text()) if latest.exists() else {}
    report["fanout"] = figures
    latest.write_text(json.dumps(report, indent=2) + "\n")


if __name__ == "__main__":
    main()
