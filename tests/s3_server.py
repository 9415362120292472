"""S3 for tests: moto in server mode on a free loopback port, started once per session by the test run
itself (so `.ci/run` needs no service of its own), with the AWS_* variables obstore reads pointing at it."""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator

import httpx
import pytest

TEST_ENV = {"AWS_ACCESS_KEY_ID": "testing", "AWS_SECRET_ACCESS_KEY": "testing", "AWS_REGION": "us-east-1"}


@pytest.fixture(scope="session")
def s3_endpoint() -> Iterator[str]:
    server_module = pytest.importorskip("moto.server", reason="moto[server] is in the test extra")
    server = server_module.ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    endpoint = f"http://{host}:{port}"
    env = {**TEST_ENV, "AWS_ENDPOINT_URL": endpoint}
    saved = {name: os.environ.get(name) for name in env}
    os.environ.update(env)
    try:
        yield endpoint
    finally:
        for name, value in saved.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value
        server.stop()


def new_bucket(endpoint: str) -> str:
    """A fresh bucket (moto takes an unsigned CreateBucket); its name."""
    name = f"courseport-{uuid.uuid4().hex[:12]}"
    answer = httpx.put(f"{endpoint}/{name}")
    assert answer.status_code == 200, answer.text
    return name
