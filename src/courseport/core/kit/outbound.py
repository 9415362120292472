"""Requests to URLs that clients name (package fetches, callbacks), guarded against SSRF and slow peers.

The guard sits where connections are made: every TCP connection resolves its host itself, refuses
unless every address is public (or the `outbound_allow` setting names the host, the address or a
network holding it), then connects to the address it checked, so DNS cannot change the answer in
between. A host written as an address is read the way the system resolver reads it (`0177.0.0.1`,
`2130706433`, `0x7f.1` and `[::ffff:127.0.0.1]` are all 127.0.0.1), so a request can refuse it at
once, naming its field. Redirects are followed by hand, each hop checked again; proxies from the
environment are ignored.

Every exchange has one total deadline (resolving, connecting, TLS, headers and body, redirects
included): each socket operation waits at most for the time left, so a peer sending a byte at a
time cannot stretch it. Answers have a size cap.
"""

from __future__ import annotations

import functools
import ipaddress
import re
import socket
import ssl
import threading
import time
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any, Protocol, cast
from urllib.parse import urljoin, urlparse

import httpcore
import httpx

from courseport.core.kit.errors import DomainError, InvalidInput

MAX_REDIRECTS = 5
USER_AGENT = "courseport"
IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address
_NAT64 = ipaddress.ip_network("64:ff9b::/96")
_INET_ATON_PART = re.compile(r"0x[0-9a-f]*|[0-9]+")


class OutboundRefused(DomainError):
    """The URL may not be fetched (its address is not public, or it is not http/https)."""


class OutboundFailed(DomainError):
    """The far side failed: no connection, an error status, too large or too slow."""


def literal_address(host: str) -> IPAddress | None:
    """The address `host` names when it is written as one, in any spelling the resolver accepts
    (inet_aton: one to four parts, each decimal, 0-octal or 0x-hex); None for a name."""
    host = host.strip("[]").lower().rstrip(".")
    if ":" in host:
        try:
            return ipaddress.IPv6Address(host.split("%", 1)[0])
        except ValueError:
            return None
    parts = host.split(".")
    if not 1 <= len(parts) <= 4 or not all(_INET_ATON_PART.fullmatch(p) for p in parts):
        return None
    try:
        numbers = [int(p[2:] or "0", 16) if p.startswith("0x") else int(p, 8 if len(p) > 1 and p[0] == "0" else 10)
                   for p in parts]
    except ValueError:  # 08, 09: not octal, so a name to the resolver
        return None
    *leading, last = numbers
    if any(n > 255 for n in leading) or last >= 256 ** (5 - len(parts)):
        return None
    value = last
    for n, part in enumerate(leading):
        value += part << (8 * (3 - n))
    return ipaddress.IPv4Address(value)


def effective_address(address: str | IPAddress) -> IPAddress:
    """The IPv4 address an IPv6 one carries (mapped, compatible, 6to4, NAT64), else the address."""
    ip = ipaddress.ip_address(address.split("%", 1)[0]) if isinstance(address, str) else address
    if isinstance(ip, ipaddress.IPv4Address):
        return ip
    if ip.ipv4_mapped is not None:
        return ip.ipv4_mapped
    if ip.sixtofour is not None:
        return ip.sixtofour
    if ip in _NAT64 or (int(ip) >> 32 == 0 and int(ip) > 1):
        return ipaddress.IPv4Address(int(ip) & 0xFFFFFFFF)
    return ip


class BinaryWriter(Protocol):
    """Where `fetch` pushes a body (a blob writer, a file)."""

    def write(self, chunk: bytes, /) -> object: ...


@dataclass(frozen=True)
class OutboundPolicy:
    allow: tuple[str, ...] = ()  # host names, addresses or CIDR networks reachable although not public
    timeout: float = 30.0  # seconds for the whole exchange: resolve, connect, headers, body, redirects
    max_bytes: int = 2 * 1024**3

    def allows(self, host: str, address: str | IPAddress) -> bool:
        ip = effective_address(address)
        if ip.is_global and not ip.is_multicast:
            return True
        for entry in self.allow:
            if entry.lower() == host.lower():
                return True
            try:
                if ip in ipaddress.ip_network(entry, strict=False):
                    return True
            except (ValueError, TypeError):
                continue
        return False

    def refusal(self, host: str, address: str | IPAddress) -> str | None:
        """Why `host` at `address` may not be reached (None: it may)."""
        if self.allows(host, address):
            return None
        return (f"{effective_address(address)} is a {_kind(address)} address "
                "(not public, and not in the outbound allow-list)")


