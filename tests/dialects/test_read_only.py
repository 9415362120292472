"""READ_ONLY handlers: moved onto the event loop, and refused a write there (a write transaction too)."""

from __future__ import annotations

import asyncio
import inspect

import pytest
from litestar import Request
from sqlalchemy import create_engine

from courseport.db import make_engine, transaction
from courseport.dialects.canvas.courses import get_course, update_course
from courseport.dialects.read_only import placed, refuse_on_event_loop, with_call
from courseport.loop_reads import LoopReads


def test_only_marked_handlers_move_and_the_declared_ones_stay():
    engine = create_engine("sqlite://")
    moved = placed([get_course, update_course], LoopReads(engine))
    assert moved[0] is not get_course and moved[0].sync_to_thread is False
    assert moved[0].fn.__wrapped__ is get_course.fn  # the same handler, marked while it runs
    assert moved[1] is update_course
    assert get_course.sync_to_thread is True  # the module's handler, for other apps


def test_a_write_transaction_in_a_marked_handler_is_refused_on_sqlite_too(tmp_path):
    engine = make_engine(f"sqlite:///{tmp_path / 'store.db'}")

    def handler() -> None:
        with transaction(engine, write=False):
            pass  # reads are fine
        with transaction(engine, write=True):
            raise AssertionError("not reached")

    with pytest.raises(RuntimeError, match="write transaction on the event loop"):
        LoopReads(engine).run_on_loop(handler)()
    with transaction(engine, write=True):  # outside a marked handler writes go on
        pass


def test_a_write_on_the_event_loop_is_refused():
    refuse_on_event_loop()  # no loop in this thread: allowed

    async def on_the_loop() -> None:
        refuse_on_event_loop()

    with pytest.raises(RuntimeError, match="READ_ONLY"):
        asyncio.run(on_the_loop())


def test_a_moved_handler_takes_the_request_and_makes_its_call():
    engine = create_engine("sqlite://")

    async def provide(request):  # noqa: ANN001, ANN202
        return ("call of", request)

    moved, declared = placed([get_course, update_course], LoopReads(engine), provide)
    assert list(inspect.signature(moved.fn).parameters) == ["request", "course_id"]
    assert "call" not in moved.fn.__annotations__ and moved.fn.__annotations__["request"] is Request
    assert declared is update_course and "call" in inspect.signature(update_course.fn).parameters

    seen = []

    def handler(call, course_id: str) -> str:  # noqa: ANN001
        seen.append((call, course_id))
        return "answered"

    run = with_call(handler, provide)
    assert asyncio.run(run(request="the request", course_id="7")) == "answered"
    assert seen == [(("call of", "the request"), "7")]

