"""One slice of a newest-first feed merged from several tables (the market activity feed).

The feed's owner (``ece.marketdata``) decides where a page resumes in each source; the domain
that owns a source table reads it with ``older_than`` and the filters of ``FeedSlice``, so the
keyset SQL is written once and no domain reads another's tables.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import ColumnElement, and_, or_, true


@dataclass(frozen=True, slots=True)
class ResumeAfter:
    """Rows strictly older than ``at``; with ``same_instant`` also the rows at ``at`` itself
    (all of them when ``below_id`` is None, else those whose id is below it)."""

    at: datetime
    same_instant: bool = False
    below_id: str | int | None = None


@dataclass(frozen=True, slots=True)
class FeedSlice:
    """What one source returns: at most ``limit`` rows, newest first, matching every filter."""

    limit: int
    company_id: str | None = None
    card_id: str | None = None
    user_id: str | None = None
    after: ResumeAfter | None = None


def older_than(at: Any, id_: Any, after: ResumeAfter | None) -> ColumnElement[bool]:
    """The SQL twin of ``ResumeAfter`` on a source's time and id columns."""
    if after is None:
        return true()
    if not after.same_instant:
        return at < after.at  # type: ignore[no-any-return]
    if after.below_id is None:
        return at <= after.at  # type: ignore[no-any-return]
    return or_(at < after.at, and_(at == after.at, id_ < after.below_id))
