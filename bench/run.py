"""``make bench``: ECE over HTTP on SQLite and PostgreSQL, each figure beside a ceiling.

    .venv/bin/python bench/run.py [--seconds 5] [--levels 1,8,32] [--backends sqlite,postgresql]
                                  [--no-ledger] [--no-pgbench] [--no-portfolio] [--py-spy PATH]
                                  [--drop-only] [--database NAME]

For each backend: a fresh database and data dir, demo-sized data (``bench/seed.py``), the app
served as in production (``bench/stack.py``), then ``wrk`` at each concurrency level on
``floor`` (``/healthz``), ``browse`` (listing searches with filters and cursors) and ``buy``
(real settlements). Then ``pgbench`` TPC-B on the same PostgreSQL server and the in-process
ledger benchmark and the portfolio one (``bench/portfolio.py``). Afterwards the ledger check,
reconciliation and the trade count must hold.
Prints a table and writes ``bench/results/latest.json``. Reports figures; asserts no target.
``--drop-only``: seed, serve, the drop (``bench/drop.py``) and the checks after it, nothing
else, written to ``bench/results/drop.json``.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import platform
import secrets
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:  # run as a script: make ``bench`` importable
    sys.path.insert(0, str(ROOT))

from sqlalchemy import func, select  # noqa: E402

from bench import auction as hot_auction  # noqa: E402
from bench import catalog as catalog_bench  # noqa: E402
from bench import drop as collectible_drop  # noqa: E402
from bench import portfolio as portfolio_bench  # noqa: E402
from bench import rpc_pubsub  # noqa: E402
from bench import seed as seeding  # noqa: E402
from bench.ledger import Run as LedgerRun  # noqa: E402
from bench.ledger import measured as ledger_measured  # noqa: E402
from bench.load import Figures, ensure_wrk, pgbench, version_of, wrk  # noqa: E402
from bench.pg import PG_ADMIN, app_url, drop_database, fresh_database  # noqa: E402
from bench.stack import (  # noqa: E402
    Server,
    base_env,
    chain_facts,
    children_cpu_seconds,
    postgres_cpu_seconds,
    settings_of,
)
from ece.chain.setup import build_chain, build_platform  # noqa: E402
from ece.config import Settings  # noqa: E402
from ece.core.db import Database  # noqa: E402
from ece.core.migrate import upgrade  # noqa: E402
from ece.ledger.service import run_check  # noqa: E402
from ece.payments.reconciliation import reconcile  # noqa: E402
from ece.platform_init import init_platform  # noqa: E402
from ece.settlement.models import Sale  # noqa: E402

PG_APP_DB = "ece_bench"
PG_TPCB_DB = "ece_pgbench"
PG_LEDGER_DB = "ece_bench_ledger"
RESULTS = ROOT / "bench" / "results"
WEB_WORKERS = {"sqlite": 1, "postgresql": 2}
# The fan-out run within ``make bench`` (``python -m bench.fanout`` defaults to 10,000).
FANOUT_SUBSCRIBERS = 10_000


def log(message: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] {message}", flush=True)


# --- buy: listings handed out once, across levels ---------------------------------------------


@dataclass
class BuyPool:
    """Buy pairs not yet sent. wrk thread n of T sends its share's lines in order, so after a
    level the first ``issued`` lines of each share are spent."""

    remaining: list[str]
    issued_listings: set[str] = field(default_factory=set)

    def write(self, path: Path) -> Path:
        path.write_text("".join(f"{line}\n" for line in self.remaining))
        return path

    def spend(self, threads: int, issued_by_thread: dict[str, int]) -> None:
        spent: set[int] = set()
        for thread in range(threads):
            share = range(thread, len(self.remaining), threads)
            spent.update(list(share)[: issued_by_thread.get(str(thread + 1), 0)])
        self.issued_listings.update(self.remaining[i].split()[1] for i in spent)
        self.remaining = [x for i, x in enumerate(self.remaining) if i not in spent]


# --- one backend ------------------------------------------------------------------------------


@dataclass
class Backend:
    name: str  # sqlite | postgresql
    work: Path
    env: dict[str, str]
    chain_node: Server | None = None

    @property
    def settings(self) -> Settings:
        return settings_of(self.env)


def prepare(name: str, work: Path, database: str = PG_APP_DB) -> Backend | None:
    data = work / "data"
    data.mkdir(parents=True)
    env = base_env(data)
    backend = Backend(name, work, env)
    if name == "postgresql":
        if not asyncio.run(fresh_database(database)):
            log("PostgreSQL not reachable at 127.0.0.1:5432: skipped")
            return None
        env["ECE_DATABASE_URL"] = app_url(database)
        env["ECE_REDIS_URL"] = "redis://127.0.0.1:6379/15"  # readiness only: limiter is off
        # The chain lives in one process: a chain node on its own data dir, shared over RPC.
        node = Server("chain-node", base_env(work / "chain"), 1, work / "chain-node.log")
        (work / "chain").mkdir()
        node_settings = settings_of(node.env)  # `ece init` of the node's data dir
        upgrade(node_settings.resolved_database_url)
        asyncio.run(init_platform(node_settings))
        node.start()
        backend.chain_node = node
        env.update(chain_facts(node))
    return backend


def measured(
    web: Server,
    script: str,
    file: Path,
    connections: int,
    seconds: float,
    **wrk_options: Any,
) -> Figures:
    """One wrk run, plus the server's CPU time per answered request."""
    cpu, db_cpu, load_cpu = web.cpu_seconds(), postgres_cpu_seconds(), children_cpu_seconds()
    figures = wrk(web.url, script, file, connections, seconds, **wrk_options)
    used = {
        "server_cpu_ms_per_request": web.cpu_seconds() - cpu,
        # The local PostgreSQL server's CPU over the run (0 for SQLite, up to the noise of
        # other databases on the same server) and wrk's own.
        "db_cpu_ms_per_request": postgres_cpu_seconds() - db_cpu,
        "load_cpu_ms_per_request": children_cpu_seconds() - load_cpu,
    }
    for name, seconds_used in used.items():
        figures.detail[name] = (
            round(seconds_used * 1000 / figures.requests, 3) if figures.requests else None
        )
    return figures


