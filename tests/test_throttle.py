"""Failed credential attempts are throttled per client address on every face: after `limit` failures
the address gets 429 in the face's error format with Retry-After, even with right credentials, until
the window ends; calls without credentials do not count, and other addresses are never held back.

The attacker's requests come from 127.0.0.2, the bystander's from 127.0.0.3 (both loopback); the
throttle's clock is the test's, so nothing waits."""

from __future__ import annotations

import base64
from collections.abc import Callable

import httpx
import pytest
from d2lvalence import auth as d2l_auth

from courseport import throttle as throttle_module
from courseport.throttle import FailureThrottle

LIMIT, WINDOW = 3, 60


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def clock(world, monkeypatch) -> Clock:
    clock = Clock()
    monkeypatch.setattr(world.services, "throttle", FailureThrottle(LIMIT, WINDOW, clock=clock))
    return clock


@pytest.fixture
def attacker(world):
    with httpx.Client(base_url=world.base_url, timeout=30,
                      transport=httpx.HTTPTransport(local_address="127.0.0.2")) as client:
        yield client


@pytest.fixture
def bystander(world):
    with httpx.Client(base_url=world.base_url, timeout=30,
                      transport=httpx.HTTPTransport(local_address="127.0.0.3")) as client:
        yield client


def basic(user: str, password: str) -> dict[str, str]:
    return {"Authorization": "Basic " + base64.b64encode(f"{user}:{password}".encode()).decode()}


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def throttled_after_limit(clock: Clock, attacker: httpx.Client, bystander: httpx.Client,
                          fail: Callable[[httpx.Client], httpx.Response], failed_status: int,
                          succeed: Callable[[httpx.Client], httpx.Response]) -> httpx.Response:
    """`limit` failures answered as usual, then the attacker's right credentials refused (returned),
    the bystander's accepted, and the attacker's accepted again once the window has passed."""
    assert succeed(attacker).status_code == 200
    for _ in range(LIMIT):
        assert fail(attacker).status_code == failed_status
    refused = succeed(attacker)
    assert refused.status_code == 429, refused.text
    assert refused.headers["retry-after"] == str(WINDOW)
    assert fail(attacker).status_code == 429
    assert succeed(bystander).status_code == 200
    clock.now += WINDOW - 1
    assert succeed(attacker).headers["retry-after"] == "1"
    clock.now += 1
    assert succeed(attacker).status_code == 200
    return refused


def test_canvas_bearer_token_failures(world, clock, attacker, bystander):
    def fail(client):  # noqa: ANN001, ANN202
        return client.get("/api/v1/users/self", headers=bearer("not-a-token"))

    for _ in range(LIMIT + 2):  # calls without credentials are no failure
        assert attacker.get("/api/v1/users/self").status_code == 401
    refused = throttled_after_limit(clock, attacker, bystander, fail, 401,
                                    lambda c: c.get("/api/v1/users/self", headers=bearer(world.admin_token)))
    assert list(refused.json()) == ["errors"] and "try again in 60 seconds" in refused.json()["errors"][0]["message"]
    assert refused.headers["x-content-type-options"] == "nosniff"


def test_canvas_throttle_refuses_before_reading_an_upload(world, clock, attacker):
    for _ in range(LIMIT):
        attacker.get("/api/v1/users/self", headers=bearer("not-a-token"))
    answer = attacker.post("/api/v1/file_uploads/forged-ticket", files={"file": ("a.txt", b"x" * 1000)})
    assert answer.status_code == 429


def test_learn_token_endpoint_failures(world, clock, attacker, bystander):
    key, secret = world.blackboard_app()
    form = {"grant_type": "client_credentials"}

    def token(client, password):  # noqa: ANN001, ANN202
        return client.post("/learn/api/public/v1/oauth2/token", data=form, headers=basic(key, password))

    refused = throttled_after_limit(clock, attacker, bystander, lambda c: token(c, "wrong"), 401,
                                    lambda c: token(c, secret))
    assert refused.json()["status"] == 429 and set(refused.json()) == {"status", "message"}


def test_scorm_cloud_basic_and_token_endpoint_failures(world, clock, attacker, bystander):
    app_id, secret = world.scorm_app()

    def fail(client):  # noqa: ANN001, ANN202
        return client.post("/api/v2/oauth/authenticate/application/token", data={"scope": "read"},
                           headers=basic(app_id, "wrong"))

    assert attacker.get("/api/v2/ping", headers=basic(app_id, "wrong")).status_code == 401  # counts too
    clock.now += WINDOW  # a new window: the one failure above is forgotten
    refused = throttled_after_limit(clock, attacker, bystander, fail, 401,
                                    lambda c: c.get("/api/v2/ping", headers=basic(app_id, secret)))
    assert set(refused.json()) == {"message"}


def test_d2l_signature_and_sign_in_failures(world, clock, attacker, bystander):
    keys = world.d2l_keys()

    def signed(user_key: str, skew: int = 0) -> str:
        ctx = d2l_auth.fashion_user_context(keys["app_id"], keys["app_key"], {
            "host": world.base_url.split("://")[1], "encrypt_requests": False, "server_skew": skew,
            "user_id": keys["user_id"], "user_key": user_key})
        return ctx.decorate_url_with_authentication(world.base_url + "/d2l/api/lp/1.4/courses/schema", method="GET")

    def sign_in(client):  # noqa: ANN001, ANN202
        return client.post("/d2l/auth/api/token", data={"token": "not-a-token", "x_a": keys["app_id"],
                                                          "x_b": "sig", "x_target": "https://app.example/cb"})

    for _ in range(LIMIT + 1):  # a stale timestamp on a right signature is clock skew, not a failure
        stale = attacker.get(signed(keys["user_key"], skew=-3_600_000))
        assert stale.text.startswith("Timestamp out of range")
    failures = iter([sign_in, sign_in])  # the browser sign-in counts with the signed calls

    def fail(client):  # noqa: ANN001, ANN202
        return next(failures, lambda c: c.get(signed("not-the-key")))(client)

    refused = throttled_after_limit(clock, attacker, bystander, fail, 403, lambda c: c.get(signed(keys["user_key"])))
    assert refused.headers["content-type"].startswith("application/problem+json")
    assert (refused.json()["status"], refused.json()["title"]) == (429, "Too Many Requests")


def test_failures_are_counted_per_window_and_in_bounded_memory(monkeypatch):
    clock = Clock()
    limiter = FailureThrottle(2, 10, clock=clock)
    limiter.failed("a")
    clock.now += 10  # the first window ended before the second failure
    limiter.failed("a")
    assert limiter.retry_after("a") is None
    limiter.failed("a")
    assert limiter.retry_after("a") == 10
    monkeypatch.setattr(throttle_module, "MAX_ADDRESSES", 3)
    for address in ("b", "c", "d"):
        limiter.failed(address)
        limiter.failed(address)
    assert limiter.retry_after("a") is None and limiter.retry_after("d") == 10  # the oldest went first
    off = FailureThrottle(0, 10, clock=clock)
    for _ in range(5):
        off.failed("a")
    assert off.retry_after("a") is None
