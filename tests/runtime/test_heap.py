"""A started web process leaves its start-up heap out of full collections (``gc.freeze``): the
first burst of traffic after a start no longer pays a walk over every module, route and model
(0.2-0.3 s of a worker's event loop on the bench box, issue 26's 8-client stall)."""

from __future__ import annotations

import gc

import pytest

from ece import app as app_module
from ece.config import Settings
from ece.runtime import heap
from tests.builders import served


def test_what_exists_at_the_freeze_is_left_out_of_collections(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(heap, "_frozen", False)
    built_at_start: list[object] = []
    built_at_start.append(built_at_start)  # a cycle: only a collection could ever free it
    assert any(o is built_at_start for o in gc.get_objects())
    heap.freeze_startup_heap()
    assert gc.get_freeze_count() > 0
    assert not any(o is built_at_start for o in gc.get_objects())
    assert gc.is_tracked(built_at_start)


def test_a_second_freeze_in_the_same_process_does_nothing(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(heap, "_frozen", True)
    later: list[object] = []
    later.append(later)
    heap.freeze_startup_heap()
    assert any(o is later for o in gc.get_objects())


async def test_starting_the_app_freezes_its_heap(
    settings: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    calls: list[None] = []
    monkeypatch.setattr(app_module, "freeze_startup_heap", lambda: calls.append(None))
    async with served(settings):
        assert calls == [None]