def scenario(
    web: Server, script: str, file: Path, levels: list[int], seconds: float
) -> dict[str, Figures]:
    wrk(web.url, script, file, 8, 1)  # warm-up: connections, pools, lazy imports
    return {str(c): measured(web, script, file, c, seconds) for c in levels}


def buy_scenario(
    web: Server, pool: BuyPool, work: Path, levels: list[int], seconds: float
) -> dict[str, Figures]:
    figures: dict[str, Figures] = {}
    for connections in levels:
        file = pool.write(work / f"buy-{connections}.txt")
        result = measured(web, "buy.lua", file, connections, seconds)
        pool.spend(min(connections, 2), result.detail.get("issued_by_thread", {}))
        if not pool.remaining:
            result.detail["exhausted"] = True
        figures[str(connections)] = result
    return figures


def bid_scenario(
    web: Server, world: seeding.World, work: Path, seconds: float
) -> tuple[dict[str, Figures], dict[str, Any]]:
    """Bids on one hot auction at 32 clients, each a different bidder raising in turn (one wrk
    thread, so maximums rise in the order sent). Skipped, with the reason, when the auctions
    API is not served or the auction cannot be created."""
    auction = hot_auction.create(web.url, world)
    if isinstance(auction, str):
        return {}, {"skipped": auction, "ok": True}
    file = work / "bid.txt"
    file.write_text("".join(f"{token}\n" for token in auction.bidders))
    clients = len(auction.bidders)

    def run(start: int, run_seconds: float) -> Figures:
        env = {
            "BENCH_AUCTION": auction.id,
            "BENCH_RUN": secrets.token_hex(4),
            "BENCH_START": str(start),
            "BENCH_STEP": str(hot_auction.STEP),
        }
        return measured(web, "bid.lua", file, clients, run_seconds, threads=1, extra_env=env)

    warm = run(hot_auction.START, 1)  # warm-up: connections, pools, the auction's code paths
    start = hot_auction.START + int(warm.detail["issued"]) * hot_auction.STEP
    figures = run(start, seconds)
    statuses = {**warm.detail.get("statuses", {})}
    for code, n in figures.detail.get("statuses", {}).items():
        statuses[code] = statuses.get(code, 0) + n
    accepted = sum(int(n) for code, n in statuses.items() if code.startswith("2"))
    unseen = sum(int(f.detail["issued"]) - int(f.detail["answered"]) for f in (warm, figures))
    checks = hot_auction.checks(web.url, auction, accepted, unseen)
    return {str(clients): figures}, checks


async def after_checks(
    backend: Backend, pool: BuyPool, buys_2xx: int, unseen: int
) -> dict[str, Any]:
    """Ledger invariants, reconciliation with the chain, and every 2xx buy a trade."""
    settings = backend.settings
    db = Database(settings.resolved_database_url)
    chain = build_chain(settings)
    try:
        ledger = await run_check(db)
        reconciliation = await reconcile(db, chain, build_platform(settings))
        async with db.unit_of_work(write=False) as session:
            trades = int(await session.scalar(select(func.count()).select_from(Sale)) or 0)
            with_cuts = int(
                await session.scalar(
                    select(func.count())
                    .select_from(Sale)
                    .where(Sale.fee > 0, Sale.royalty > 0, Sale.source == "listing")
                )
                or 0
            )
            refs = set((await session.scalars(select(Sale.ref))).all())
    finally:
        await db.dispose()
        closed = chain.close()  # type: ignore[attr-defined]  # both chains have close()
        if asyncio.iscoroutine(closed):
            await closed
    on_sent = refs <= pool.issued_listings
    # A request still in flight when wrk stops may settle without wrk seeing its answer.
    counted = buys_2xx <= trades <= buys_2xx + unseen
    # Coins only: the seeded cards are rows without NFTs (bench/seed.py), so the card half of
    # the reconciliation would count every one of them missing from custody.
    coins_ok = all(asset.ok for asset in reconciliation.assets)
    return {
        "ledger_ok": ledger.ok,
        "reconciliation_ok": coins_ok,
        "reconciliation_scope": "coins (seeded cards have no NFTs)",
        "trades": trades,
        "trades_with_fee_and_royalty": with_cuts,
        "buys_2xx": buys_2xx,
        "buys_unanswered_at_stop": unseen,
        "trades_only_on_sent_listings": on_sent,
        "trades_match_2xx": counted,
        "ok": ledger.ok and coins_ok and on_sent and counted and with_cuts == trades,
    }


