"""The server stack under test: uvicorn processes started as production runs them.

``ece.app:create_app`` under ``uvicorn --factory --workers N --no-access-log`` (uvloop and
httptools, which uvicorn picks when installed), background jobs off in the web processes
(``ECE_RUN_WORKERS=false``: at scale they run in ``ece worker``). On PostgreSQL one more
uvicorn process is the chain node: the embedded LiteSVM chain on its own data dir, whose
``/rpc`` the web workers share through ``ECE_SOLANA_RPC_URL``.
"""

from __future__ import annotations

import json
import os
import resource
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from types import TracebackType
from typing import Any

from ece.config import Settings
from ece.realtime.protocol import UVICORN_OPTIONS

ROOT = Path(__file__).resolve().parents[1]
UVICORN = str(Path(sys.executable).with_name("uvicorn"))


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def settings_of(env: dict[str, str]) -> Settings:
    """The settings the server processes will read from ``env`` (``ECE_*`` variables)."""
    values: dict[str, Any] = {
        key[4:].lower(): value for key, value in env.items() if key.startswith("ECE_")
    }
    return Settings(_env_file=None, **values)


def get_json(url: str, timeout: float = 5) -> object:
    with urllib.request.urlopen(url, timeout=timeout) as response:
        return json.loads(response.read())


@dataclass
class Server:
    """One uvicorn master (and its workers) serving the app factory."""

    name: str
    env: dict[str, str]
    workers: int
    log: Path
    port: int = field(default_factory=free_port)
    process: subprocess.Popen[bytes] | None = None
    # What uvicorn serves: the app factory, or another ASGI app (``bench.drop``'s floor).
    target: tuple[str, ...] = ("ece.app:create_app", "--factory")

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def command(self) -> list[str]:
        return [
            UVICORN,
            *self.target,
            "--no-proxy-headers",
            "--host",
            "127.0.0.1",
            "--port",
            str(self.port),
            "--workers",
            str(self.workers),
            "--no-access-log",
            "--log-level",
            "warning",
            # On a loaded box a busy worker answers the master's health check late: without
            # this, uvicorn restarts it (and drops its sockets) after 5 s.
            "--timeout-worker-healthcheck",
            "60",
            # As ``ece serve`` runs it: the WebSocket protocol of ``ece.realtime.protocol``.
            "--ws",
            UVICORN_OPTIONS["ws"],
            "--ws-per-message-deflate",
            str(UVICORN_OPTIONS["ws_per_message_deflate"]),
        ]

    def start(self, timeout: float = 180) -> None:  # a loaded box imports the app slowly
        env = {**os.environ, **self.env}
        with self.log.open("ab") as log:
            self.process = subprocess.Popen(
                self.command(), env=env, cwd=ROOT, stdout=log, stderr=subprocess.STDOUT
            )
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"{self.name} exited; see {self.log}")
            try:
                get_json(f"{self.url}/healthz", timeout=1)
                # Every worker must be up, not just the first: ask a few times.
                for _ in range(4 * self.workers):
                    get_json(f"{self.url}/healthz", timeout=5)
                return
            except OSError:
                time.sleep(0.2)
        raise RuntimeError(f"{self.name} did not answer within {timeout:.0f} s; see {self.log}")

    def worker_pids(self) -> list[int]:
        """The processes serving requests (for profilers): the workers uvicorn spawned, or the
        master itself when it serves alone."""
        if self.process is None:
            return []
        found: list[int] = []
        for pid, _, fields in _processes():
            if int(fields[1]) != self.process.pid:
                continue
            try:
                command = Path(f"/proc/{pid}/cmdline").read_bytes()
            except OSError:
                continue
            if b"resource_tracker" not in command:
                found.append(pid)
        return found or [self.process.pid]

    def cpu_seconds(self) -> float:
        """CPU time used so far by the master and its workers: per request, it is a figure the
        noise of a shared box bends far less than throughput."""
        if self.process is None:
            return 0.0
        total = 0
        for pid in {self.process.pid, *self.worker_pids()}:
            if (stat := _stat(pid)) is not None:
                total += int(stat[1][11]) + int(stat[1][12])  # utime + stime, in clock ticks
        return total / os.sysconf("SC_CLK_TCK")

    def stop(self) -> None:
        if self.process is None or self.process.poll() is not None:
            return
        self.process.send_signal(signal.SIGINT)  # graceful: the chain persists its state
        try:
            self.process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()

    def __enter__(self) -> Server:
        self.start()
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()


def postgres_cpu_seconds() -> float:
    """CPU time used so far by the local PostgreSQL server: its live processes, plus what the
    postmaster collected from the backends that have exited (``cutime + cstime``)."""
    server = {pid: fields for pid, name, fields in _processes() if name == "postgres"}
    total = 0
    for fields in server.values():
        total += int(fields[11]) + int(fields[12])  # utime + stime
        if int(fields[1]) not in server:  # the postmaster: add its reaped children
            total += int(fields[13]) + int(fields[14])
    return total / os.sysconf("SC_CLK_TCK")


def _stat(pid: int) -> tuple[str, list[str]] | None:
    """A process's command name and the ``/proc/<pid>/stat`` fields after it (None if gone)."""
    try:
        head, _, rest = Path(f"/proc/{pid}/stat").read_text().rpartition(")")
    except OSError:
        return None
    return head.partition("(")[2], rest.split()


def _processes() -> Iterator[tuple[int, str, list[str]]]:
    """(pid, command name, stat fields after the name) of every process."""
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit() and (stat := _stat(int(entry.name))) is not None:
            yield int(entry.name), *stat


def children_cpu_seconds() -> float:
    """CPU time of the finished child processes of this one (wrk, pgbench)."""
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def base_env(data_dir: Path) -> dict[str, str]:
    return {
        "ECE_ENV": "development",
        "ECE_DATA_DIR": str(data_dir),
        "ECE_RUN_WORKERS": "false",
        # All load comes from one address and a few hundred users, so the per-caller limits
        # would answer 429; the limiter is switched off for the benchmark (see the README).
        "ECE_RATE_LIMIT_ENABLED": "false",
        "ECE_LOG_LEVEL": "WARNING",
    }


def chain_facts(node: Server) -> dict[str, str]:
    """ECE_* settings pointing a web worker at the chain node's RPC and mints."""
    info = get_json(f"{node.url}/api/v1/chain")
    assert isinstance(info, dict)
    return {
        "ECE_SOLANA_RPC_URL": f"{node.url}/rpc",
        "ECE_ECE_MINT": str(info["assets"]["ECE"]["mint"]),
        "ECE_USDC_MINT": str(info["assets"]["USDC"]["mint"]),
        "ECE_KEYS_DIR": str(Path(node.env["ECE_DATA_DIR"]) / "keys"),
    }


def tool(name: str) -> str | None:
    return shutil.which(name)
