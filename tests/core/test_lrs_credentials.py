"""Launch credentials: what they carry, and that forged, foreign or expired ones are refused (401)."""

from __future__ import annotations

import base64

import pytest

from courseport.core.kit.errors import NotAuthenticated
from courseport.core.packages import lrs_credentials
from courseport.core.packages.lrs_credentials import LaunchScope

SECRET = b"s" * 32
SCOPE = LaunchScope(course_id=1, version_id=2, registration="6f9619ff-8b86-d011-b42d-00c04fc964ff", learner_id="ada",
                    learner_name="Ada", expires_at=2_000, launch_key="k")


def test_issued_credentials_read_back_until_they_expire():
    header = "Basic " + lrs_credentials.issue(SECRET, SCOPE)
    assert lrs_credentials.read(SECRET, header, now=1_999) == SCOPE
    with pytest.raises(NotAuthenticated, match="These credentials have expired"):
        lrs_credentials.read(SECRET, header, now=2_001)


@pytest.mark.parametrize("header", [
    None, "Bearer x", "Basic !!!", "Basic " + base64.b64encode(b"ada:secret").decode(),
    "Basic " + lrs_credentials.issue(b"t" * 32, SCOPE),  # another installation's
])
def test_other_credentials_are_refused(header):
    with pytest.raises(NotAuthenticated):
        lrs_credentials.read(SECRET, header, now=1_000)


def test_the_actor_is_an_account_agent():
    assert SCOPE.actor() == {"objectType": "Agent", "name": "Ada", "account": {"homePage": "urn:courseport",
                                                                               "name": "ada"}}
    assert SCOPE.agent_key() == "account:urn:courseport|ada"
    assert lrs_credentials.agent_key({"mbox": "mailto:a@example.com"}) == "mbox:mailto:a@example.com"
    assert lrs_credentials.agent_key({"name": "nobody"}) is None
