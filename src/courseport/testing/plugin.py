"""The pytest plugin (entry point `pytest11` = `courseport`): options and fixtures; see the package docstring.

Fixture names start with `courseport_` so they never shadow a suite's own. Nothing of courseport's
server side is imported until a fixture asks for a server, so the plugin costs nothing to suites
that do not use it.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from courseport.testing.servers import Server, running, start_in_process, start_subprocess
from courseport.testing.tenants import Tenant

# option -> (environment variable, help)
_OPTIONS = {
    "--courseport-mode": ("COURSEPORT_TESTING_MODE",
                          "thread (default): serve courseport from this process; subprocess: run `courseport serve`."),
    "--courseport-database-url": ("COURSEPORT_TESTING_DATABASE_URL",
                                  "Database for the started courseport (default: SQLite in a temporary folder)."),
    "--courseport-url": ("COURSEPORT_TESTING_URL", "Use the courseport running at this URL instead of starting one."),
    "--courseport-admin-token": ("COURSEPORT_TESTING_ADMIN_TOKEN",
                                 "With --courseport-url: the admin's token (canvas.token in credentials.json)."),
    "--courseport-bb-swagger": ("COURSEPORT_TESTING_BB_SWAGGER",
                                "A local copy of Anthology's Learn swagger document, for bbrest to start offline."),
}


def pytest_addoption(parser: pytest.Parser) -> None:
    group = parser.getgroup("courseport", "courseport stand-in LMS")
    for flag, (env, text) in _OPTIONS.items():
        group.addoption(flag, default=None, help=f"{text} [env {env}]")
    group.addoption("--courseport-keep-tenants", action="store_true", default=False,
                    help="Keep each test's tenants after it, to look at their data "
                         "[env COURSEPORT_TESTING_KEEP_TENANTS=1]")


def _option(config: pytest.Config, flag: str) -> str | None:
    """The flag's value, else its environment variable's (the flag is unknown when the plugin was imported
    rather than loaded, so a missing one reads as unset)."""
    value = config.getoption(flag.lstrip("-").replace("-", "_"), default=None)
    return value or os.environ.get(_OPTIONS[flag][0]) or None


@pytest.fixture(scope="session")
def courseport_server(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    """A courseport for the session (one per xdist worker unless --courseport-url names a shared one)."""
    config = request.config
    url = _option(config, "--courseport-url")
    if url:
        yield running(url, _option(config, "--courseport-admin-token"))
        return
    mode = _option(config, "--courseport-mode") or "thread"
    if mode not in ("thread", "subprocess"):
        raise pytest.UsageError(f"--courseport-mode must be thread or subprocess, not {mode!r}")
    data_dir = tmp_path_factory.mktemp("courseport")
    start = start_in_process if mode == "thread" else start_subprocess
    server = start(data_dir, _option(config, "--courseport-database-url"))
    yield server
    server.stop()


@pytest.fixture
def courseport_tenants(request: pytest.FixtureRequest, courseport_server: Server) -> Iterator[Callable[..., Tenant]]:
    """Make tenants: `courseport_tenants()` or `courseport_tenants("name")`; each is deleted after the test."""
    made: list[Tenant] = []
    keep = (request.config.getoption("courseport_keep_tenants", default=False)
            or os.environ.get("COURSEPORT_TESTING_KEEP_TENANTS") == "1")
    swagger = _option(request.config, "--courseport-bb-swagger")

    def make(name: str | None = None) -> Tenant:
        label = name or f"{request.node.name[:200]} {uuid.uuid4().hex[:8]}"
        tenant = Tenant(courseport_server.create_tenant(label), bb_swagger=Path(swagger) if swagger else None)
        made.append(tenant)
        return tenant

    yield make
    if not keep:
        for tenant in made:
            courseport_server.delete_tenant(tenant.id)


@pytest.fixture
def courseport_tenant(courseport_tenants: Callable[..., Tenant]) -> Tenant:
    """A fresh tenant with `.canvas`, `.bbrest`, `.scorm` and `.d2l` clients, deleted after the test."""
    return courseport_tenants()