def run_backend(
    name: str, args: argparse.Namespace, keep: Path, size: seeding.Size
) -> dict[str, Any] | None:
    work = Path(tempfile.mkdtemp(prefix=f"ece-bench-{name}-"))
    backend = prepare(name, work, args.database)
    if backend is None:
        return None
    web: Server | None = None
    try:
        settings = backend.settings
        started = time.perf_counter()
        upgrade(settings.resolved_database_url)
        asyncio.run(init_platform(settings))  # `ece init`: keys, embedded chain, pins
        world = asyncio.run(seeding.seed(settings, size))
        files = asyncio.run(seeding.request_files(settings, world, work))
        seeded = time.perf_counter() - started
        log(
            f"{name}: seeded {len(world.tokens)} users, {size.cards} cards, "
            f"{len(world.listings)} listings in {seeded:.0f} s"
        )
        web = Server(f"web-{name}", backend.env, WEB_WORKERS[name], work / "web.log")
        web.start()
        log(f"{name}: serving on {web.url} with {web.workers} worker(s)")
        body = serve_scenarios(name, args, keep, web, world, files, work)
        body["seed_seconds"] = round(seeded, 1)
        body["data"] = {
            "users": len(world.tokens),
            "cards": size.cards,
            "listings": len(world.listings),
        }
        web.stop()  # SQLite: the embedded chain saves its state for the reconciliation
        sent = body.pop("sent")
        checks = asyncio.run(after_checks(backend, sent["pool"], sent["2xx"], sent["unseen"]))
        checks["bid"] = sent["bid_checks"]
        checks["drop_ok"] = body["drop"]["ok"]
        checks["ok"] = checks["ok"] and sent["bid_checks"]["ok"] and body["drop"]["ok"]
        body["checks"] = checks
        return body
    finally:
        if web is not None:
            web.stop()
        if backend.chain_node is not None:
            backend.chain_node.stop()
        for log_file in work.glob("*.log"):
            shutil.copy(log_file, keep / f"{name}-{log_file.name}")
        shutil.rmtree(work, ignore_errors=True)
        if name == "postgresql":
            asyncio.run(drop_database(args.database))


def serve_scenarios(
    name: str,
    args: argparse.Namespace,
    keep: Path,
    web: Server,
    world: seeding.World,
    files: dict[str, Path],
    work: Path,
) -> dict[str, Any]:
    """The scenarios against the running server (only the drop with ``--drop-only``), and
    under ``sent`` what the checks after the run need to know was sent."""
    scenarios: dict[str, dict[str, Figures]] = {}
    if not args.drop_only:
        scenarios["floor"] = scenario(web, "paths.lua", files["floor"], args.levels, args.seconds)
        log(f"{name}: floor done")
        scenarios["browse"] = scenario(web, "paths.lua", files["browse"], args.levels, args.seconds)
        log(f"{name}: browse done")
    meters = {"server": web.cpu_seconds}
    if name == "postgresql":
        meters["postgresql"] = postgres_cpu_seconds
    drop = collectible_drop.run(web.url, settings_of(web.env), world, set(), meters)
    log(f"{name}: drop done: {drop.get('answers', drop.get('skipped'))}")
    drop["uvicorn_floor"] = collectible_drop.floor(world, web.workers, work / "floor.log")
    pool = BuyPool(files["buy"].read_text().splitlines())
    # The drop's listings are sold (or tried): the buy runs never send them, the checks
    # count its sales as sent.
    dropped = set(drop.pop("listings"))
    pool.remaining = [line for line in pool.remaining if line.split()[1] not in dropped]
    pool.issued_listings |= dropped
    bid_checks: dict[str, Any] = {"ok": True, "skipped": "--drop-only"}
    if not args.drop_only:
        profile = args.py_spy and name == "postgresql"
        spy = (
            start_profiler(args.py_spy, web, keep / f"profile-{name}-buy.txt") if profile else None
        )
        scenarios["buy"] = buy_scenario(web, pool, work, args.levels, args.seconds)
        if spy is not None:
            spy.send_signal(2)
            spy.wait(timeout=30)
        log(f"{name}: buy done")
        scenarios["bid"], bid_checks = bid_scenario(web, world, work, args.seconds)
        if "skipped" in bid_checks:
            log(f"{name}: bid on one hot auction SKIPPED: {bid_checks['skipped']}")
        else:
            log(f"{name}: bid done (auction {bid_checks['auction_id']})")
    buy = scenarios.get("buy", {})
    buys_2xx = sum(int(f.detail.get("statuses", {}).get("201", 0)) for f in buy.values())
    unseen = sum(int(f.detail["issued"]) - int(f.detail["answered"]) for f in buy.values())
    return {
        "web_workers": WEB_WORKERS[name],
        "scenarios": {
            scenario_name: {c: f.as_dict() for c, f in levels.items()}
            for scenario_name, levels in scenarios.items()
        },
        "drop": drop,
        "sent": {
            "pool": pool,
            "2xx": buys_2xx + int(drop.get("created_201", 0)),
            "unseen": unseen,
            "bid_checks": bid_checks,
        },
    }


