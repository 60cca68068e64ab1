"""Browser tests: the real app over HTTP (with its workers), driven by Debian's chromium.

One chromium serves the tests of this package on a worker, in a new browser context (own
cookies, storage and service workers) per user of each test: launching it per test cost a few
seconds each. While it runs, Playwright's sync API owns the worker thread's event loop, so
set-up coroutines run in a thread of their own (``tests.conftest.run_to_completion``). xdist
hands a worker consecutive tests, so the package's tests share it; it closes when the worker
moves on to another package.

Every page a test opens is watched: a console error, an uncaught exception, a failed request or
an HTTP error the test did not provoke fails the test. A failing test leaves a screenshot of
each of its pages in ``test-results/``.
"""

from __future__ import annotations

import os
import re
import socket
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest
import uvicorn
from playwright.sync_api import (
    Browser,
    BrowserContext,
    ConsoleMessage,
    Page,
    Request,
    expect,
    sync_playwright,
)
from solders.keypair import Keypair

from ece.app import create_app
from ece.config import Settings

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
# Assertions wait as long as actions do: on a loaded 2-core machine a sign-in can take over 5 s.
expect.set_options(timeout=15_000)
RESULTS = Path(__file__).resolve().parents[2] / "test-results"
DESKTOP = {"width": 1280, "height": 800}
PHONE = {"width": 390, "height": 844}


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]) -> Iterator[None]:
    outcome = yield
    report = outcome.get_result()  # type: ignore[attr-defined]
    setattr(item, f"rep_{report.when}", report)


@dataclass
class WebServer:
    base_url: str
    settings: Settings
    admin: Keypair


class _Server(uvicorn.Server):
    def install_signal_handlers(self) -> None:
        pass  # runs in a thread: the test process keeps its own signal handling


@pytest.fixture
def web_server(settings: Settings) -> Iterator[WebServer]:
    """The whole app on a free port, lifespan and background jobs included (deposits are
    credited by the watcher job), with ECE_DOMAIN equal to host:port so sign-in works."""
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    admin = Keypair()
    served = settings.model_copy(
        update={
            "domain": f"127.0.0.1:{port}",
            "admin_addresses": [str(admin.pubkey())],
            "run_workers": True,
        }
    )
    servers: list[_Server] = []

    def serve() -> None:
        # The app is made in the thread whose loop runs it: this thread's loop is Playwright's.
        server = _Server(uvicorn.Config(create_app(served), log_level="warning", lifespan="on"))
        servers.append(server)
        server.run(sockets=[sock])

    thread = threading.Thread(target=serve, daemon=True)
    thread.start()
    for _ in range(600):
        if (servers and servers[0].started) or not thread.is_alive():
            break
        threading.Event().wait(0.05)
    assert servers and servers[0].started, "the web server did not start"
    try:
        yield WebServer(f"http://127.0.0.1:{port}", served, admin)
    finally:
        servers[0].should_exit = True
        thread.join(30)
        sock.close()


@pytest.fixture(scope="package")
def chromium() -> Iterator[Browser]:
    if not CHROMIUM.exists():
        message = "needs /usr/bin/chromium (make test installs it: apt-get install chromium)"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@dataclass
class Watch:
    """Problems seen on the pages; ``expect_errors`` names URLs whose 4xx the test provokes."""

    problems: list[str] = field(default_factory=list)
    provoked: list[re.Pattern[str]] = field(default_factory=list)

    def expect_errors(self, url_pattern: str) -> None:
        self.provoked.append(re.compile(url_pattern))

    def _provoked(self, url: str) -> bool:
        return any(p.search(url) for p in self.provoked)

    def attach(self, page: Page) -> None:
        def on_console(message: ConsoleMessage) -> None:
            if message.type != "error":
                return
            url = message.location.get("url", "")
            if message.text.startswith("Failed to load resource") and self._provoked(url):
                return
            self.problems.append(f"console error on {page.url}: {message.text} ({url})")

        page.on("console", on_console)
        page.on("pageerror", lambda error: self.problems.append(f"uncaught on {page.url}: {error}"))

        def on_failed(request: Request) -> None:
            # Leaving a page cancels what it still loads (a favicon, an image): ERR_ABORTED is
            # the browser moving on, not a request that failed.
            if request.failure != "net::ERR_ABORTED" and not self._provoked(request.url):
                self.problems.append(f"request failed: {request.method} {request.url}")

        page.on("requestfailed", on_failed)
        page.on(
            "response",
            lambda r: (
                r.status >= 400
                and not self._provoked(r.url)
                and self.problems.append(f"HTTP {r.status}: {r.request.method} {r.url}")
            ),
        )

    def assert_clean(self) -> None:
        assert not self.problems, "problems on the pages:\n" + "\n".join(self.problems)


@dataclass
class Browsers:
    """Each user is a browser context of their own: own cookies, own dev wallet key."""

    browser: Browser
    watch: Watch
    contexts: list[BrowserContext] = field(default_factory=list)

    def new_user(self, viewport: dict[str, int] | None = None) -> Page:
        context = self.browser.new_context(viewport=viewport or DESKTOP)  # type: ignore[arg-type]
        context.set_default_timeout(15_000)
        self.contexts.append(context)
        page = context.new_page()
        self.watch.attach(page)
        return page


@pytest.fixture
def browsers(chromium: Browser, request: pytest.FixtureRequest) -> Iterator[Browsers]:
    opened = Browsers(chromium, Watch())
    yield opened
    report = getattr(request.node, "rep_call", None)
    if report is not None and report.failed:
        RESULTS.mkdir(exist_ok=True)
        name = re.sub(r"[^\w.-]+", "_", request.node.nodeid)
        for i, context in enumerate(opened.contexts):
            for j, page in enumerate(context.pages):
                page.screenshot(path=str(RESULTS / f"{name}-{i}-{j}.png"), full_page=True)
    for context in opened.contexts:
        context.close()
