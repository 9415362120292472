"""Learn OAuth 2 over HTTP: client-credential tokens, their expiry, and 401s everywhere else."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import update

from courseport.schema import AccessToken
from courseport.schema.base import utcnow

TOKEN = "/learn/api/public/v1/oauth2/token"
VERSION = "/learn/api/public/v1/system/version"


def test_client_credentials_yield_an_expiring_bearer_token(world):
    key, secret = world.blackboard_app()
    with world.client() as http:
        answer = http.post(TOKEN, data={"grant_type": "client_credentials"}, auth=(key, secret))
        assert answer.status_code == 200
        body = answer.json()
        token = body.pop("access_token")
        assert body == {"token_type": "bearer", "expires_in": 3600, "scope": "read write delete"}
        assert answer.headers["cache-control"] == "no-store"
        # grant_type may also come in the query string, as the swagger lists it
        assert http.post(TOKEN, params={"grant_type": "client_credentials"}, auth=(key, secret)).status_code == 200
    with world.client(token) as learn:
        assert learn.get(VERSION).status_code == 200


def test_bad_client_credentials_are_refused(world):
    key, secret = world.blackboard_app()
    with world.client() as http:
        for auth in ((key, "wrong"), ("nokey", secret), ("", "")):
            answer = http.post(TOKEN, data={"grant_type": "client_credentials"}, auth=auth)
            assert answer.status_code == 401
            assert answer.json() == {"status": 401, "message": "Invalid client credentials"}
        assert http.post(TOKEN, data={"grant_type": "client_credentials"}).status_code == 401
        wrong_grant = http.post(TOKEN, data={"grant_type": "password"}, auth=(key, secret))
        assert wrong_grant.status_code == 400
        assert wrong_grant.json() == {"status": 400,
                                      "message": "Unsupported grant_type 'password': only client_credentials"}


def test_calls_without_a_valid_bearer_token_get_401(world):
    token = world.blackboard_token()
    with world.client() as http:
        for path in (VERSION, "/learn/api/public/v3/courses", "/learn/api/public/v3/courses/_1_1",
                     "/learn/api/public/v1/courses/_1_1/tasks/_1_1"):
            answer = http.get(path)
            assert answer.status_code == 401, path
            assert answer.json() == {"status": 401, "message": "API request is not authenticated."}
            bad = http.get(path, headers={"Authorization": "Bearer nope"})
            assert bad.json() == {"status": 401, "message": "Bearer token is invalid"}
    with world.tx() as db:
        db.execute(update(AccessToken).values(expires_at=utcnow() - timedelta(seconds=1)))
    with world.client(token) as learn:
        assert learn.get(VERSION).json() == {"status": 401, "message": "Bearer token is invalid"}


def test_the_application_acts_with_its_user_rights(world):
    nobody = world.user("nobody")
    with world.client(world.blackboard_token(nobody)) as learn:
        answer = learn.get("/learn/api/public/v3/courses")
        assert answer.status_code == 403
        assert answer.json() == {"status": 403, "message": "User is not authorized to perform this operation"}


def test_serve_credentials_hold_a_working_learn_application(tmp_path):
    from courseport import cli
    from courseport.core.identity import oauth_clients
    from courseport.db import make_engine, transaction
    from courseport.settings import Settings

    settings = Settings(data_dir=tmp_path)
    creds, _ = cli.prepare_store(settings, "http://127.0.0.1:9", False)
    again, _ = cli.prepare_store(settings, "http://127.0.0.1:9", False)
    assert again["blackboard"] == creds["blackboard"] and set(creds["blackboard"]) == {"key", "secret"}
    engine = make_engine(settings.effective_database_url)
    with transaction(engine, write=True) as db:
        issued = oauth_clients.issue_token(db, creds["blackboard"]["key"], creds["blackboard"]["secret"],
                                           "client_credentials")
        user, _ = oauth_clients.authenticate(db, issued.value)
        assert user.login_id == "blackboard-integration"
    engine.dispose()