def write_drop_only(report: dict[str, Any], began: float) -> None:
    """``--drop-only``: the drop and the checks per backend in ``bench/results/drop.json``
    (``latest.json`` stays the last full run's)."""
    bodies = {name: body for name, body in report["backends"].items() if body}
    report["drop"] = {name: body["drop"] for name, body in bodies.items()}
    report["checks_ok"] = all(body["checks"]["ok"] for body in bodies.values())
    report["machine"]["load_average_at_end"] = [round(x, 2) for x in os.getloadavg()]
    report["elapsed_seconds"] = round(time.perf_counter() - began, 1)
    (RESULTS / "drop.json").write_text(json.dumps(report, indent=2) + "\n")
    for name, drop in report["drop"].items():
        print(f"drop {name}: {json.dumps(drop)}")
        print(f"checks {name}: {json.dumps(bodies[name]['checks'])}")
    print(f"\nwrote {RESULTS / 'drop.json'} in {report['elapsed_seconds']:.0f} s")


def start_profiler(py_spy: str, web: Server, out: Path) -> subprocess.Popen[bytes]:
    """py-spy on every web worker during the buy runs (``--py-spy``): raw collapsed stacks."""
    workers = web.worker_pids()
    command = [py_spy, "record", "-r", "250", "-f", "raw", "-o", str(out), "--pid", str(workers[0])]
    return subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


# --- ceilings and the ledger ------------------------------------------------------------------


def ledger_figures(url: str) -> dict[str, float]:
    async def go() -> dict[str, float]:
        db = Database(url, pool_size=32, max_overflow=8)
        try:
            run = LedgerRun(db)
            await run.fund()
            figures = {"batched_1000_per_tx": await run.batched(20_000, 1_000)}
            steps = (
                ("single_1_per_tx", run.single, 1_000),
                ("concurrent_32_tasks_1_per_tx", run.concurrent, 1_024),
                ("line_single_1_per_tx", run.line_single, 1_000),
                ("line_32_tasks_1_per_tx", run.line_concurrent, 2_048),
            )
            for key, step, total in steps:
                figures[key], figures[f"{key}_cpu_ms"] = await ledger_measured(step, total)
            figures["check_ok"] = float((await run_check(db)).ok)
            return {k: round(v, 1) for k, v in figures.items()}
        finally:
            await db.dispose()

    return asyncio.run(go())


def ledger_both() -> dict[str, dict[str, float]]:
    out: dict[str, dict[str, float]] = {}
    with tempfile.TemporaryDirectory() as tmp:
        url = f"sqlite+aiosqlite:///{Path(tmp) / 'ledger.db'}"
        upgrade(url)
        out["sqlite"] = ledger_figures(url)
    if asyncio.run(fresh_database(PG_LEDGER_DB)):
        try:
            url = app_url(PG_LEDGER_DB)
            upgrade(url)
            out["postgresql"] = ledger_figures(url)
        finally:
            asyncio.run(drop_database(PG_LEDGER_DB))
    return out


# --- report -----------------------------------------------------------------------------------


def machine() -> dict[str, Any]:
    cpu = next(
        (
            line.split(":", 1)[1].strip()
            for line in Path("/proc/cpuinfo").read_text().splitlines()
            if line.startswith("model name")
        ),
        platform.processor(),
    )
    mem_kb = int(Path("/proc/meminfo").read_text().split()[1])
    return {
        "cpus": os.cpu_count(),
        "cpu_model": cpu,
        "memory_gb": round(mem_kb / 1024 / 1024, 1),
        "load_average_at_start": [round(x, 2) for x in os.getloadavg()],
        "kernel": platform.release(),
        "python": platform.python_version(),
        "sqlite": sqlite3.sqlite_version,
        "postgresql": version_of(
            ["psql", "-h", "127.0.0.1", "-U", "postgres", "-Atc", "SHOW server_version"]
        ),
        "pgbench": version_of(["pgbench", "--version"]),
        "wrk": version_of(["wrk", "-v"]),
        "uvicorn": version_of([str(Path(sys.executable).with_name("uvicorn")), "--version"]),
    }


def git_commit() -> dict[str, Any]:
    def git(*args: str) -> str:
        done = subprocess.run(["git", *args], cwd=ROOT, capture_output=True, text=True, check=False)
        return done.stdout.strip()

    return {"commit": git("rev-parse", "HEAD"), "dirty": bool(git("status", "--porcelain"))}


def ratio(a: float | None, b: float | None) -> float | None:
    return round(a / b, 3) if a is not None and b else None


def rps_of(report: dict[str, Any], backend: str, name: str, level: str) -> float | None:
    try:
        return float(report["backends"][backend]["scenarios"][name][level]["rps"])
    except (KeyError, TypeError):
        return None


