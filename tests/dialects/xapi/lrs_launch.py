"""A launch of an xAPI or cmi5 course as the content sees it: the launch URL's parameters and an
xAPI client with the launch's credentials (a cmi5 launch fetches them from its fetch URL)."""

from __future__ import annotations

import json
import uuid
from urllib.parse import parse_qs, urlparse

import httpx

VERSION = {"X-Experience-API-Version": "1.0.3"}
ADL = "http://adlnet.gov/expapi/verbs/"


class Launch:
    def __init__(self, link: str):
        answer = httpx.get(link)
        assert answer.status_code == 302, answer.text
        self.url = answer.headers["location"]
        self.params = {k: v[0] for k, v in parse_qs(urlparse(self.url).query).items()}
        self.actor = json.loads(self.params["actor"])
        self.registration = self.params["registration"]
        self.activity = self.params.get("activity_id") or self.params["activityId"]
        auth = self.params.get("auth")
        if auth is None:
            fetched = httpx.post(self.params["fetch"])
            assert fetched.status_code == 200, fetched.text
            auth = "Basic " + fetched.json()["auth-token"]
        self.auth = auth
        self.lrs = httpx.Client(base_url=self.params["endpoint"].rstrip("/"), timeout=30,
                                headers={"Authorization": auth, **VERSION})

    def statement(self, verb: str, result: dict | None = None, **extra) -> dict:
        made = {"id": str(uuid.uuid4()), "actor": self.actor, "verb": {"id": ADL + verb, "display": {"en-US": verb}},
                "object": {"objectType": "Activity", "id": self.activity},
                "context": {"registration": self.registration}, **extra}
        if result is not None:
            made["result"] = result
        return made

    def send(self, *statements: dict) -> httpx.Response:
        return self.lrs.post("/statements", json=list(statements))