def _kind(address: str | IPAddress) -> str:
    ip = effective_address(address)
    for name in ("loopback", "link_local", "private", "multicast", "reserved", "unspecified"):
        if getattr(ip, f"is_{name}"):
            return name.replace("_", "-")
    return "non-public"


def check_url(url: object, field: str, policy: OutboundPolicy | None = None) -> str:
    """A check at request time: an absolute http(s) URL with a host; with `policy`, a host written
    as an address is also checked against it, so a refused one is refused now, naming `field`."""
    url = "" if url is None else url
    try:
        parts = urlparse(url) if isinstance(url, str) else None
        port = parts and parts.port
    except ValueError:
        parts = port = None
    if parts is None or parts.scheme not in ("http", "https") or not parts.hostname or port == 0:
        raise InvalidInput(field, f"{field} must be an absolute http or https URL, got {url!r}")
    address = literal_address(parts.hostname)
    if policy is not None and address is not None:
        refusal = policy.refusal(parts.hostname, address)
        if refusal:
            raise InvalidInput(field, f"{field} may not point at {parts.hostname}: {refusal}")
    return cast(str, url)  # parts is None unless url is a str


def _canonical(url: str) -> str:
    """`url` with an IPv4 host in any spelling written as a dotted quad (what the resolver would use)."""
    parts = urlparse(url)
    address = literal_address(parts.hostname or "")
    if not isinstance(address, ipaddress.IPv4Address) or parts.hostname == str(address):
        return url
    userinfo = parts.netloc.rpartition("@")[0]
    netloc = (f"{userinfo}@" if userinfo else "") + str(address) + (f":{parts.port}" if parts.port else "")
    return parts._replace(netloc=netloc).geturl()


def _time_left(deadline: float) -> float:
    left = deadline - time.monotonic()
    if left <= 0:
        raise httpcore.ConnectTimeout("the total deadline passed")
    return left


def _getaddrinfo(host: str, port: int, deadline: float) -> list[Any]:
    """socket.getaddrinfo, waited for until the deadline (it takes no timeout of its own)."""
    box: dict[str, Any] = {}

    def work() -> None:
        try:
            box["infos"] = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
        except OSError as exc:
            box["error"] = exc

    worker = threading.Thread(target=work, name="courseport-resolve", daemon=True)
    worker.start()
    worker.join(_time_left(deadline))
    if worker.is_alive():
        raise httpcore.ConnectTimeout(f"resolving {host!r} did not finish in time")
    if "error" in box:
        reason = getattr(box["error"], "strerror", None) or str(box["error"])
        raise OutboundFailed(f"cannot resolve host {host!r}: {reason}")
    return cast(list[Any], box["infos"])


def resolve(host: str, port: int, policy: OutboundPolicy, deadline: float | None = None) -> list[str]:
    """Every address of `host`, all checked against the policy (one refused address refuses all)."""
    infos = _getaddrinfo(host, port, deadline or time.monotonic() + policy.timeout)
    addresses = list(dict.fromkeys(info[4][0] for info in infos))
    for address in addresses:
        refusal = policy.refusal(host, address)
        if refusal:
            raise OutboundRefused(f"refused to connect to {host}: {refusal}")
    return addresses


class DeadlineStream(httpcore.NetworkStream):
    """A network stream whose every operation waits at most until the exchange's deadline."""

    def __init__(self, inner: httpcore.NetworkStream, deadline: float):
        self._inner, self._deadline = inner, deadline

    def _wait(self, timeout: float | None, error: type[Exception]) -> float:
        left = self._deadline - time.monotonic()
        if left <= 0:
            raise error("the total deadline passed")
        return left if timeout is None else min(timeout, left)

    def read(self, max_bytes: int, timeout: float | None = None) -> bytes:
        return self._inner.read(max_bytes, self._wait(timeout, httpcore.ReadTimeout))

    def write(self, buffer: bytes, timeout: float | None = None) -> None:
        self._inner.write(buffer, self._wait(timeout, httpcore.WriteTimeout))

    def close(self) -> None:
        self._inner.close()

    def start_tls(self, ssl_context: ssl.SSLContext, server_hostname: str | None = None,
                  timeout: float | None = None) -> httpcore.NetworkStream:
        inner = self._inner.start_tls(ssl_context, server_hostname, self._wait(timeout, httpcore.ConnectTimeout))
        return DeadlineStream(inner, self._deadline)

    def get_extra_info(self, info: str) -> Any:
        return self._inner.get_extra_info(info)


