"""Load generation for bench/api.py, in processes of their own: keep-alive connections sending GETs for one
measurement slot (raw HTTP/1.1 on asyncio, or httpx), and a steady background write load."""

from __future__ import annotations

import asyncio
import itertools
import multiprocessing as mp
import time
from dataclasses import dataclass, field

import httpx

HOST = "127.0.0.1"

@dataclass
class Slot:
    """What one load process does for one measurement: requests on `connections` connections."""
    paths: list[str]
    token: str
    seconds: float
    max_requests: int
    connections: int
    client: str


@dataclass
class SlotResult:
    count: int = 0
    errors: int = 0
    elapsed: float = 0.0
    cpu: float = 0.0  # of the load processes
    server_cpu: float = 0.0
    database_cpu: float = 0.0  # of the PostgreSQL server processes serving the bench's database, when local
    latencies: list[float] = field(default_factory=list)


class Budget:
    """Requests left before the count bound, shared by the connections of one process."""

    def __init__(self, n: int):
        self.left = n

    def take(self) -> bool:
        self.left -= 1
        return self.left >= 0


async def raw_connection(port: int, requests: itertools.cycle, end: float, budget: Budget, out: SlotResult) -> None:
    reader, writer = await asyncio.open_connection(HOST, port)
    try:
        while time.perf_counter() < end and budget.take():
            started = time.perf_counter()
            writer.write(next(requests))
            head = await reader.readuntil(b"\r\n\r\n")
            lowered = head.lower()
            at = lowered.find(b"content-length:")
            if at < 0:
                raise RuntimeError(f"response without content-length: {head[:200]!r}")
            length = int(lowered[at + 15 : lowered.index(b"\r\n", at)])
            await reader.readexactly(length)
            out.latencies.append(time.perf_counter() - started)
            out.errors += head[9:12] != b"200"
    finally:
        writer.close()


async def httpx_connection(client: httpx.AsyncClient, paths: itertools.cycle, end: float, budget: Budget,
                           out: SlotResult) -> None:
    while time.perf_counter() < end and budget.take():
        started = time.perf_counter()
        response = await client.get(next(paths))
        out.latencies.append(time.perf_counter() - started)
        out.errors += response.status_code != 200


async def run_slot(port: int, slot: Slot) -> SlotResult:
    out, budget = SlotResult(), Budget(slot.max_requests)
    cpu, started = time.process_time(), time.perf_counter()
    end = started + slot.seconds
    if slot.client == "raw":
        requests = [f"GET {p} HTTP/1.1\r\nHost: {HOST}:{port}\r\nAuthorization: Bearer {slot.token}\r\n\r\n".encode()
                    for p in slot.paths]
        # Each connection starts at a different offset so they do not ask for the same course together.
        jobs = [raw_connection(port, itertools.cycle(requests[i:] + requests[:i]), end, budget, out)
                for i in range(slot.connections)]
        await asyncio.gather(*jobs)
    else:
        headers = {"Authorization": f"Bearer {slot.token}"}
        limits = httpx.Limits(max_connections=slot.connections, max_keepalive_connections=slot.connections)
        async with httpx.AsyncClient(base_url=f"http://{HOST}:{port}", headers=headers, limits=limits) as client:
            await asyncio.gather(*[httpx_connection(client, itertools.cycle(slot.paths[i:] + slot.paths[:i]),
                                                    end, budget, out) for i in range(slot.connections)])
    out.elapsed, out.cpu = time.perf_counter() - started, time.process_time() - cpu
    out.count = len(out.latencies)
    return out


def load_process(port: int, conn) -> None:  # noqa: ANN001 - a multiprocessing Connection
    try:
        import uvloop
        uvloop.install()
    except ImportError:
        pass
    while (slot := conn.recv()) is not None:
        conn.send(asyncio.run(run_slot(port, slot)))


class LoadGenerators:
    """`processes` load processes; each slot's connections are spread over them."""

    def __init__(self, port: int, processes: int):
        ctx = mp.get_context("spawn")
        self.pipes, self.procs = [], []
        for _ in range(processes):
            ours, theirs = ctx.Pipe()
            proc = ctx.Process(target=load_process, args=(port, theirs), daemon=True)
            proc.start()
            self.pipes.append(ours)
            self.procs.append(proc)

    def run(self, slot: Slot) -> SlotResult:
        n = len(self.pipes)
        for i, pipe in enumerate(self.pipes):
            share = slot.connections // n + (i < slot.connections % n)
            pipe.send(Slot(slot.paths, slot.token, slot.seconds, -(-slot.max_requests // n), share, slot.client))
        try:
            parts = [pipe.recv() for pipe in self.pipes]
        except (EOFError, OSError):
            raise SystemExit("a load process died; see its traceback above") from None
        return SlotResult(count=sum(p.count for p in parts), errors=sum(p.errors for p in parts),
                          elapsed=max(p.elapsed for p in parts), cpu=sum(p.cpu for p in parts),
                          latencies=[x for p in parts for x in p.latencies])

    def close(self) -> None:
        for pipe in self.pipes:
            try:
                pipe.send(None)
            except (BrokenPipeError, OSError):
                pass
        for proc in self.procs:
            proc.join(timeout=5)
            if proc.is_alive():
                proc.terminate()
                proc.join()


def write_process(port: int, token: str, ids: list[int], rate: float, stop, ready, counts) -> None:  # noqa: ANN001
    """Rename the courses `rate` times a second, on schedule (a late write does not bunch the next ones);
    a write waits for the one before it, so a slow server gets fewer: the achieved rate is reported."""
    headers = {"Authorization": f"Bearer {token}"}
    with httpx.Client(base_url=f"http://{HOST}:{port}", headers=headers, timeout=30) as client:
        n, started = 0, time.perf_counter()
        while not stop.is_set():
            course = ids[n % len(ids)]
            answer = client.put(f"/api/v1/courses/{course}", json={"course": {"name": f"Bench Course {n}"}})
            with counts.get_lock():
                counts[0 if answer.status_code == 200 else 1] += 1
            ready.set()  # measuring starts once the writes flow (not while this process starts)
            n += 1
            stop.wait(max(0.0, started + n / rate - time.perf_counter()))


class WriteLoad:
    """A steady background write load in a process of its own, for the length of a `with` block."""

    def __init__(self, port: int, token: str, ids: list[int], rate: float):
        ctx = mp.get_context("spawn")
        self.stop, self.ready, self.counts = ctx.Event(), ctx.Event(), ctx.Array("i", 2)
        self.proc = ctx.Process(target=write_process, daemon=True,
                                args=(port, token, ids, rate, self.stop, self.ready, self.counts))
        self.rate, self.elapsed = rate, 0.0

    def __enter__(self) -> WriteLoad:
        self.proc.start()
        if not self.ready.wait(120):
            raise SystemExit("FAILED: the background writer made no write within 120 s")
        self.elapsed = time.perf_counter()
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop.set()
        self.proc.join(timeout=30)
        if self.proc.is_alive():
            self.proc.terminate()
        self.elapsed = time.perf_counter() - self.elapsed

    def summary(self) -> str:
        ok, failed = self.counts[0], self.counts[1]
        if failed or not ok:
            raise SystemExit(f"FAILED: background writes: {ok} answered 200, {failed} did not")
        return (f"{ok} course renames in {self.elapsed:.1f} s ({ok / self.elapsed:.1f}/s of {self.rate:g}/s asked),"
                " all answered 200")