def accepted_rps_of(report: dict[str, Any], backend: str, name: str, level: str) -> float | None:
    """Answers per second that were 2xx (wrk's statuses, as the bid script records them)."""
    try:
        figures = report["backends"][backend]["scenarios"][name][level]
        statuses = figures["detail"]["statuses"]
        accepted = sum(int(n) for code, n in statuses.items() if code.startswith("2"))
        return accepted / float(figures["seconds"]) if figures["seconds"] else None
    except (KeyError, TypeError):
        return None


def print_table(report: dict[str, Any]) -> None:
    print()
    head = f"{'backend':<11}{'scenario':<9}{'conc':>5}{'req/s':>10}{'p50 ms':>9}{'p95 ms':>9}"
    print(f"{head}{'p99 ms':>9}{'errors':>8}{'cpu ms/req':>12}")
    print("-" * len(head + " " * 29))
    for backend, body in report["backends"].items():
        if body is None:
            print(f"{backend:<11}not run (database unreachable)")
            continue
        for name, levels in body["scenarios"].items():
            for level, f in levels.items():
                print(
                    f"{backend:<11}{name:<9}{level:>5}{f['rps']:>10,.0f}{f['p50_ms']:>9.1f}"
                    f"{f['p95_ms']:>9.1f}{f['p99_ms']:>9.1f}{f['errors']:>8}"
                    f"{f['detail'].get('server_cpu_ms_per_request') or 0:>12.2f}"
                )
    tpcb = report.get("pgbench")
    if tpcb:
        print(
            f"{'postgresql':<11}{'pgbench':<9}{tpcb['detail']['clients']:>5}{tpcb['rps']:>10,.0f}"
            f"{tpcb['p50_ms']:>9.1f}{tpcb['p95_ms']:>9.1f}{tpcb['p99_ms']:>9.1f}{tpcb['errors']:>8}"
        )
    print()
    for backend, figures in report.get("ledger", {}).items():
        print(
            f"ledger {backend:<11} batched {figures['batched_1000_per_tx']:>9,.0f}/s   "
            f"1 per tx {figures['single_1_per_tx']:>6,.0f}/s   "
            f"32 tasks {figures['concurrent_32_tasks_1_per_tx']:>6,.0f}/s   "
            f"TransferLine 1 / 32 tasks {figures['line_single_1_per_tx']:>6,.0f} / "
            f"{figures['line_32_tasks_1_per_tx']:>6,.0f}/s   "
            f"check ok {bool(figures['check_ok'])}"
        )
    bound = report.get("cpu_bound") or {}
    if "buy_cpu_ms" in bound:
        print(
            f"buy pg c32 CPU ms per buy {bound['buy_cpu_ms']}: CPU-bound "
            f"{bound['buy_tps_cpu_bound']}/s; with the web workers free "
            f"{bound['buy_tps_cpu_bound_without_web']}/s = "
            f"{bound['buy_without_web_vs_pgbench']} x pgbench "
            f"(pgbench CPU-bound {bound.get('pgbench_tps_cpu_bound')}, "
            f"measured {bound.get('pgbench_tps_measured')})"
        )
    bid = report.get("bid") or {}
    if "skipped" in bid:
        print(f"bid on one hot auction (pg c32): SKIPPED: {bid['skipped']}")
    elif bid:
        print(
            f"bid on one hot auction (pg c32): {bid['bids_per_second']}/s "
            f"({bid['accepted_per_second']}/s accepted), p99 {bid['p99_ms']} ms,"
            f" errors {bid['errors']}, statuses {bid['statuses']}, {bid['vs_pgbench']} x pgbench"
        )
    fan = report.get("fanout") or {}
    if "p99_ms" in fan:
        print(
            f"fan-out of one trade to {fan['subscribers']:,} sockets: {fan['received']:,} received,"
            f" p50 {fan['p50_ms']} ms, p99 {fan['p99_ms']} ms (target < 100 ms), web CPU"
            f" {fan['web_cpu_us_per_socket']} us/socket; relay {fan['relay_events_per_second']}/s"
        )
    elif fan:
        print(f"fan-out: SKIPPED: {fan.get('skipped')}")
    for backend, drop in (report.get("drop") or {}).items():
        if "skipped" in drop:
            print(f"drop {backend}: SKIPPED: {drop['skipped']}")
            continue
        print(
            f"drop {backend:<11} {drop['buyers']} buyers on {drop['listing_count']} listings: "
            f"{drop['sales']} sales, answers {drop['answers']}, p50 {drop['p50_ms']} ms, "
            f"p99 {drop['p99_ms']} ms, all answered in {drop['wall_ms']} ms, "
            f"CPU ms per request {drop.get('cpu_ms_per_request')}"
        )
    print(f"CPU ms per buy (c32): {report.get('cpu_ms_per_buy')}")
    print()
    for name, value in report["ratios"].items():
        print(f"ratio {name:<34} {value}")
    for backend, body in report["backends"].items():
        if body:
            print(f"checks {backend:<11} {json.dumps(body['checks'])}")
    print()
    for name, verdict in report["targets"].items():
        print(f"target {name:<44} {verdict}")


