"""Outbound fetches: private, loopback and link-local addresses refused unless allow-listed (in any
spelling of the address), each redirect hop checked, size capped, one total deadline."""

from __future__ import annotations

import io
import threading

import pytest

from courseport.core.kit.errors import InvalidInput
from courseport.core.kit.outbound import (
    OutboundFailed,
    OutboundPolicy,
    OutboundRefused,
    check_url,
    fetch,
    literal_address,
    post_json,
)
from tests.local_http import Answer, LocalHttp, SlowPeer

LOOPBACK = OutboundPolicy(allow=("127.0.0.1",), timeout=1.0)


@pytest.fixture
def local():
    with LocalHttp() as server:
        yield server


@pytest.mark.parametrize("url,kind", [
    ("http://127.0.0.1:9/x", "127.0.0.1 is a loopback address"),
    ("http://localhost:9/x", "127.0.0.1 is a loopback address"),
    ("http://10.1.2.3/x", "10.1.2.3 is a private address"),
    ("http://192.168.0.10/x", "192.168.0.10 is a private address"),
    ("http://169.254.169.254/latest/meta-data", "169.254.169.254 is a link-local address"),
    ("http://[::1]:9/x", "::1 is a loopback address"),
    ("http://0.0.0.0:9/x", "0.0.0.0 is a private address"),
])
def test_non_public_addresses_are_refused(url, kind):
    with pytest.raises(OutboundRefused) as err:
        fetch(url, OutboundPolicy(timeout=5), io.BytesIO())
    assert kind in err.value.message
    assert "not in the outbound allow-list" in err.value.message


def test_allow_list_by_address_network_or_name(local):
    local.routes["/p.zip"] = Answer(200, b"PK-bytes", {"Content-Type": "application/zip"})
    for allow in (("127.0.0.1",), ("127.0.0.0/8",), ("127.0.0.1/32", "10.0.0.0/8")):
        sink = io.BytesIO()
        assert fetch(f"{local.url}/p.zip", OutboundPolicy(allow=allow), sink) == "application/zip"
        assert sink.getvalue() == b"PK-bytes"
    port = local.server.server_port
    sink = io.BytesIO()
    fetch(f"http://localhost:{port}/p.zip", OutboundPolicy(allow=("localhost", "::1")), sink)
    assert sink.getvalue() == b"PK-bytes"


def test_every_redirect_hop_is_checked(local):
    """An allowed host may not bounce the fetch to a refused one."""
    local.routes["/hop"] = Answer(302, b"", {"Location": "http://169.254.169.254/latest/meta-data"})
    with pytest.raises(OutboundRefused, match="169.254.169.254 is a link-local address"):
        fetch(f"{local.url}/hop", OutboundPolicy(allow=("127.0.0.1",)), io.BytesIO())
    local.routes["/a"] = Answer(301, b"", {"Location": "/b"})
    local.routes["/b"] = Answer(200, b"done")
    sink = io.BytesIO()
    fetch(f"{local.url}/a", OutboundPolicy(allow=("127.0.0.1",)), sink)
    assert sink.getvalue() == b"done"


def test_redirect_loops_errors_and_size_cap(local):
    local.routes["/loop"] = Answer(302, b"", {"Location": "/loop"})
    policy = OutboundPolicy(allow=("127.0.0.1",), max_bytes=1000)
    with pytest.raises(OutboundFailed, match="redirected more than 5 times"):
        fetch(f"{local.url}/loop", policy, io.BytesIO())
    with pytest.raises(OutboundFailed, match="answered 404"):
        fetch(f"{local.url}/missing", policy, io.BytesIO())
    local.routes["/big"] = Answer(200, b"x" * 5000)
    with pytest.raises(OutboundFailed, match="sent more than 1000 bytes"):
        fetch(f"{local.url}/big", policy, io.BytesIO())


