"""Group commit of the bids on one auction (PostgreSQL): every bid locks the auction row until
its transaction commits, so the bids of a hot auction commit one after another, each holding
the lock for its call, its stored answer and its commit. Here the bids of this process that
wait for the same auction are placed in one call (``one_call.place_bids_in_one_call``: each in
arrival order, each in a subtransaction of its own, so a refusal undoes only itself), their
Idempotency-Key answers stored in the same transaction, and all committed at once: one lock
hold and one commit for the batch.

No timer: the first bid of an idle auction starts a batch of one at once; the bids that arrive
while a batch runs form the next (at most ``MAX_BATCH``), so batches grow only with the load.
Each request gets its own answer (the rendered body, as stored) or its own refusal. A batch
that fails as a whole (the database gone) fails each of its requests with the same error;
their claims, committed before (``IdempotentBatchable``), are released by the route.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from ece.auctions.bidding import BidResult
from ece.auctions.one_call import WaitingBid, place_bids_in_one_call
from ece.core.db import Database, PerDatabase
from ece.core.errors import DomainError
from ece.core.idempotency import IdempotencyClaim, complete_all

# Each bid of a batch is a subtransaction of the batch's transaction; PostgreSQL keeps up to
# 64 of a transaction's subtransaction ids in shared memory before every snapshot slows down.
MAX_BATCH = 32
CONTENT_TYPE = "application/json"
CREATED = 201
# A placed bid's 201 body, as sent and as stored for its Idempotency-Key (the router's).
Render = Callable[[BidResult], bytes]


@dataclass(eq=False, slots=True)
class _Request:
    bid: WaitingBid
    claim: IdempotencyClaim | None
    render: Render
    answer: asyncio.Future[bytes] = field(
        default_factory=lambda: asyncio.get_running_loop().create_future()
    )


class BidBatcher:
    """The bids of one process waiting for each auction, and the batch running for it."""

    def __init__(self, db: Database) -> None:
        self._db = db
        self._waiting: dict[str, list[_Request]] = {}
        self._running: set[asyncio.Task[None]] = set()

    async def place(self, bid: WaitingBid, claim: IdempotencyClaim | None, render: Render) -> bytes:
        """Place ``bid`` in the next batch of its auction: its 201 body (``render``, stored for
        ``claim`` in the batch's transaction), or its refusal raised."""
        auction_id = bid.params["auction_id"]
        request = _Request(bid, claim, render)
        queue = self._waiting.get(auction_id)
        if queue is None:
            # No batch runs for this auction: one starts now, and takes whoever waits when it
            # is done (this bid first).
            self._waiting[auction_id] = [request]
            task = asyncio.create_task(self._drain(auction_id))
            self._running.add(task)
            task.add_done_callback(self._running.discard)
        else:
            queue.append(request)
        return await asyncio.shield(request.answer)

    async def _drain(self, auction_id: str) -> None:
        """Batches of the auction's waiting bids until none waits."""
        queue = self._waiting[auction_id]
        try:
            while queue:
                batch, queue[:] = queue[:MAX_BATCH], queue[MAX_BATCH:]
                await self._run(auction_id, batch)
        finally:
            del self._waiting[auction_id]
            for left in queue:  # only when this task was cancelled (the process stopping)
                left.answer.cancel()

    async def _run(self, auction_id: str, batch: list[_Request]) -> None:
        try:
            answers = await self._place(auction_id, batch)
        except Exception as failed:
            for request in batch:
                request.answer.set_exception(failed)
            return
        except BaseException:
            for request in batch:
                request.answer.cancel()
            raise
        for request, answer in zip(batch, answers, strict=True):
            if isinstance(answer, DomainError):
                request.answer.set_exception(answer)
            else:
                request.answer.set_result(answer)

    async def _place(self, auction_id: str, batch: Sequence[_Request]) -> list[bytes | DomainError]:
        """One transaction: the bids, the answers of those placed stored for their keys."""
        async with self._db.unit_of_work() as session:
            results = await place_bids_in_one_call(session, auction_id, [r.bid for r in batch])
            answers = [
                r if isinstance(r, DomainError) else request.render(r)
                for request, r in zip(batch, results, strict=True)
            ]
            await complete_all(
                session,
                [
                    (request.claim, CREATED, answer, CONTENT_TYPE)
                    for request, answer in zip(batch, answers, strict=True)
                    if request.claim is not None and not isinstance(answer, DomainError)
                ],
            )
        return answers


batcher = PerDatabase(BidBatcher)
"""This process's batcher for a database."""
