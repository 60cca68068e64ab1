"""OpenTelemetry tracing, configured only through the standard ``OTEL_*`` environment variables.

Off unless ``OTEL_EXPORTER_OTLP_ENDPOINT`` (or ``OTEL_EXPORTER_OTLP_TRACES_ENDPOINT``) or
``OTEL_TRACES_EXPORTER`` is set: with tracing off, the spans our code opens are the API's
no-op spans and nothing is exported. When on, the FastAPI routes, every SQL statement, Redis
and outgoing HTTPX calls are traced, and the SDK reads the rest of ``OTEL_*`` itself (service
name, sampler, headers, batch sizes).
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Mapping

from fastapi import FastAPI
from opentelemetry import propagate, trace
from opentelemetry.sdk.resources import Resource
from opentelemetry.sdk.trace import TracerProvider
from opentelemetry.sdk.trace.export import (
    BatchSpanProcessor,
    ConsoleSpanExporter,
    SpanExporter,
)

tracer = trace.get_tracer("ece")

_ENABLING = ("OTEL_EXPORTER_OTLP_ENDPOINT", "OTEL_EXPORTER_OTLP_TRACES_ENDPOINT")


def tracing_requested(environ: Mapping[str, str] | None = None) -> bool:
    """Whether the environment asks for traces (``OTEL_TRACES_EXPORTER=none`` says no)."""
    env = os.environ if environ is None else environ
    exporter = env.get("OTEL_TRACES_EXPORTER", "").strip().lower()
    if exporter == "none" or env.get("OTEL_SDK_DISABLED", "").lower() == "true":
        return False
    return bool(exporter) or any(env.get(name) for name in _ENABLING)


def _exporter(environ: Mapping[str, str]) -> SpanExporter:
    name = environ.get("OTEL_TRACES_EXPORTER", "otlp").strip().lower() or "otlp"
    if name == "console":
        return ConsoleSpanExporter()
    if name != "otlp":
        raise ValueError(f"OTEL_TRACES_EXPORTER={name!r}: ECE supports otlp, console or none")
    from opentelemetry.exporter.otlp.proto.http.trace_exporter import OTLPSpanExporter

    return OTLPSpanExporter()  # endpoint, headers and timeout from OTEL_EXPORTER_OTLP_*


def provider_from_environment(environ: Mapping[str, str] | None = None) -> TracerProvider | None:
    """The tracer provider the environment asks for, or None when tracing is off."""
    env = os.environ if environ is None else environ
    if not tracing_requested(env):
        return None
    resource = Resource.create({"service.name": env.get("OTEL_SERVICE_NAME", "ece")})
    provider = TracerProvider(resource=resource)
    provider.add_span_processor(BatchSpanProcessor(_exporter(env)))
    return provider


def install(provider: TracerProvider | None = None) -> bool:
    """Make ``provider`` (default: the environment's) the process's tracer provider and
    instrument SQLAlchemy, Redis and HTTPX; call before any engine or client is created.
    Once per process: a second call changes nothing. Whether tracing is on."""
    provider = provider or provider_from_environment()
    if provider is None:
        return _installed()
    if _installed():
        return True
    trace.set_tracer_provider(provider)
    from opentelemetry.instrumentation.httpx import HTTPXClientInstrumentor
    from opentelemetry.instrumentation.redis import RedisInstrumentor
    from opentelemetry.instrumentation.sqlalchemy import SQLAlchemyInstrumentor

    # The instrumentation declares SQLAlchemy < 2.1; its event hooks are unchanged in 2.1, and
    # tests/observability/test_tracing.py proves the statements are traced.
    SQLAlchemyInstrumentor().instrument(tracer_provider=provider, skip_dep_check=True)
    RedisInstrumentor().instrument(tracer_provider=provider)
    HTTPXClientInstrumentor().instrument(tracer_provider=provider)
    return True


def _installed() -> bool:
    from opentelemetry.instrumentation.sqlalchemy import SQLAlchemyInstrumentor

    return bool(SQLAlchemyInstrumentor().is_instrumented_by_opentelemetry)


def instrument_app(app: FastAPI) -> None:
    """Trace the app's routes (span names are route templates) when tracing is installed."""
    if not _installed():
        return
    from opentelemetry.instrumentation.fastapi import FastAPIInstrumentor

    # Probes and scrapes would drown the traces that matter; a WebSocket would get a span per
    # message sent, per socket (thousands for one trade), on a span as long as the socket.
    FastAPIInstrumentor.instrument_app(
        app, excluded_urls="healthz,readyz,metrics,static,api/v1/ws$"
    )


def current_trace_id() -> str | None:
    """The current span's trace id as 32 hex digits, or None outside a recorded trace."""
    context = trace.get_current_span().get_span_context()
    return format(context.trace_id, "032x") if context.is_valid else None


def traceparent() -> str | None:
    """The current trace context as a W3C ``traceparent``, to store with work done later (None
    outside a recorded trace)."""
    headers: dict[str, str] = {}
    propagate.inject(headers)
    return headers.get("traceparent")


def links(parents: Iterable[str | None]) -> list[trace.Link]:
    """Span links to the traces named by stored ``traceparent`` values (distinct, valid ones)."""
    found: list[trace.Link] = []
    seen: set[str] = set()
    for parent in parents:
        if not parent or parent in seen:
            continue
        seen.add(parent)
        context = trace.get_current_span(
            propagate.extract({"traceparent": parent})
        ).get_span_context()
        if context.is_valid:
            found.append(trace.Link(context))
    return found
