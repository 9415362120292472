"""Keeping a running job's lease alive while its handler works, whatever the handler does.

A lease says "the worker holding this job is alive"; it runs out only when that worker stops (killed,
cut off from the database), and another worker then takes the job over. Progress reports extend it too,
but a handler may spend longer than a lease in one step (a large copy's single INSERT ... SELECT, a long
download): without a heartbeat of its own, a short lease would hand a job that is running fine to a second
worker, then a third, until its attempts were used up and it failed as if its workers had died.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager

log = logging.getLogger("courseport.jobs")
BEATS_PER_LEASE = 3  # a lease survives two missed heartbeats (a busy database, a slow machine)


@contextmanager
def kept_alive(renew: Callable[[], bool], lease_seconds: float, name: str = "job") -> Iterator[None]:
    """Call `renew()` every third of a lease in a thread of its own until the block ends; `renew`
    returns False once the job is no longer held (finished, or lost to another worker), which ends it."""
    stop = threading.Event()
    beat = threading.Thread(target=_beat, args=(renew, stop, max(0.05, lease_seconds / BEATS_PER_LEASE), name),
                            name=f"courseport-lease-{name}", daemon=True)
    beat.start()
    try:
        yield
    finally:
        stop.set()
        beat.join()


def _beat(renew: Callable[[], bool], stop: threading.Event, interval: float, name: str) -> None:
    while not stop.wait(interval):
        try:
            if not renew():
                return
        except Exception:  # noqa: BLE001 - a missed beat is retried; two in a row let the lease run out
            log.warning("could not renew the lease of %s", name, exc_info=True)
