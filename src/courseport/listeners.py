"""`courseport serve --workers N`: every server process listens on a socket of its own (Linux SO_REUSEPORT).

uvicorn's worker processes share one listening socket, and asyncio accepts every connection waiting on it
in one go: a burst of connections (a client pool opening its keep-alive connections, a load balancer's)
went to whichever process woke first. Measured with 8 connections opened at once to 2 processes: all 8 on
one process in 5 tries of 12, that process on one core while the other idled, and the requests/s of a
single-course GET halved (docs/architecture.md, "Session 10"). With a socket per process the kernel spreads
connections over the processes by their addresses, one by one.

How: uvicorn's supervisor (restarts, health pings, signals) hands its sockets to each worker process it
spawns by pickling them. `ReusePortSocket` is the parent's socket, bound with SO_REUSEPORT but never
listening, so that the port is taken (and a port in use fails before any worker starts) without ever being
handed a connection; it pickles as the recipe for a new socket on the same address, which each worker (the
first ones and every replacement) unpickles into a socket of its own, and listens on.
"""

from __future__ import annotations

import socket
import sys
from typing import Any


def reuse_port_supported() -> bool:
    """Linux spreads a port's connections over its SO_REUSEPORT sockets (elsewhere the option differs)."""
    return sys.platform.startswith("linux") and hasattr(socket, "SO_REUSEPORT")


def bound_socket(host: str, port: int) -> socket.socket:
    """A TCP socket on (host, port) with SO_REUSEADDR and SO_REUSEPORT, bound, not yet listening."""
    sock = socket.socket(socket.AF_INET6 if ":" in host else socket.AF_INET, socket.SOCK_STREAM)
    try:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEPORT, 1)
        sock.bind((host, port))
    except BaseException:
        sock.close()
        raise
    return sock


class ReusePortSocket(socket.socket):
    """The parent's bound socket; in a worker process, a new socket bound to the same address."""

    def __reduce__(self) -> tuple[Any, ...]:
        host, port = self.getsockname()[:2]
        return bound_socket, (host, port)


def parent_socket(host: str, port: int) -> ReusePortSocket:
    """The socket the supervisor holds and hands down (as a recipe) to the worker processes."""
    sock = bound_socket(host, port)
    return ReusePortSocket(sock.family, sock.type, sock.proto, fileno=sock.detach())


def run(app: str, *, host: str, port: int, workers: int, **options: Any) -> None:
    """uvicorn.run(app, factory=True, ...), with a listening socket per worker process where the platform
    spreads connections over them."""
    import uvicorn
    from uvicorn.supervisors import Multiprocess

    if workers <= 1 or not reuse_port_supported():
        uvicorn.run(app, factory=True, host=host, port=port, workers=workers, **options)
        return
    config = uvicorn.Config(app, factory=True, host=host, port=port, workers=workers, **options)
    sock = parent_socket(host, port)
    try:
        Multiprocess(config, sockets=[sock]).run()
    finally:
        sock.close()