def cpu_bound(report: dict[str, Any]) -> dict[str, Any]:
    """What the box's cores allow when CPU is the limit: cores x 1000 / CPU ms per transaction.

    For TPC-B (PostgreSQL + pgbench's CPU) it checks the model against the measured tps. For a
    buy it is given twice: with everything measured (web workers + PostgreSQL + wrk), and with
    the web workers free, i.e. the most buys a second any application could settle here while
    PostgreSQL does the work our buy asks of it.
    """
    cores = os.cpu_count() or 1
    out: dict[str, Any] = {"cores": cores}

    def bound(*ms: float | None) -> float | None:
        if any(x is None for x in ms) or not sum(x or 0 for x in ms):
            return None
        return round(cores * 1000 / sum(x or 0 for x in ms), 1)

    tpcb = report.get("pgbench")
    if tpcb:
        d = tpcb["detail"]
        out["pgbench_tps_cpu_bound"] = bound(
            d.get("db_cpu_ms_per_request"), d.get("load_cpu_ms_per_request")
        )
        out["pgbench_tps_measured"] = tpcb["rps"]
    try:
        buy = report["backends"]["postgresql"]["scenarios"]["buy"]["32"]["detail"]
    except (KeyError, TypeError):
        return out
    app, db, load = (
        buy.get("server_cpu_ms_per_request"),
        buy.get("db_cpu_ms_per_request"),
        buy.get("load_cpu_ms_per_request"),
    )
    out["buy_cpu_ms"] = {"web": app, "postgresql": db, "wrk": load}
    out["buy_tps_cpu_bound"] = bound(app, db, load)
    out["buy_tps_cpu_bound_without_web"] = free = bound(db, load)
    tps = tpcb["rps"] if tpcb else None
    out["buy_without_web_vs_pgbench"] = ratio(free, tps)
    return out


def detail_of(report: dict[str, Any], backend: str, name: str, level: str) -> dict[str, Any]:
    try:
        return dict(report["backends"][backend]["scenarios"][name][level]["detail"])
    except (KeyError, TypeError):
        return {}


def cpu_per_buy(report: dict[str, Any]) -> dict[str, float | None]:
    """CPU ms per answered buy at 32 clients: in the web workers and in PostgreSQL (PG run),
    and in the one SQLite server process (which does the database's work as well)."""
    pg = detail_of(report, "postgresql", "buy", "32")
    lite = detail_of(report, "sqlite", "buy", "32")
    return {
        "web": pg.get("server_cpu_ms_per_request"),
        "postgresql": pg.get("db_cpu_ms_per_request"),
        "sqlite": lite.get("server_cpu_ms_per_request"),
    }


def bid_summary(report: dict[str, Any]) -> dict[str, Any]:
    """The hot-auction figures on PostgreSQL at 32 clients, or why they were not measured."""
    body = report["backends"].get("postgresql")
    if not body:
        return {"skipped": "PostgreSQL not run"}
    checks = body["checks"].get("bid", {})
    figures = body["scenarios"].get("bid", {}).get("32")
    if figures is None:
        return {"skipped": checks.get("skipped", "not run")}
    statuses = figures["detail"].get("statuses", {})
    accepted = sum(int(n) for code, n in statuses.items() if code.startswith("2"))
    # A refusal is a correct answer (the bid was below the minimum when its turn came) and
    # stays counted in ``errors``; it is also shown apart from every other failure.
    refused = sum(int(n) for code, n in statuses.items() if code.endswith("bid_too_low"))
    return {
        "clients": 32,
        "bids_per_second": round(figures["rps"], 1),
        "accepted_per_second": round(accepted / figures["seconds"], 1)
        if figures["seconds"]
        else None,
        "p99_ms": figures["p99_ms"],
        "errors": figures["errors"],
        "refused_bid_too_low": refused,
        "errors_other": figures["errors"] - refused,
        "statuses": statuses,
        "vs_pgbench": report["ratios"].get("bid_vs_pgbench"),
        "checks_ok": checks.get("ok"),
    }