def test_only_http_urls(local):
    with pytest.raises(Exception, match="must be an absolute http or https URL"):
        fetch("file:///etc/passwd", OutboundPolicy(), io.BytesIO())
    local.routes["/ftp"] = Answer(302, b"", {"Location": "ftp://example.com/x"})
    with pytest.raises(Exception, match="must be an absolute http or https URL"):
        fetch(f"{local.url}/ftp", OutboundPolicy(allow=("127.0.0.1",)), io.BytesIO())


def test_post_json_is_guarded_too(local):
    local.routes["/hook"] = Answer(204)
    with pytest.raises(OutboundRefused):
        post_json(f"{local.url}/hook", {"a": 1}, OutboundPolicy())
    assert local.received == []
    assert post_json(f"{local.url}/hook", {"a": 1}, OutboundPolicy(allow=("127.0.0.1",))) == 204
    assert local.received == [("POST", "/hook", b'{"a":1}')]


def _outcome(call, *args) -> BaseException | None:  # noqa: ANN001
    """Run `call(*args)` in a thread; its exception, or None. Bounded: a call still running after
    20 s (twenty times the deadline under test) counts as a failure."""
    box: dict = {}

    def work() -> None:
        try:
            call(*args)
        except BaseException as exc:  # noqa: BLE001
            box["error"] = exc

    worker = threading.Thread(target=work, daemon=True)
    worker.start()
    worker.join(20)
    assert not worker.is_alive(), "the outbound call outlived its deadline"
    return box.get("error")


@pytest.mark.parametrize("stage", ["headers", "body"])
def test_a_peer_sending_a_byte_at_a_time_is_cut_at_the_total_deadline(stage):
    with SlowPeer(stage, interval=0.1, limit=60) as peer:
        error = _outcome(fetch, f"{peer.url}/p.zip", LOOPBACK, io.BytesIO())
    assert isinstance(error, OutboundFailed)
    assert error.message == f"{peer.url}/p.zip did not answer in time (within 1 seconds)"


def test_a_slow_receiver_of_a_post_is_cut_at_the_total_deadline():
    with SlowPeer("headers", interval=0.1, limit=60) as peer:
        error = _outcome(post_json, f"{peer.url}/hook", {"a": 1}, LOOPBACK)
    assert isinstance(error, OutboundFailed) and "did not answer in time" in error.message
    assert peer.requests == [b'{"a":1}']


SPELLINGS = ["0177.0.0.1", "2130706433", "0x7f.1", "0x7f000001", "127.1", "017700000001", "[::ffff:127.0.0.1]",
             "[::ffff:7f00:1]", "[64:ff9b::7f00:1]", "[2002:7f00:1::]", "127.0.0.1."]


@pytest.mark.parametrize("host", SPELLINGS)
def test_address_spellings_are_read_as_the_resolver_reads_them(host, local):
    assert str(literal_address(host)).endswith(("127.0.0.1", "7f00:1", "7f00:1::"))
    with pytest.raises(InvalidInput) as err:
        check_url(f"http://{host}/p.zip", "url", OutboundPolicy())
    assert err.value.field == "url"
    assert err.value.message == (f"url may not point at {host.strip('[]')}: 127.0.0.1 is a loopback address "
                                 "(not public, and not in the outbound allow-list)")
    assert check_url(f"http://{host}/p.zip", "url", LOOPBACK)  # allow-listed as 127.0.0.1, in any spelling


@pytest.mark.parametrize("host", ["0177.0.0.1", "2130706433", "0x7f.1", "127.1"])
def test_fetch_connects_where_the_resolver_would(host, local):
    local.routes["/p.zip"] = Answer(200, b"PK")
    url = f"http://{host}:{local.server.server_port}/p.zip"
    with pytest.raises(OutboundRefused, match="127.0.0.1 is a loopback address"):
        fetch(url, OutboundPolicy(timeout=5), io.BytesIO())
    sink = io.BytesIO()
    fetch(url, LOOPBACK, sink)
    assert sink.getvalue() == b"PK"


@pytest.mark.parametrize("host", ["example.com", "08.1.2.3", "1.2.3.4.5", "256.1.1.1", "0x1g"])
def test_names_are_not_addresses(host):
    assert literal_address(host) is None
