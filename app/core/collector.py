"""Pausing Python's cyclic garbage collector while many small acyclic objects are built."""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def collector_paused() -> Iterator[None]:
    """Pause the cyclic garbage collector for the block (as it was before, afterwards).

    Reading or writing many spans builds hundreds of thousands of tuples and records that
    hold no cycles; each collector pass in the middle would walk every one of them alive so
    far, for nothing (measured: up to a quarter of an import's or export's time).
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()
