"""Real processes as compose runs them, without a container engine: `ece serve` replicas and
`ece worker` on PostgreSQL + Redis and a chain served over RPC, behind Debian's HAProxy running
deploy/haproxy/haproxy.cfg unchanged."""

from __future__ import annotations

import asyncio
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import httpx

from ece.config import Settings

ROOT = Path(__file__).resolve().parents[2]
ECE = str(Path(sys.executable).with_name("ece"))
HAPROXY_CFG = ROOT / "deploy" / "haproxy" / "haproxy.cfg"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def env_of(settings: Settings, **extra: str) -> dict[str, str]:
    """The ECE_* environment that makes a process read ``settings``."""
    values = settings.model_dump(mode="json", exclude_none=True)
    env = {k: v for k, v in os.environ.items() if not k.startswith("ECE_")}
    for name, value in values.items():
        if isinstance(value, list):
            value = ",".join(value)
        elif isinstance(value, bool):
            value = "true" if value else "false"
        env[f"ECE_{name.upper()}"] = str(value)
    for secret in ("secret_key", "database_url", "redis_url"):
        if (raw := getattr(settings, secret)) is not None:
            env[f"ECE_{secret.upper()}"] = raw
    for secret in ("metrics_token", "kyc_keys"):
        if (raw := getattr(settings, secret)) is not None:
            env[f"ECE_{secret.upper()}"] = raw.get_secret_value()
    env["PYTHONUNBUFFERED"] = "1"
    env["PYTHONFAULTHANDLER"] = "1"
    env.update(extra)
    return env


@dataclass
class Process:
    name: str
    command: list[str]
    env: dict[str, str]
    log: Path
    port: int | None = None
    popen: subprocess.Popen[bytes] | None = None
    started_at: float = field(default=0.0)

    def start(self) -> None:
        with self.log.open("ab") as log:
            self.popen = subprocess.Popen(
                self.command, env=self.env, cwd=ROOT, stdout=log, stderr=subprocess.STDOUT
            )
        self.started_at = time.monotonic()

    async def wait_ready(self, path: str = "/readyz", timeout: float = 300) -> None:
        """Poll without blocking the event loop: the chain these processes use over RPC is
        served from this test process."""
        assert self.popen is not None and self.port is not None
        deadline = time.monotonic() + timeout
        last = ""
        async with httpx.AsyncClient(timeout=3) as http:
            while time.monotonic() < deadline:
                if self.popen.poll() is not None:
                    raise AssertionError(f"{self.name} exited: {self.log.read_text()[-2000:]}")
                try:
                    answer = await http.get(f"http://127.0.0.1:{self.port}{path}")
                    if answer.status_code == 200:
                        return
                    last = answer.text
                except httpx.TransportError as exc:
                    last = type(exc).__name__
                await asyncio.sleep(0.2)
        # Where it is stuck: faulthandler (PYTHONFAULTHANDLER) prints every thread's stack.
        self.popen.send_signal(signal.SIGABRT)
        self.popen.wait(10)
        tail = self.log.read_text()[-6000:]
        raise AssertionError(f"{self.name} not ready in {timeout} s ({last}): {tail}")

    def kill(self) -> None:
        """SIGKILL: no graceful shutdown, requests in flight are cut."""
        assert self.popen is not None
        self.popen.kill()
        self.popen.wait()

    def stop(self) -> None:
        if self.popen is None or self.popen.poll() is not None:
            return
        self.popen.send_signal(signal.SIGTERM)
        try:
            self.popen.wait(timeout=25)
        except subprocess.TimeoutExpired:
            self.popen.kill()
            self.popen.wait()


def replica(name: str, env: dict[str, str], work: Path) -> Process:
    port = free_port()
    command = [ECE, "serve", "--host", "127.0.0.1", "--port", str(port)]
    return Process(name, command, env, work / f"{name}.log", port)


def self_signed_certificate(work: Path) -> Path:
    """A certificate for 127.0.0.1 (HAProxy reads certificate and key from one PEM)."""
    pem = work / "lb.pem"
    openssl = shutil.which("openssl") or "openssl"
    arguments = "req -x509 -newkey rsa:2048 -nodes -days 1 -subj /CN=127.0.0.1 -addext"
    arguments += f" subjectAltName=IP:127.0.0.1 -keyout {pem} -out {pem}"
    subprocess.run([openssl, *arguments.split()], check=True, capture_output=True)
    return pem


def balancer(replicas: list[Process], work: Path) -> Process:
    pem = self_signed_certificate(work)
    port = free_port()
    env = {
        **os.environ,
        "ECE_LB_HTTPS": f"127.0.0.1:{port}",
        "ECE_LB_HTTP": f"127.0.0.1:{free_port()}",
        "ECE_LB_CERT": str(pem),
        **{f"ECE_WEB{i}": f"127.0.0.1:{r.port}" for i, r in enumerate(replicas, start=1)},
    }
    haproxy = shutil.which("haproxy") or "/usr/sbin/haproxy"
    return Process("haproxy", [haproxy, "-db", "-f", str(HAPROXY_CFG)], env, work / "lb.log", port)


@contextmanager
def running(processes: list[Process]) -> Iterator[list[Process]]:
    try:
        for process in processes:
            process.start()
        yield processes
    finally:
        for process in reversed(processes):
            process.stop()