class GuardedBackend(httpcore.SyncBackend):
    def __init__(self, policy: OutboundPolicy, deadline: float):
        self.policy, self.deadline = policy, deadline

    def connect_tcp(self, host: str, port: int, timeout: float | None = None, local_address: str | None = None,
                    socket_options: Iterable[Any] | None = None) -> httpcore.NetworkStream:
        last: Exception | None = None
        for address in resolve(host, port, self.policy, self.deadline):
            left = self.deadline - time.monotonic()
            if left <= 0:
                raise httpcore.ConnectTimeout("the total deadline passed")
            try:
                stream = super().connect_tcp(address, port, min(timeout or left, left), local_address, socket_options)
            except httpcore.ConnectError as exc:
                last = exc
                continue
            return DeadlineStream(stream, self.deadline)
        raise httpcore.ConnectError(f"cannot connect to {host}:{port}: {last}")


@functools.cache
def _ssl_context() -> ssl.SSLContext:
    """Made once: loading the CA bundle takes longer than a short deadline may allow."""
    return httpx.create_ssl_context()


class GuardedTransport(httpx.HTTPTransport):
    def __init__(self, policy: OutboundPolicy, deadline: float):
        super().__init__(verify=_ssl_context())
        # TLS still verifies the certificate against the host name: httpcore passes it as SNI.
        self._pool = httpcore.ConnectionPool(ssl_context=_ssl_context(),
                                             network_backend=GuardedBackend(policy, deadline))


@contextmanager
def _client(policy: OutboundPolicy) -> Iterator[httpx.Client]:
    """A client for one exchange: its deadline starts now and covers every request it makes."""
    deadline = time.monotonic() + policy.timeout
    with httpx.Client(transport=GuardedTransport(policy, deadline), trust_env=False, follow_redirects=False,
                      timeout=httpx.Timeout(policy.timeout), headers={"User-Agent": USER_AGENT}) as client:
        yield client


@contextmanager
def _guarded(url: str, policy: OutboundPolicy) -> Iterator[None]:
    try:
        yield
    except httpx.TimeoutException:
        raise OutboundFailed(f"{url} did not answer in time (within {policy.timeout:g} seconds)") from None
    except (httpx.HTTPError, httpx.InvalidURL) as exc:
        raise OutboundFailed(f"request to {url} failed: {exc}") from None


def fetch(url: str, policy: OutboundPolicy, sink: BinaryWriter) -> str | None:
    """GET `url`, following redirects hop by hop, pushing the body into `sink.write`.
    Returns the answer's Content-Type."""
    with _client(policy) as client:
        for _ in range(MAX_REDIRECTS + 1):
            url = _canonical(check_url(url, "url"))
            with _guarded(url, policy), client.stream("GET", url) as answer:
                if answer.is_redirect and answer.headers.get("location"):
                    url = urljoin(url, answer.headers["location"])
                    continue
                if answer.status_code >= 400:
                    raise OutboundFailed(f"{url} answered {answer.status_code}")
                received = 0
                for chunk in answer.iter_bytes():
                    received += len(chunk)
                    if received > policy.max_bytes:
                        raise OutboundFailed(f"{url} sent more than {policy.max_bytes} bytes")
                    sink.write(chunk)
                return cast(str | None, answer.headers.get("content-type"))
    raise OutboundFailed(f"{url} redirected more than {MAX_REDIRECTS} times")


def post_json(url: str, body: dict[str, Any], policy: OutboundPolicy, field: str = "url") -> int:
    """POST a JSON body (redirects are not followed for a POST); returns the status code. The
    answer's body is not read."""
    url = _canonical(check_url(url, field))
    with _client(policy) as client, _guarded(url, policy), client.stream("POST", url, json=body) as answer:
        return answer.status_code
