"""A tenant as a test sees it: its credentials and a ready-made client for each face whose client is installed.

Clients are made on first use; asking for one whose package is not installed skips the test (saying
which package), so a suite needs only the clients it drives.
"""

from __future__ import annotations

import os
from contextlib import contextmanager
from functools import cached_property
from pathlib import Path
from typing import Any
from unittest import mock

import httpx
import pytest

# bbrest reads Anthology's swagger document from here when it starts; a local copy keeps suites offline.
BB_SWAGGER_URL = "https://devportal-docstore.s3.amazonaws.com/learn-swagger.json"


def _require(module: str) -> None:
    try:
        __import__(module)
    except ImportError:
        pytest.skip(f"{module} is not installed")


class Tenant:
    """One tenant of a courseport: `id`, `name`, `base_url`, `credentials` (as credentials.json holds
    them: canvas.token, blackboard.key/secret, scorm_cloud.app_id/secret_key, d2l.app_id/app_key/
    user_id/user_key) and `admin_id`, the tenant administrator's user id."""

    def __init__(self, made: dict[str, Any], *, bb_swagger: Path | None = None):
        self.id: int = made["id"]
        self.name: str = made["name"]
        self.admin_id: int = made["admin"]["id"]
        self.credentials: dict[str, Any] = made["credentials"]
        self.base_url: str = self.credentials["base_url"]
        self._bb_swagger = bb_swagger

    def http(self) -> httpx.Client:
        """A plain HTTP client with the tenant's Canvas token, for calls no vendor client makes."""
        return httpx.Client(base_url=self.base_url, timeout=60,
                            headers={"Authorization": f"Bearer {self.credentials['canvas']['token']}"})

    @cached_property
    def canvas(self) -> Any:
        """A `canvasapi.Canvas` acting as the tenant's administrator."""
        _require("canvasapi")
        from canvasapi import Canvas

        return Canvas(self.base_url, self.credentials["canvas"]["token"])

    @cached_property
    def bbrest(self) -> Any:
        """A `bbrest.BbRest` session holding a token of the tenant's Learn application."""
        _require("bbrest")
        from bbrest import BbRest

        learn = self.credentials["blackboard"]
        with _offline_swagger(self._bb_swagger):
            return BbRest(learn["key"], learn["secret"], self.base_url)

    @cached_property
    def scorm(self) -> Any:
        """A SCORM Cloud `ApiClient` (rustici_software_cloud_v2) signed with the tenant's application."""
        _require("rustici_software_cloud_v2")
        from rustici_software_cloud_v2 import ApiClient, Configuration

        cfg = Configuration()
        cfg.host = self.base_url + "/api/v2/"
        cfg.username = self.credentials["scorm_cloud"]["app_id"]
        cfg.password = self.credentials["scorm_cloud"]["secret_key"]
        return ApiClient(cfg)

    @cached_property
    def d2l(self) -> Any:
        """A d2lvalence user context (a `requests` auth) signing as the tenant's administrator."""
        _require("d2lvalence")
        from d2lvalence import auth as d2l_auth

        keys = self.credentials["d2l"]
        scheme, host = self.base_url.split("://", 1)
        props = {"host": host, "encrypt_requests": scheme == "https", "server_skew": 0,
                 "user_id": keys["user_id"], "user_key": keys["user_key"]}
        return d2l_auth.fashion_user_context(keys["app_id"], keys["app_key"], props)


@contextmanager
def _offline_swagger(path: Path | None):  # noqa: ANN202 - a context manager
    """While bbrest starts, its swagger download is answered from `path` (or the environment's
    COURSEPORT_TESTING_BB_SWAGGER); without either it downloads as usual."""
    path = path or (Path(os.environ["COURSEPORT_TESTING_BB_SWAGGER"])
                    if os.environ.get("COURSEPORT_TESTING_BB_SWAGGER") else None)
    if path is None:
        yield
        return
    import requests

    real_get = requests.get
    document = path.read_bytes()

    def get(url: str, *args: Any, **kwargs: Any) -> Any:
        if url != BB_SWAGGER_URL:
            return real_get(url, *args, **kwargs)
        answer = requests.models.Response()
        answer.status_code, answer._content, answer.url = 200, document, url
        return answer

    with mock.patch.object(requests, "get", get):
        yield
