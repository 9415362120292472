"""Requests to URLs that clients name (package fetches, postbacks), guarded against SSRF.

The guard sits where connections are made: every TCP connection resolves its host itself, refuses
unless every address is public (or the `outbound_allow` setting names the host, the address or a
network holding it), then connects to the address it checked, so DNS cannot change the answer in
between. Redirects are followed by hand, each hop checked again; answers have size and time caps;
proxies from the environment are ignored.
"""

from __future__ import annotations

import ipaddress
import socket
import time
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from urllib.parse import urljoin, urlparse

import httpcore
import httpx

from courseport.core.errors import DomainError, InvalidInput

MAX_REDIRECTS = 5
USER_AGENT = "courseport"


class OutboundRefused(DomainError):
    """The URL may not be fetched (its address is not public, or it is not http/https)."""


class OutboundFailed(DomainError):
    """The far side failed: no connection, an error status, too large or too slow."""


@dataclass(frozen=True)
class OutboundPolicy:
    allow: tuple[str, ...] = ()  # host names, addresses or CIDR networks reachable although not public
    timeout: float = 30.0  # seconds for the whole exchange, redirects included
    max_bytes: int = 2 * 1024**3

    def allows(self, host: str, address: str) -> bool:
        ip = ipaddress.ip_address(address.split("%", 1)[0])
        if ip.is_global and not ip.is_multicast:
            return True
        for entry in self.allow:
            if entry.lower() == host.lower():
                return True
            try:
                if ip in ipaddress.ip_network(entry, strict=False):
                    return True
            except ValueError:
                continue
        return False


def _kind(address: str) -> str:
    ip = ipaddress.ip_address(address.split("%", 1)[0])
    for name in ("loopback", "link_local", "private", "multicast", "reserved", "unspecified"):
        if getattr(ip, f"is_{name}"):
            return name.replace("_", "-")
    return "non-public"


def check_url(url: str, field: str) -> str:
    """A syntactic check at request time: an absolute http(s) URL with a host."""
    parts = urlparse(url or "")
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise InvalidInput(field, f"{field} must be an absolute http or https URL, got {url!r}")
    return url


def resolve(host: str, port: int, policy: OutboundPolicy) -> list[str]:
    """Every address of `host`, all checked against the policy (one refused address refuses all)."""
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except socket.gaierror as exc:
        raise OutboundFailed(f"cannot resolve host {host!r}: {exc.strerror}") from None
    addresses = list(dict.fromkeys(info[4][0] for info in infos))
    for address in addresses:
        if not policy.allows(host, address):
            raise OutboundRefused(f"refused to connect to {host}: {address} is a {_kind(address)} address "
                                  "(not public, and not in the outbound allow-list)")
    return addresses


class GuardedBackend(httpcore.SyncBackend):
    def __init__(self, policy: OutboundPolicy):
        self.policy = policy

    def connect_tcp(self, host: str, port: int, timeout: float | None = None, local_address: str | None = None,
                    socket_options: Iterable | None = None) -> httpcore.NetworkStream:
        last: Exception | None = None
        for address in resolve(host, port, self.policy):
            try:
                return super().connect_tcp(address, port, timeout, local_address, socket_options)
            except httpcore.ConnectError as exc:
                last = exc
        raise httpcore.ConnectError(f"cannot connect to {host}:{port}: {last}")


class GuardedTransport(httpx.HTTPTransport):
    def __init__(self, policy: OutboundPolicy):
        super().__init__()
        # TLS still verifies the certificate against the host name: httpcore passes it as SNI.
        self._pool = httpcore.ConnectionPool(ssl_context=httpx.create_ssl_context(),
                                             network_backend=GuardedBackend(policy))


@contextmanager
def _client(policy: OutboundPolicy) -> Iterator[httpx.Client]:
    with httpx.Client(transport=GuardedTransport(policy), trust_env=False, follow_redirects=False,
                      timeout=httpx.Timeout(policy.timeout), headers={"User-Agent": USER_AGENT}) as client:
        yield client


@contextmanager
def _guarded(url: str) -> Iterator[None]:
    try:
        yield
    except httpx.TimeoutException:
        raise OutboundFailed(f"{url} did not answer in time") from None
    except httpx.HTTPError as exc:
        raise OutboundFailed(f"request to {url} failed: {exc}") from None


def _deadline_check(url: str, deadline: float) -> None:
    if time.monotonic() > deadline:
        raise OutboundFailed(f"{url} did not answer in time")


def fetch(url: str, policy: OutboundPolicy, sink) -> str | None:  # noqa: ANN001
    """GET `url`, following redirects hop by hop, pushing the body into `sink.write`.
    Returns the answer's Content-Type."""
    deadline = time.monotonic() + policy.timeout
    with _client(policy) as client:
        for _ in range(MAX_REDIRECTS + 1):
            check_url(url, "url")
            with _guarded(url), client.stream("GET", url) as answer:
                if answer.is_redirect and answer.headers.get("location"):
                    url = urljoin(url, answer.headers["location"])
                    continue
                if answer.status_code >= 400:
                    raise OutboundFailed(f"{url} answered {answer.status_code}")
                received = 0
                for chunk in answer.iter_bytes(1024 * 1024):
                    received += len(chunk)
                    if received > policy.max_bytes:
                        raise OutboundFailed(f"{url} sent more than {policy.max_bytes} bytes")
                    _deadline_check(url, deadline)
                    sink.write(chunk)
                return answer.headers.get("content-type")
    raise OutboundFailed(f"{url} redirected more than {MAX_REDIRECTS} times")


def post_json(url: str, body: dict, policy: OutboundPolicy) -> int:
    """POST a JSON body (redirects are not followed for a POST); returns the status code."""
    check_url(url, "postbackUrl")
    with _client(policy) as client, _guarded(url):
        return client.post(url, json=body).status_code
