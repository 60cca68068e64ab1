"""Schemathesis over the real app's ``/openapi.json``: no operation answers 5xx.

Schemathesis draws requests from each operation's schema, valid ones (positive) and ones that
break it (negative); they are sent in-process to the test app, on this test's event loop (so the
same database, SQLite or PostgreSQL, as every other test), signed in as an admin so that every
route is exercised past 401/403. Bounded: a few examples per operation and no deadline.
"""

from __future__ import annotations

import contextlib
import os
from typing import Any

import httpx
import pytest
import schemathesis
from fastapi import FastAPI
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis.errors import Unsatisfiable
from schemathesis.checks import not_a_server_error
from schemathesis.core.failures import FailureGroup
from schemathesis.generation.modes import GenerationMode

from tests.builders import make_admin

EXAMPLES_PER_MODE = int(os.environ.get("ECE_FUZZ_EXAMPLES", "8"))
# Operations that end the credential they are called with: sent anonymously.
SIGNS_OUT = {("POST", "/api/v1/auth/logout")}

pytestmark = pytest.mark.filterwarnings("ignore")


def _draw(operation: Any, mode: GenerationMode) -> list[Any]:
    cases: list[Any] = []

    @given(operation.as_strategy(generation_mode=mode))
    @settings(
        max_examples=EXAMPLES_PER_MODE,
        deadline=None,
        database=None,
        derandomize=True,
        phases=[Phase.explicit, Phase.generate],
        suppress_health_check=list(HealthCheck),
    )
    def collect(case: Any) -> None:
        cases.append(case)

    # Nothing to break: an operation without parameters has no negative case.
    with contextlib.suppress(Unsatisfiable):
        collect()
    return cases


def _request(client: httpx.AsyncClient, kwargs: dict[str, Any]) -> httpx.Request | None:
    """The httpx request for a case's requests-style arguments (None when no HTTP client could
    send it, such as a header that is not Latin-1)."""
    headers = dict(kwargs.get("headers") or {})
    cookies = kwargs.get("cookies") or {}
    if cookies:
        headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in cookies.items())
    extra: dict[str, Any] = {}
    if "json" in kwargs:
        extra["json"] = kwargs["json"]
    data = kwargs.get("data")
    if isinstance(data, bytes | str):
        extra["content"] = data
    elif data is not None:
        extra["data"] = data
    if kwargs.get("files"):
        extra["files"] = kwargs["files"]
    try:
        return client.build_request(
            kwargs["method"],
            kwargs["url"],
            headers=headers,
            params=kwargs.get("params") or None,
            **extra,
        )
    except (UnicodeEncodeError, ValueError, TypeError):
        return None


async def test_no_operation_answers_a_server_error(app: FastAPI) -> None:
    # An exception inside the app is a 500 answer here, recorded like any other.
    transport = httpx.ASGITransport(app=app, raise_app_exceptions=False)
    async with httpx.AsyncClient(transport=transport, base_url="http://127.0.0.1:8000") as client:
        await _fuzz(app, client)


async def _fuzz(app: FastAPI, client: httpx.AsyncClient) -> None:
    spec = (await client.get("/openapi.json")).json()
    schema = schemathesis.openapi.from_dict(spec)
    admin = await make_admin(client, app)
    app.state.services.rate_limiter.enabled = False  # thousands of requests from one caller
    failures: list[str] = []
    sent = 0
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) >= 60
    for operation in operations:
        signs_out = (operation.method.upper(), operation.path) in SIGNS_OUT
        for mode in (GenerationMode.POSITIVE, GenerationMode.NEGATIVE):
            for i, case in enumerate(_draw(operation, mode)):
                # Most cases signed in (past 401), some with whatever auth was generated.
                auth = {} if signs_out or i % 4 == 3 else admin.headers
                kwargs = case.as_transport_kwargs(base_url=str(client.base_url), headers=auth)
                request = _request(client, kwargs)
                if request is None:
                    continue
                response = await client.send(request)
                sent += 1
                try:
                    case.validate_response(response, checks=[not_a_server_error])
                except FailureGroup:
                    failures.append(
                        f"{request.method} {request.url} {request.content[:300]!r} -> "
                        f"{response.status_code} {response.text[:300]}"
                    )
    assert sent >= len(operations) * EXAMPLES_PER_MODE
    assert not failures, "\n".join(failures)
