"""Tracing: a buy is one trace (route, SQL, settlement) and its log lines carry the trace id."""

from __future__ import annotations

import io
import json
import sys
from collections.abc import Iterator

import httpx
import pytest
from opentelemetry.sdk.trace import TracerProvider
from opentelemetry.sdk.trace.export import SimpleSpanProcessor
from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter

from ece.config import Settings
from ece.core import outbox, tracing
from tests.builders import api_client, served, sign_in
from tests.market.support import buyer, list_card, minted_card, open_market

_EXPORTER = InMemorySpanExporter()


@pytest.fixture
def spans() -> Iterator[InMemorySpanExporter]:
    """The process's tracer provider, recording in memory (installed once per process)."""
    provider = TracerProvider()
    provider.add_span_processor(SimpleSpanProcessor(_EXPORTER))
    assert tracing.install(provider)
    _EXPORTER.clear()
    yield _EXPORTER
    _EXPORTER.clear()


def test_tracing_is_off_unless_the_environment_asks() -> None:
    assert not tracing.tracing_requested({})
    assert not tracing.tracing_requested({"OTEL_SERVICE_NAME": "ece"})
    assert not tracing.tracing_requested(
        {"OTEL_EXPORTER_OTLP_ENDPOINT": "http://collector:4318", "OTEL_TRACES_EXPORTER": "none"}
    )
    assert tracing.tracing_requested({"OTEL_EXPORTER_OTLP_ENDPOINT": "http://collector:4318"})
    assert tracing.tracing_requested({"OTEL_TRACES_EXPORTER": "console"})
    assert tracing.provider_from_environment({}) is None
    with pytest.raises(ValueError, match="zipkin"):
        tracing.provider_from_environment({"OTEL_TRACES_EXPORTER": "zipkin"})


async def test_a_buy_is_one_trace_with_route_sql_and_settlement_spans(
    settings: Settings, spans: InMemorySpanExporter, monkeypatch: pytest.MonkeyPatch
) -> None:
    logs = io.StringIO()
    monkeypatch.setattr(sys, "stderr", logs)  # the JSON log lines the app writes from here on
    verbose = settings.model_copy(update={"log_level": "INFO"})
    async with served(verbose) as app, api_client(app) as client:
        market = await open_market(client, app)
        seller = await sign_in(client)
        card_id = await minted_card(client, market, seller)
        listing = await list_card(client, seller, card_id, "25")
        alice = await buyer(client, app, "100")
        spans.clear()

        response = await client.post(
            f"/api/v1/listings/{listing['id']}/buy",
            headers={**alice.headers, "X-Request-ID": "buy-under-trace"},
            json={},
        )
        assert response.status_code == 201, response.text

        # The relay delivers the buy's events later, in a trace of its own linked to the buy's.
        async def deliver(_session: object, _events: object) -> None:
            return None

        assert await outbox.relay_once(app.state.services.db, deliver) > 0

    finished = spans.get_finished_spans()
    settlement = [s for s in finished if s.name == "settlement.sale"]
    assert len(settlement) == 1
    trace_id = settlement[0].context.trace_id
    in_trace = [s for s in finished if s.context.trace_id == trace_id]
    names = {s.name for s in in_trace}
    assert "POST /api/v1/listings/{listing_id}/buy" in names, names
    sql = [s for s in in_trace if s.attributes and "db.statement" in s.attributes]
    # The money moves in the settlement: in one hop to SQLite's driver thread (its span carries
    # the hop's statements), or in the one call to ece_settle_listing (PostgreSQL, 0034).
    moved = ("ledger", "ece_settle_listing")
    statements = [str(s.attributes["db.statement"]) for s in sql]  # type: ignore[index]
    assert any(word in text for text in statements for word in moved), names
    # The settlement's own statements nest under its span.
    assert any(s.parent and s.parent.span_id == settlement[0].context.span_id for s in sql)
    # Every span of the request is in that one trace.
    assert {s.context.trace_id for s in finished if s.name.startswith("POST")} == {trace_id}
    assert all(s.context.trace_id == trace_id for s in sql)

    lines = [json.loads(line) for line in logs.getvalue().splitlines() if line.startswith("{")]
    mine = [line for line in lines if line.get("request_id") == "buy-under-trace"]
    access = [line for line in mine if line["event"] == "http_request"]
    assert len(access) == 1
    assert access[0]["route"] == "/api/v1/listings/{listing_id}/buy"
    assert access[0]["status"] == 201 and access[0]["method"] == "POST"
    assert access[0]["duration_ms"] >= 0
    assert all(line["trace_id"] == format(trace_id, "032x") for line in mine)
    # The caller appears hashed, never as the id itself.
    assert access[0]["user"] and access[0]["user"] != alice.user["id"]
    assert alice.user["id"] not in logs.getvalue()

    relay = [s for s in finished if s.name == "outbox.relay"]
    assert len(relay) == 1 and relay[0].context.trace_id != trace_id
    assert trace_id in {link.context.trace_id for link in relay[0].links}


async def test_committed_sales_count_in_business_metrics(
    app: object, client: httpx.AsyncClient
) -> None:
    from fastapi import FastAPI

    from ece.core.metrics import BUSINESS_EVENTS, SALES_VOLUME

    assert isinstance(app, FastAPI)
    market = await open_market(client, app)
    seller = await sign_in(client)
    card_id = await minted_card(client, market, seller)
    listing = await list_card(client, seller, card_id, "25")
    alice = await buyer(client, app, "100")
    sold_before = BUSINESS_EVENTS.labels("trade.executed")._value.get()
    volume_before = SALES_VOLUME.labels("USDC")._value.get()

    response = await client.post(
        f"/api/v1/listings/{listing['id']}/buy", headers=alice.headers, json={}
    )
    assert response.status_code == 201
    # A refused buy (already sold) commits nothing and counts nothing.
    again = await client.post(
        f"/api/v1/listings/{listing['id']}/buy", headers=alice.headers, json={}
    )
    assert again.status_code >= 400

    assert BUSINESS_EVENTS.labels("trade.executed")._value.get() == sold_before + 1
    assert SALES_VOLUME.labels("USDC")._value.get() == volume_before + 25_000_000
