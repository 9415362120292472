"""Credentials for the xAPI endpoint, scoped to one launch: signed, never stored.

An xAPI or cmi5 launch gets credentials naming its course, version, registration (a preview's fresh
UUID for a preview), learner and expiry; they let the content write statements of that registration
as that learner, and read and write its State documents, nothing else. They travel as HTTP Basic
credentials (`courseport:<signed token>`), the form both launch conventions expect: Tin Can's `auth`
parameter holds the whole header value, cmi5's fetch URL returns the base64 part as its auth-token.

An application's own xAPI credentials (`xapi_credentials`, stored) give a `CredentialScope` instead:
any statement of the tenant, reads and writes as its permissions allow. `Scope` is either.
"""

from __future__ import annotations

import base64
import binascii
import time
from dataclasses import asdict, dataclass

from courseport.core.kit import signing
from courseport.core.kit.errors import NotAuthenticated

PURPOSE = "lrs-launch"
USER = "courseport"
HOME_PAGE = "urn:courseport"  # the account home page of learners in every statement we make or accept


@dataclass(frozen=True)
class LaunchScope:
    """What one launch's credentials allow."""

    course_id: int
    version_id: int
    registration: str
    learner_id: str
    learner_name: str
    expires_at: int
    launch_key: str  # the launch's own UUID (cmi5: its session id)
    tracking: bool = True
    cmi5: bool = False
    au_id: str = ""  # the launched activity (cmi5 AU or Tin Can activity)

    def actor(self) -> dict:
        return {"objectType": "Agent", "name": self.learner_name,
                "account": {"homePage": HOME_PAGE, "name": self.learner_id}}

    def agent_key(self) -> str:
        return agent_key(self.actor()) or ""


@dataclass(frozen=True)
class CredentialScope:
    """What an application's xAPI credential allows: statements of its tenant (root account)."""

    tenant_id: int
    credential_id: str


Scope = LaunchScope | CredentialScope


def agent_key(agent: object) -> str | None:
    """An agent's inverse functional identifier as text (what identifies it), None when it has none."""
    if not isinstance(agent, dict):
        return None
    if isinstance(agent.get("mbox"), str):
        return "mbox:" + agent["mbox"]
    if isinstance(agent.get("mbox_sha1sum"), str):
        return "sha1:" + agent["mbox_sha1sum"]
    if isinstance(agent.get("openid"), str):
        return "openid:" + agent["openid"]
    account = agent.get("account")
    if isinstance(account, dict) and isinstance(account.get("name"), str) and isinstance(account.get("homePage"), str):
        return f"account:{account['homePage']}|{account['name']}"
    return None


def issue(secret: bytes, scope: LaunchScope) -> str:
    """The base64 part of the Basic credentials of a launch (cmi5's auth-token)."""
    token = signing.sign(secret, PURPOSE, asdict(scope))
    return base64.b64encode(f"{USER}:{token}".encode()).decode("ascii")


def basic_pair(authorization: str | None) -> tuple[str, str]:
    """(user, password) of an `Authorization: Basic ...` header; ("", "") when it holds none."""
    if not authorization:
        raise NotAuthenticated("Authorization is required: the Basic credentials of a launch")
    scheme, _, value = authorization.partition(" ")
    if scheme.lower() != "basic":
        raise NotAuthenticated("Authorization must be Basic credentials of a launch", invalid=True)
    try:
        user, _, token = base64.b64decode(value.strip(), validate=True).decode().partition(":")
    except (binascii.Error, UnicodeDecodeError):
        user, token = "", ""
    return user, token


def read(secret: bytes, authorization: str | None, now: float | None = None) -> LaunchScope:
    """The scope of an `Authorization: Basic ...` header we issued and that has not expired."""
    user, token = basic_pair(authorization)
    claims = signing.unsign(secret, PURPOSE, token) if user == USER else None
    try:
        scope = LaunchScope(**claims) if claims is not None else None
    except TypeError:
        scope = None
    if scope is None:
        raise NotAuthenticated("These credentials are not valid here", invalid=True)
    if scope.expires_at < (now or time.time()):
        raise NotAuthenticated("These credentials have expired", invalid=True)
    return scope
