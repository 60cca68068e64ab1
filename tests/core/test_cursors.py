"""Cursor fuzzing: a cursor the server did not make is a 422 ``invalid_cursor``, never a 500.

Issue 14 finding 10: cursors of the right length but the wrong content (valid base64 of another
JSON shape, values of the wrong type, a naive datetime, NUL in a string, a huge integer) reached
the database and answered 500 (80 of 224 cases).
"""

from __future__ import annotations

import base64
import json
import random
from datetime import UTC, datetime
from typing import Any

import httpx
import pytest
from fastapi import FastAPI

from ece.core.pagination import encode_cursor
from tests.market.support import open_market, quick_card

pytestmark = pytest.mark.filterwarnings("ignore")

# Values that fit no sort key: every key is an aware datetime, a BIGINT or a short string.
BAD_VALUES: list[Any] = [
    None,
    True,
    1.5,
    2**70,
    -(2**70),
    [1],
    {"a": 1},
    {"dt": "2026-01-01T00:00:00"},  # naive
    {"dt": 5},
    {"dt": "not a date"},
    {"dt": "2026-01-01T00:00:00+00:00", "x": 1},
    "a\x00b",
    "x" * 300,
]


def _cursor(value: Any) -> str:
    return base64.urlsafe_b64encode(json.dumps(value).encode()).decode().rstrip("=")


async def _webhook_id(client: httpx.AsyncClient, headers: dict[str, str]) -> str:
    hook = {"url": "http://127.0.0.1:9/hook", "events": ["*"]}
    response = await client.post("/api/v1/webhooks", json=hook, headers=headers)
    assert response.status_code == 201, response.text
    return str(response.json()["id"])


def _paginated(app: FastAPI, card_id: str, webhook_id: str) -> list[str]:
    """Every list URL with a cursor, once per sort order it offers."""
    spec = app.openapi()
    urls: list[str] = []
    for path, operations in spec["paths"].items():
        for op in operations.values():
            params = {p["name"]: p for p in op.get("parameters", [])}
            if "cursor" not in params:
                continue
            url = path.replace("{card_id}", card_id).replace("{webhook_id}", webhook_id)
            sort = params.get("sort")
            if sort is None:
                urls.append(url + "?")
                continue
            ref = sort["schema"]["$ref"].rsplit("/", 1)[1]
            urls += [f"{url}?sort={s}&" for s in spec["components"]["schemas"][ref]["enum"]]
    return urls


def _assert_refused(response: httpx.Response) -> None:
    assert response.status_code == 422, (response.request.url, response.text)
    assert response.headers["content-type"] == "application/problem+json"
    assert response.json()["code"] in {"invalid_cursor", "validation_error"}


async def test_cursors_of_the_wrong_shape_or_types_are_422(
    app: FastAPI, client: httpx.AsyncClient
) -> None:
    market = await open_market(client, app)
    headers = market.admin.headers
    app.state.services.rate_limiter.enabled = False  # thousands of requests from one caller
    card_id = await quick_card(app, market.company_id, None)
    urls = _paginated(app, card_id, await _webhook_id(client, headers))
    assert len(urls) >= 20
    shapes: list[Any] = [{}, "x", 1, [], [[]], {"dt": "2026-01-01T00:00:00+00:00"}]
    cursors = [_cursor(s) for s in shapes]
    for width in (1, 2, 3, 4):
        cursors += [_cursor([bad] * width) for bad in BAD_VALUES]
        # One bad value among good ones, in every position.
        good = ["2026-01-01T00:00:00+00:00", 1, "abc", "def"][:width]
        for i in range(width):
            cursors += [_cursor([*good[:i], bad, *good[i + 1 :]]) for bad in BAD_VALUES[:9]]
    for url in urls:
        for cursor in cursors:
            response = await client.get(f"{url}cursor={cursor}", headers=headers)
            assert response.status_code < 500, (url, cursor, response.text)
            if response.status_code != 200:
                _assert_refused(response)
        for bad in BAD_VALUES:
            # The same bad value in every slot fits no sort order of any width.
            for width in (1, 2, 3):
                response = await client.get(
                    f"{url}cursor={_cursor([bad] * width)}", headers=headers
                )
                _assert_refused(response)


async def test_random_cursors_of_a_real_cursors_length_are_422(
    app: FastAPI, client: httpx.AsyncClient
) -> None:
    market = await open_market(client, app)
    headers = market.admin.headers
    app.state.services.rate_limiter.enabled = False  # thousands of requests from one caller
    card_id = await quick_card(app, market.company_id, None)

    real = encode_cursor([datetime(2026, 1, 1, tzinfo=UTC), "0" * 32])
    rng = random.Random(14)
    alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"
    for url in _paginated(app, card_id, await _webhook_id(client, headers)):
        for _ in range(12):
            raw = bytes(rng.randrange(256) for _ in range(len(real) * 3 // 4))
            cursor = base64.urlsafe_b64encode(raw).decode().rstrip("=")
            junk = "".join(rng.choice(alphabet) for _ in range(len(real)))
            for candidate in (cursor, junk, real[:-3] + junk[:3]):
                response = await client.get(f"{url}cursor={candidate}", headers=headers)
                assert response.status_code < 500, (url, candidate, response.text)
                if response.status_code != 200:
                    _assert_refused(response)
