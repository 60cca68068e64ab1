"""Schemathesis over the real app's ``/openapi.json``, every response check: no operation
answers 5xx, a status the document does not list, a body or header that breaks its schema, or
refuses a request the schema calls valid (except for the documented rules below).

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
from schemathesis import checks
from schemathesis.core.failures import FailureGroup
from schemathesis.generation.modes import GenerationMode

from tests.builders import make_admin

EXAMPLES_PER_MODE = int(os.environ.get("ECE_FUZZ_EXAMPLES", "8"))
# Operations that end the credential they are called with: sent anonymously.
SIGNS_OUT = {("POST", "/api/v1/auth/logout")}
# What `st run --checks all` runs on each response (the checks that replay requests or need a
# stateful run are left to that run: ignored_auth, use_after_free, ensure_resource_availability,
# object_level_authorization; OPTIONS and 405 are tested in tests/core/test_openapi.py).
RESPONSE_CHECKS = [
    checks.not_a_server_error,
    checks.status_code_conformance,
    checks.content_type_conformance,
    checks.response_headers_conformance,
    checks.response_schema_conformance,
    checks.negative_data_rejection,
    checks.positive_data_acceptance,
]
# Refusals of schema-valid requests for what a value means, which JSON Schema cannot say: each
# is written in the parameter's or operation's description instead. Anything else refused is a
# rule missing from the schema, and fails.
MEANING_REFUSALS = {
    "invalid_cursor",  # a well-formed cursor this server never issued
    "invalid_address",  # base58 of the right length that is not 32 bytes
    "invalid_cid",  # a well-formed CID naming nothing ECE stores
    "invalid_amount",  # more decimals than the currency has, zero, too large
    "invalid_query",  # "give card or company"
    "invalid_range",  # min above max
    "invalid_input",  # a NUL or a lone surrogate in any string (the API description says so)
    "invalid_signature",
    "invalid_destination",  # a custody or program address ("not a token account")
    "invalid_duration",  # an auction's length, relative to its start
}
# Field checks about meaning inside a body (answered as validation_error with these reasons).
MEANING_REASONS = {
    "Value error, publicKey is not the key the address names",  # sign-in output's account
}

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
                    case.validate_response(response, checks=RESPONSE_CHECKS)
                except FailureGroup as group:
                    if _meaning_refusal(group, response):
                        continue
                    names = ", ".join(type(e).__name__ for e in group.exceptions)
                    failures.append(
                        f"{names}: "
                        f"{request.method} {request.url} {request.content[:300]!r} -> "
                        f"{response.status_code} {response.text[:300]}"
                    )
    assert sent >= len(operations) * EXAMPLES_PER_MODE
    assert not failures, "\n".join(failures)


def _meaning_refusal(group: FailureGroup, response: httpx.Response) -> bool:
    """A valid-looking request refused (422, or 400 for a CID) by a documented meaning rule."""
    if not all(type(e).__name__ == "RejectedPositiveData" for e in group.exceptions):
        return False
    if response.status_code not in (400, 422):
        return False
    problem = response.json()
    if problem.get("code") == "validation_error":
        reasons = {param["reason"] for param in problem.get("invalid_params", [])}
        return bool(reasons) and reasons <= MEANING_REASONS
    return problem.get("code") in MEANING_REFUSALS