def targets(report: dict[str, Any]) -> dict[str, str]:
    """Each goal (bench/README.md) against this run's figures: met, MISSED or not run."""

    def verdict(ok: bool | None, text: str) -> str:
        return f"{'not run' if ok is None else 'met' if ok else 'MISSED'}  ({text})"

    def at_most(value: float | None, goal: float) -> bool | None:
        return None if value is None else value <= goal

    def at_least(value: float | None, goal: float) -> bool | None:
        return None if value is None else value >= goal

    def figure(backend: str, name: str, level: str, key: str) -> Any:
        try:
            return report["backends"][backend]["scenarios"][name][level][key]
        except (KeyError, TypeError):
            return None

    out: dict[str, str] = {}
    r = report["ratios"].get("buy_vs_pgbench")
    out["buy pg c32 >= 0.2 x pgbench"] = verdict(at_least(r, 0.2), f"ratio {r}")
    p99 = figure("postgresql", "buy", "32", "p99_ms")
    out["buy pg c32 p99 < 100 ms"] = verdict(at_most(p99, 99.999), f"p99 {p99} ms")
    errors = figure("postgresql", "buy", "32", "errors")
    out["buy pg c32 zero errors"] = verdict(at_most(errors, 0), f"{errors}")
    cpu = report.get("cpu_ms_per_buy", {})
    for key, goal in (("web", 3.0), ("postgresql", 2.0), ("sqlite", 3.0)):
        out[f"CPU per buy {key} <= {goal:g} ms"] = verdict(
            at_most(cpu.get(key), goal), f"{cpu.get(key)} ms"
        )
    rps = figure("sqlite", "buy", "8", "rps")
    out["buy sqlite c8 >= 300/s"] = verdict(at_least(rps, 300), f"{rps}/s")
    p99 = figure("sqlite", "buy", "8", "p99_ms")
    out["buy sqlite c8 p99 < 100 ms"] = verdict(at_most(p99, 99.999), f"p99 {p99} ms")
    b = report["ratios"].get("sqlite_browse_vs_floor")
    out["browse sqlite c32 >= 0.5 x floor"] = verdict(at_least(b, 0.5), f"ratio {b}")
    for backend in ("sqlite", "postgresql"):
        levels = (report.get("p99_ms") or {}).get(backend, {}).get("browse", {})
        worst = max(levels.values()) if levels else None
        out[f"browse {backend} p99 < 50 ms at every level"] = verdict(
            at_most(worst, 49.999), f"p99 by level {levels}"
        )
    ledger = report.get("ledger", {})
    for backend, goal in (("sqlite", 2_000), ("postgresql", 1_500)):
        # Judged on TransferLine (the ledger's one-transfer-per-transaction path); the same
        # transfers in a unit of work each are reported beside it.
        figures = ledger.get(backend) or {}
        rate = figures.get("line_32_tasks_1_per_tx")
        session = figures.get("concurrent_32_tasks_1_per_tx")
        out[f"ledger {backend} 1 per tx, 32 tasks >= {goal:,}/s"] = verdict(
            at_least(rate, goal), f"{rate}/s on TransferLine ({session}/s in units of work)"
        )
    for backend, drop in (report.get("drop") or {}).items():
        if "skipped" in drop:
            out[f"drop {backend}"] = verdict(False, drop["skipped"])
            continue
        text = (
            f"{drop['sales']} sales, {drop['clean_409']} clean 409s, "
            f"{drop['server_errors_5xx']} 5xx, {drop['transport_errors']} transport errors"
        )
        out[f"drop {backend}: 100 sales, the rest 409, no 5xx"] = verdict(drop["ok"], text)
        out[f"drop {backend} p99 < 1 s"] = verdict(
            at_most(drop["p99_ms"], 999.999), f"p99 {drop['p99_ms']} ms"
        )
    r = report["ratios"].get("bid_vs_pgbench")
    out["bid pg c32 >= 0.2 x pgbench"] = verdict(at_least(r, 0.2), f"ratio {r}")
    p99 = figure("postgresql", "bid", "32", "p99_ms")
    out["bid pg c32 p99 < 100 ms"] = verdict(at_most(p99, 99.999), f"p99 {p99} ms")
    errors = figure("postgresql", "bid", "32", "errors")
    out["bid pg c32 zero errors"] = verdict(at_most(errors, 0), f"{errors}")
    sqlite_portfolio = (report.get("portfolio") or {}).get("sqlite")
    p50 = sqlite_portfolio["portfolio"]["p50_ms"] if sqlite_portfolio else None
    out["portfolio 500 cards sqlite p50 <= 100 ms"] = verdict(at_most(p50, 100), f"p50 {p50} ms")
    fan = report.get("fanout") or {}
    out["fan-out p99 < 100 ms"] = verdict(at_most(fan.get("p99_ms"), 99.999), f"{fan}")
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--seconds", type=float, default=5, help="wrk run per level")
    parser.add_argument("--levels", default="1,8,32", help="wrk connections, comma-separated")
    parser.add_argument("--backends", default="sqlite,postgresql")
    parser.add_argument("--no-ledger", action="store_true")
    parser.add_argument("--no-pgbench", action="store_true")
    parser.add_argument("--no-portfolio", action="store_true")
    parser.add_argument("--py-spy", default=None, help="py-spy binary: profile a PG web worker")
    parser.add_argument("--listings", type=int, default=5_000)
    parser.add_argument(
        "--fanout-subscribers",
        type=int,
        default=FANOUT_SUBSCRIBERS,
        help="WebSocket subscribers of the fan-out run (0: skip it)",
    )
    parser.add_argument(
        "--catalog-cards", type=int, default=50_000, help="catalog search bench size (0: skip)"
    )
    parser.add_argument("--users", type=int, default=2_200)
    parser.add_argument(
        "--database", default=PG_APP_DB, help="PostgreSQL database of the app (runs apart)"
    )
    parser.add_argument(
        "--drop-only",
        action="store_true",
        help="seed, serve and run only the drop (and the checks after it); writes "
        "bench/results/drop.json",
    )
    args = parser.parse_args()
    args.levels = [int(x) for x in args.levels.split(",")]
    began = time.perf_counter()
    RESULTS.mkdir(parents=True, exist_ok=True)
    if not args.drop_only:
        ensure_wrk()  # installed now, so the machine's description names its version
    report: dict[str, Any] = {
        "generated_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "git": git_commit(),
        "machine": machine(),
        "setup": {
            "server": "uvicorn ece.app:create_app --factory --workers N --no-access-log "
            "(uvloop, httptools)",
            "web_workers": WEB_WORKERS,
            "load_generator": "wrk 4.1 (closed loop), same 2 cores as the server",
            "seconds_per_level": args.seconds,
            "levels": args.levels,
            "rate_limits": "off (ECE_RATE_LIMIT_ENABLED=false)",
            "background_jobs": "off in web processes (ECE_RUN_WORKERS=false)",
        },
        "backends": {},
    }
    # Users enough for the drop's buyers, each a different person (bench/drop.py).
    size = seeding.Size(listings=args.listings, users=args.users)
    for name in args.backends.split(","):
        log(f"--- {name}")
        report["backends"][name] = run_backend(name, args, RESULTS, size)
    if args.drop_only:
        write_drop_only(report, began)
        return
    if not args.no_pgbench and shutil.which("pgbench"):
        log("--- pgbench TPC-B, scale 10, 16 clients")
        try:
            report["pgbench"] = pgbench(
                PG_ADMIN, PG_TPCB_DB, scale=10, clients=16, seconds=10
            ).as_dict()
        except subprocess.CalledProcessError as exc:
            log(f"pgbench failed: {exc}")
    if not args.no_ledger:
        log("--- ledger, in-process")
        report["ledger"] = ledger_both()
    log("--- embedded chain RPC PubSub, in-process")
    report["rpc_pubsub"] = rpc_pubsub.run()
    if not args.no_portfolio:
        log("--- portfolio of 500 cards (+100 resold), in-process")
        report["portfolio"] = portfolio_bench.run_both()
    if args.fanout_subscribers:
        from bench import fanout  # imports this module: not at the top

        log(f"--- fan-out of one trade to {args.fanout_subscribers:,} WebSocket subscribers")
        report["fanout"] = fanout.run(args.fanout_subscribers, fanout.CLIENTS)
    if args.catalog_cards:
        log(f"--- catalog search, in-process, {args.catalog_cards:,} cards")
        report["catalog"] = asyncio.run(
            catalog_bench.catalog(args.catalog_cards, 30, args.backends.split(","))
        )
        (RESULTS / "catalog.json").write_text(json.dumps(report["catalog"], indent=2) + "\n")
    tpcb_tps = (report.get("pgbench") or {}).get("rps")
    report["ratios"] = {
        "buy_vs_pgbench": ratio(rps_of(report, "postgresql", "buy", "32"), tpcb_tps),
        # Accepted bids only (2xx): a refused bid is answered, but it is not a bid placed.
        "bid_vs_pgbench": ratio(accepted_rps_of(report, "postgresql", "bid", "32"), tpcb_tps),
        "browse_vs_floor": ratio(
            rps_of(report, "postgresql", "browse", "32"),
            rps_of(report, "postgresql", "floor", "32"),
        ),
        "sqlite_browse_vs_floor": ratio(
            rps_of(report, "sqlite", "browse", "32"),
            rps_of(report, "sqlite", "floor", "32"),
        ),
    }
    detail: dict[str, float | None] = {}
    for backend in report["backends"]:
        for level in map(str, args.levels):
            detail[f"{backend}_browse_vs_floor_c{level}"] = ratio(
                rps_of(report, backend, "browse", level), rps_of(report, backend, "floor", level)
            )
            detail[f"{backend}_buy_vs_pgbench_c{level}"] = ratio(
                rps_of(report, backend, "buy", level), tpcb_tps
            )
        detail[f"{backend}_bid_vs_pgbench_c32"] = ratio(
            rps_of(report, backend, "bid", "32"), tpcb_tps
        )
    report["ratios_detail"] = detail
    report["bid"] = bid_summary(report)
    report["cpu_ms_per_buy"] = cpu_per_buy(report)
    report["p99_ms"] = {
        backend: {
            name: {level: f["p99_ms"] for level, f in levels.items()}
            for name, levels in body["scenarios"].items()
        }
        for backend, body in report["backends"].items()
        if body
    }
    report["drop"] = {backend: body["drop"] for backend, body in report["backends"].items() if body}
    report["cpu_bound"] = cpu_bound(report)
    report["errors"] = sum(
        int(f["errors"])
        for body in report["backends"].values()
        if body
        for levels in body["scenarios"].values()
        for f in levels.values()
    )
    report["checks_ok"] = all(b["checks"]["ok"] for b in report["backends"].values() if b)
    report["targets"] = targets(report)
    report["machine"]["load_average_at_end"] = [round(x, 2) for x in os.getloadavg()]
    report["elapsed_seconds"] = round(time.perf_counter() - began, 1)
    (RESULTS / "latest.json").write_text(json.dumps(report, indent=2) + "\n")
    print_table(report)
    if report.get("portfolio"):
        print()
        portfolio_bench.print_figures(report["portfolio"])
    print(f"\nwrote {RESULTS / 'latest.json'} in {report['elapsed_seconds']:.0f} s")


if __name__ == "__main__":
    main()
