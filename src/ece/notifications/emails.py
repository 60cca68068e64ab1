"""Email notifications: queued by the relay for the email channel, rendered from the templates
in ``templates/email`` (first line the subject) and sent through SMTP, retried a few times.
Without ``ECE_SMTP_HOST`` nothing is queued."""

from __future__ import annotations

import asyncio
import smtplib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import timedelta
from email.message import EmailMessage as Mail
from pathlib import Path
from typing import Any

import structlog
from jinja2 import Environment, FileSystemLoader
from sqlalchemy.ext.asyncio import AsyncSession

from ece.auth import service as auth
from ece.config import Settings
from ece.core.clock import utcnow
from ece.core.db import Database, new_id
from ece.core.money import Asset, format_amount
from ece.core.outbox import Event
from ece.notifications import email_repository as repository
from ece.notifications import rules
from ece.notifications.rules import Channel, Draft

log = structlog.get_logger(__name__)


@dataclass(frozen=True, slots=True)
class Made:
    """A notification an event made, with the channels its user wants it on."""

    event: Event
    draft: Draft
    channels: frozenset[Channel]


LEASE = timedelta(minutes=5)
# A backlog the relay catches up on (a relay down for days, a first start) is not emailed:
# an outbid from last week is noise. In-app notifications are still made.
MAX_EVENT_AGE = timedelta(hours=6)
# Plain text mail: nothing is escaped, and nothing in it is markup.
TEMPLATES = Environment(
    loader=FileSystemLoader(Path(__file__).parent / "templates" / "email"),
    autoescape=False,  # noqa: S701
    keep_trailing_newline=True,
)


async def queue(session: AsyncSession, settings: Settings, made: Sequence[Made]) -> None:
    """The relay's part: an email for each notification its user wants by email."""
    if settings.smtp_host is None:
        return
    now = utcnow()
    rows = [
        {
            "id": new_id(),
            "user_id": m.draft.user_id,
            "kind": m.draft.kind.value,
            "event_id": m.event.id,
            "data": m.draft.data,
            "status": "pending",
            "attempts": 0,
            "next_attempt_at": now,
            "created_at": now,
        }
        for m in made
        if Channel.email in m.channels
        and m.draft.kind in rules.EMAIL_TEMPLATES
        and now - m.event.created_at < MAX_EVENT_AGE
    ]
    await repository.add_ignoring_repeats(session, rows)


def _shown_amount(data: Mapping[str, Any]) -> str:
    amount, asset = data.get("amount"), data.get("asset")
    if isinstance(amount, int) and isinstance(asset, str) and asset in Asset.__members__:
        return format_amount(amount, Asset(asset))
    return str(amount or "")


def render(kind: rules.Kind, data: Mapping[str, Any], site: str) -> tuple[str, str]:
    """The subject and the text body of an email of ``kind``."""
    template = TEMPLATES.get_template(f"{rules.EMAIL_TEMPLATES[kind]}.txt")
    text = template.render(**data, amount_shown=_shown_amount(data), site=site)
    subject, _, body = text.partition("\n")
    return subject.strip(), body.lstrip("\n")


def _send(settings: Settings, mail: Mail) -> None:
    assert settings.smtp_host is not None
    with smtplib.SMTP(settings.smtp_host, settings.smtp_port, timeout=30) as smtp:
        if settings.smtp_starttls:
            smtp.starttls()
        if settings.smtp_username and settings.smtp_password is not None:
            smtp.login(settings.smtp_username, settings.smtp_password.get_secret_value())
        smtp.send_message(mail)


async def _record(db: Database, message_id: str, error: str | None, skipped: bool) -> None:
    async with db.unit_of_work() as session:
        row = await repository.message(session, message_id)
        if row is None or row.status != "pending":
            return
        now = utcnow()
        row.attempts += 1
        if skipped or error is None:
            row.status, row.next_attempt_at = ("skipped" if skipped else "sent"), None
            row.sent_at = None if skipped else now
            return
        retry = rules.email_retry_seconds(row.attempts)
        if retry is None:
            row.status, row.next_attempt_at = "failed", None
            log.warning("email_failed", message=row.id, error=error)
        else:
            row.next_attempt_at = now + timedelta(seconds=retry)


async def send_due(db: Database, settings: Settings, *, limit: int = 50) -> int:
    """Send every due email once; the number tried. A user without an email address is
    skipped."""
    if settings.smtp_host is None:
        return 0
    now = utcnow()
    async with db.unit_of_work() as session:
        due = await repository.lease_due(session, now, now + LEASE, limit)
        users = {d.user_id: await auth.find_user(session, d.user_id) for d in due}
    for row in due:
        user = users[row.user_id]
        if user is None or not user.email:
            await _record(db, row.id, None, skipped=True)
            continue
        subject, body = render(rules.Kind(row.kind), row.data, settings.uri)
        mail = Mail()
        mail["From"], mail["To"], mail["Subject"] = settings.smtp_from, user.email, subject
        mail.set_content(body)
        try:
            await asyncio.to_thread(_send, settings, mail)
            error = None
        except (OSError, smtplib.SMTPException) as exc:
            error = type(exc).__name__
        await _record(db, row.id, error, skipped=False)
    return len(due)
