"""READ_ONLY handlers: moved onto the event loop on SQLite only, and refused a write there."""

from __future__ import annotations

import asyncio

import pytest

from courseport.dialects.canvas.courses import get_course, update_course
from courseport.dialects.read_only import placed, refuse_on_event_loop


def test_only_marked_handlers_move_and_the_declared_ones_stay():
    moved = placed([get_course, update_course], reads_on_event_loop=True)
    assert moved[0] is not get_course and moved[0].sync_to_thread is False
    assert moved[1] is update_course
    assert get_course.sync_to_thread is True  # the module's handler, for apps on PostgreSQL
    assert placed([get_course], reads_on_event_loop=False) == [get_course]


def test_a_write_on_the_event_loop_is_refused():
    refuse_on_event_loop()  # no loop in this thread: allowed

    async def on_the_loop() -> None:
        refuse_on_event_loop()

    with pytest.raises(RuntimeError, match="READ_ONLY"):
        asyncio.run(on_the_loop())
