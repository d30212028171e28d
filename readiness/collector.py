"""Python's cyclic garbage collector, paused for one piece of batch work."""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def collector_paused() -> Iterator[None]:
    """Pause the cyclic collector while many short-lived objects are made.

    Loading and judging (and importing pandas, SQLAlchemy and the models) allocate
    hundreds of thousands of objects without reference cycles; the collections they
    trigger find nothing to free and cost more than most queries. Reference counting
    still frees everything at once. Nested pauses leave the collector as they found it.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()
