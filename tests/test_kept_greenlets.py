"""kept_greenlets.run_in_greenlet: greenlet_spawn's behaviour, with greenlets kept from one call to the next."""

from __future__ import annotations

import asyncio
import contextvars

import pytest
from greenlet import getcurrent
from sqlalchemy.util import await_

from courseport import kept_greenlets
from courseport.kept_greenlets import run_in_greenlet

SEEN: contextvars.ContextVar[str] = contextvars.ContextVar("seen", default="unset")


def test_results_errors_and_one_greenlet_for_calls_one_after_another():
    def where(value: int) -> tuple[int, object]:
        return value * 2, getcurrent()

    def fails() -> None:
        raise ValueError("from the greenlet")

    async def calls() -> None:
        (first, ran_in), (second, then_in) = await run_in_greenlet(where, 1), await run_in_greenlet(where, value=4)
        assert (first, second) == (2, 8) and ran_in is then_in and ran_in is not getcurrent()
        with pytest.raises(ValueError, match="from the greenlet"):
            await run_in_greenlet(fails)
        assert (await run_in_greenlet(where, 5))[1] is ran_in  # an error leaves the greenlet fit to serve

    asyncio.run(calls())


def test_awaits_run_on_the_loop_and_calls_at_once_get_greenlets_of_their_own():
    async def later(value: str) -> str:
        await asyncio.sleep(0.01)
        return value

    def reads(value: str) -> tuple[str, object]:
        return await_(later(value)) + await_(later("!")), getcurrent()

    async def calls() -> None:
        (a, in_a), (b, in_b) = await asyncio.gather(run_in_greenlet(reads, "a"), run_in_greenlet(reads, "b"))
        assert (a, b) == ("a!", "b!") and in_a is not in_b

    asyncio.run(calls())


def test_the_callers_context_variables_are_the_calls_both_ways():
    def inside() -> str:
        seen = SEEN.get()
        SEEN.set("set inside")
        return seen

    async def calls() -> None:
        SEEN.set("set by the caller")
        assert await run_in_greenlet(inside) == "set by the caller"
        assert SEEN.get() == "set inside"  # as under greenlet_spawn: the call runs in the caller's Context
        assert await asyncio.create_task(run_in_greenlet(SEEN.get), context=contextvars.Context()) == "unset"

    asyncio.run(calls())


def test_a_cancelled_caller_throws_into_the_call_and_the_greenlet_serves_on():
    events: list[str] = []

    def waits() -> object:
        try:
            await_(asyncio.sleep(10))
        except asyncio.CancelledError:
            events.append("cancelled inside")
            raise
        return getcurrent()

    async def calls() -> None:
        task = asyncio.create_task(run_in_greenlet(waits))
        await asyncio.sleep(0.01)
        task.cancel()
        with pytest.raises(asyncio.CancelledError):
            await task
        assert events == ["cancelled inside"]
        assert await run_in_greenlet(lambda: 3) == 3

    asyncio.run(calls())


def test_the_idle_greenlets_a_thread_keeps_are_bounded(monkeypatch):
    monkeypatch.setattr(kept_greenlets, "KEPT", 2)
    monkeypatch.setattr(kept_greenlets._POOLS, "readers", [], raising=False)

    def pause() -> None:
        await_(asyncio.sleep(0.01))

    async def calls() -> None:
        await asyncio.gather(*(run_in_greenlet(pause) for _ in range(5)))

    asyncio.run(calls())
    assert len(kept_greenlets._POOLS.readers) == 2
    assert all(reader.done is None and reader.gr_context is None for reader in kept_greenlets._POOLS.readers)
