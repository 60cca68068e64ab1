"""Load generators: ``wrk`` (closed loop, fixed connections) with Lua scripts, and ``pgbench``.

Both run as their own processes beside the server, on the same cores: that is the honest limit
of a one-box benchmark, and why every figure is read against a ceiling measured in the same run.
"""

from __future__ import annotations

import json
import re
import shutil
import statistics
import subprocess
import tempfile
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from bench.stack import children_cpu_seconds, postgres_cpu_seconds

LUA = Path(__file__).resolve().parent / "wrk"


@dataclass
class Figures:
    """One measurement: throughput, latency percentiles (ms) and errors."""

    rps: float
    p50_ms: float
    p95_ms: float
    p99_ms: float
    errors: int
    requests: int
    seconds: float
    detail: dict[str, Any] = field(default_factory=dict)

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


def ensure_wrk() -> str:
    """``wrk`` from Debian, installed on first use (root on the bench box)."""
    found = shutil.which("wrk")
    if found:
        return found
    print("installing wrk (apt-get install -y wrk)...", flush=True)
    install = ["apt-get", "install", "-y", "-q", "wrk"]
    if subprocess.run(install, capture_output=True, check=False).returncode != 0:
        subprocess.run(["apt-get", "update", "-q"], capture_output=True, check=False)
        subprocess.run(install, capture_output=True, check=True)
    found = shutil.which("wrk")
    if not found:
        raise RuntimeError("wrk is not installed and apt-get could not install it")
    return found


def wrk(
    url: str,
    script: str,
    requests_file: Path,
    connections: int,
    seconds: float,
    *,
    threads: int | None = None,
    extra_env: dict[str, str] | None = None,
) -> Figures:
    """Run wrk against ``url`` with ``connections`` closed-loop connections for ``seconds``
    (``threads`` wrk threads: 1 for c=1, else 2 unless given; ``extra_env`` for the script)."""
    threads = threads or min(connections, 2)
    env = {"BENCH_FILE": str(requests_file), "BENCH_THREADS": str(threads), "PATH": "/usr/bin"}
    env.update(extra_env or {})
    command = [
        ensure_wrk(),
        f"-t{threads}",
        f"-c{connections}",
        f"-d{round(seconds)}s",
        "--timeout",
        "10s",
        "-s",
        str(LUA / script),
        url,
    ]
    done = subprocess.run(command, capture_output=True, text=True, env=env, check=False)
    line = next((x for x in done.stdout.splitlines() if x.startswith("BENCH_JSON ")), None)
    if done.returncode != 0 or line is None:
        raise RuntimeError(f"wrk failed ({done.returncode}): {done.stdout}\n{done.stderr}")
    raw: dict[str, Any] = json.loads(line.removeprefix("BENCH_JSON "))
    errors = sum(raw["errors"].values())
    seconds_run = raw["duration_us"] / 1e6
    latency = raw["latency_us"]
    return Figures(
        rps=raw["requests"] / seconds_run if seconds_run else 0.0,
        p50_ms=latency["p50"] / 1000,
        p95_ms=latency["p95"] / 1000,
        p99_ms=latency["p99"] / 1000,
        errors=errors,
        requests=raw["requests"],
        seconds=seconds_run,
        detail={k: v for k, v in raw.items() if k not in ("latency_us", "requests")},
    )


def _percentile(ordered: list[float], q: float) -> float:
    if not ordered:
        return 0.0
    return ordered[min(len(ordered) - 1, max(0, round(q * len(ordered)) - 1))]


def pgbench(admin_url: str, database: str, *, scale: int, clients: int, seconds: int) -> Figures:
    """TPC-B (pgbench's default script) on a fresh ``database`` of the same PostgreSQL server."""
    base = ["-h", "127.0.0.1", "-p", _port(admin_url), "-U", "postgres"]
    psql = ["psql", *base, "-d", "postgres", "-q", "-v", "ON_ERROR_STOP=1", "-c"]
    subprocess.run([*psql, f'DROP DATABASE IF EXISTS "{database}" WITH (FORCE)'], check=True)
    subprocess.run([*psql, f'CREATE DATABASE "{database}"'], check=True)
    try:
        subprocess.run(
            ["pgbench", *base, "-i", "-q", "-s", str(scale), database],
            check=True,
            capture_output=True,
        )
        with tempfile.TemporaryDirectory() as tmp:
            prefix = Path(tmp) / "tx"
            db_cpu, client_cpu = postgres_cpu_seconds(), children_cpu_seconds()
            done = subprocess.run(
                [
                    "pgbench",
                    *base,
                    "-c",
                    str(clients),
                    "-j",
                    "2",
                    "-T",
                    str(seconds),
                    "-l",
                    f"--log-prefix={prefix}",
                    database,
                ],
                capture_output=True,
                text=True,
                check=True,
            )
            db_cpu = postgres_cpu_seconds() - db_cpu
            client_cpu = children_cpu_seconds() - client_cpu
            # Per-transaction log lines: client, tx no, latency (us), script, epoch s, us.
            latencies: list[float] = []
            for log in Path(tmp).glob("tx*"):
                for row in log.read_text().splitlines():
                    latencies.append(int(row.split()[2]) / 1000)
    finally:
        subprocess.run([*psql, f'DROP DATABASE IF EXISTS "{database}" WITH (FORCE)'], check=False)
    tps = re.search(r"tps = ([\d.]+) \(without initial connection time\)", done.stdout)
    failed = re.search(r"number of failed transactions: (\d+)", done.stdout)
    processed = re.search(r"number of transactions actually processed: (\d+)", done.stdout)
    latencies.sort()
    count = int(processed.group(1)) if processed else len(latencies)
    return Figures(
        rps=float(tps.group(1)) if tps else 0.0,
        p50_ms=statistics.median(latencies) if latencies else 0.0,
        p95_ms=_percentile(latencies, 0.95),
        p99_ms=_percentile(latencies, 0.99),
        errors=int(failed.group(1)) if failed else 0,
        requests=count,
        seconds=float(seconds),
        detail={
            "scale": scale,
            "clients": clients,
            "script": "tpcb-like",
            "db_cpu_ms_per_request": round(db_cpu * 1000 / count, 3) if count else None,
            "load_cpu_ms_per_request": round(client_cpu * 1000 / count, 3) if count else None,
        },
    )


def _port(url: str) -> str:
    match = re.search(r":(\d+)/", url)
    return match.group(1) if match else "5432"


def version_of(command: list[str]) -> str:
    try:
        done = subprocess.run(command, capture_output=True, text=True, check=False, timeout=5)
    except OSError:
        return "unavailable"
    text = (done.stdout or done.stderr).strip().splitlines()
    return text[0] if text else "unknown"
