"""Public listings this process knows to be closed for good (filled, cancelled or expired by
status: no listing ever becomes active again), so a buy of one is refused without a write.

A drop is the case it is for: hundreds of buyers press "buy" on a listing in the same second,
and all but one must hear 409 ``listing_unavailable``. Only the first refusal per listing (in
each process) reads the listing; the others are answered from here, on SQLite without taking
the writer. A listing is learnt only once a fill is committed: from a committed read (the buy
that lost reads it after its UPDATE matched nothing, in a transaction that wrote nothing else)
or, on the statement-by-statement path (SQLite), from the winner's own fill once its
transaction has committed (``remember_once_committed``), so the buyers queued behind it for
the writer are all answered from here. A rolled-back sale never leaves a listing refused.
Private listings (``taker_address``) are never kept: who may learn of them differs by caller.
"""

from __future__ import annotations

from collections import OrderedDict
from typing import Any

from sqlalchemy import event
from sqlalchemy.ext.asyncio import AsyncSession

_CAPACITY = 100_000
_closed: OrderedDict[str, None] = OrderedDict()


def remember(listing_id: str) -> None:
    """Note that the public listing ``listing_id`` is closed (the oldest note goes past
    ``_CAPACITY``)."""
    _closed[listing_id] = None
    _closed.move_to_end(listing_id)
    if len(_closed) > _CAPACITY:
        _closed.popitem(last=False)


def known(listing_id: str) -> bool:
    """Whether ``listing_id`` is known closed: a buy of it is refused at once."""
    return listing_id in _closed


def remember_once_committed(session: AsyncSession, listing_id: str) -> None:
    """Note the public listing ``listing_id``, which this session's transaction filled, once
    that transaction commits (a rollback notes nothing: the listing stays active)."""

    def committed(_session: Any) -> None:
        remember(listing_id)

    event.listen(session.sync_session, "after_commit", committed, once=True)
