"""The serving process's heap: what was built to start it is left out of full collections.

A web worker starts with a few hundred thousand long-lived objects (modules, classes, the
routes, SQLAlchemy and pydantic metadata). CPython's full (generation 2) collection walks them
all, and the first burst of traffic after start (a page cache filling up) triggers one: a pause
of 0.2-0.3 s of the event loop on the 2-core bench box, every request of that worker waiting
behind it. ``gc.freeze()`` moves them to the permanent generation, which collections skip;
they were going to live as long as the process anyway.
"""

from __future__ import annotations

import gc

_frozen = False


def freeze_startup_heap() -> None:
    """Once per process, after start-up: collect the start-up garbage, then freeze the rest."""
    global _frozen
    if _frozen:
        return
    gc.collect()
    gc.freeze()
    _frozen = True
