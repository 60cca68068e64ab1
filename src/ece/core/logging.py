"""Structured JSON logs carrying the request id (in jobs, the job's correlation id), the
caller's hashed user id and the OpenTelemetry trace id."""

from __future__ import annotations

import hashlib
import logging
import sys
from contextvars import ContextVar

import structlog
from opentelemetry import trace

request_id_var: ContextVar[str | None] = ContextVar("request_id", default=None)
# Filled in by authentication during a request: a dict the request's middleware owns, so what
# a dependency writes is seen by the access log line written after the endpoint returned.
request_fields_var: ContextVar[dict[str, str] | None] = ContextVar("request_fields", default=None)


def hashed_user(user_id: str) -> str:
    """A user id as logs carry it: linkable across lines, not the id itself."""
    return hashlib.sha256(b"ece-log-user:" + user_id.encode()).hexdigest()[:16]


def note_user(user_id: str) -> None:
    """Record the authenticated caller of the current request (hashed) for its log lines."""
    fields = request_fields_var.get()
    if fields is not None:
        fields["user"] = hashed_user(user_id)


def _add_request_id(
    _logger: object, _method: str, event_dict: structlog.types.EventDict
) -> structlog.types.EventDict:
    rid = request_id_var.get()
    if rid is not None:
        event_dict.setdefault("request_id", rid)
    fields = request_fields_var.get()
    if fields:
        for key, value in fields.items():
            event_dict.setdefault(key, value)
    return event_dict


def _add_trace(
    _logger: object, _method: str, event_dict: structlog.types.EventDict
) -> structlog.types.EventDict:
    context = trace.get_current_span().get_span_context()
    if context.is_valid:
        event_dict.setdefault("trace_id", format(context.trace_id, "032x"))
        event_dict.setdefault("span_id", format(context.span_id, "016x"))
    return event_dict


def configure_logging(level: str = "INFO", *, json: bool = True) -> None:
    renderer: structlog.types.Processor = (
        structlog.processors.JSONRenderer() if json else structlog.dev.ConsoleRenderer()
    )
    structlog.configure(
        processors=[
            structlog.contextvars.merge_contextvars,
            _add_request_id,
            _add_trace,
            structlog.processors.add_log_level,
            structlog.processors.TimeStamper(fmt="iso", utc=True),
            structlog.processors.format_exc_info,
            renderer,
        ],
        wrapper_class=structlog.make_filtering_bound_logger(
            logging.getLevelNamesMapping().get(level.upper(), logging.INFO)
        ),
        logger_factory=structlog.PrintLoggerFactory(file=sys.stderr),
        cache_logger_on_first_use=True,
    )
