"""OAuth client applications: hashed secrets, expiring tokens, credentials kept while they work."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import update

from courseport.core.identity import oauth_clients, tokens
from courseport.core.kit.errors import InvalidInput, NotAuthenticated
from courseport.schema import AccessToken, OAuthClient, User
from courseport.schema.base import utcnow


def test_secrets_are_stored_hashed_and_tokens_expire(world):
    with world.tx() as db:
        client, secret = oauth_clients.register_client(db, db.get(User, world.admin.id), "app")
        assert secret not in db.get(OAuthClient, client.id).secret_hash
        issued = oauth_clients.issue_token(db, client.key, secret, "client_credentials")
        user, key = oauth_clients.authenticate(db, issued.value)
        assert (user.id, key, issued.expires_in) == (world.admin.id, client.key, 3600)
        with pytest.raises(NotAuthenticated):
            oauth_clients.issue_token(db, client.key, secret + "x", "client_credentials")
        with pytest.raises(InvalidInput):
            oauth_clients.issue_token(db, client.key, secret, "password")
        # other tokens authenticate too, with no client key
        assert oauth_clients.authenticate(db, world.admin_token) == (user, None)
    with world.tx() as db:
        with pytest.raises(NotAuthenticated):
            tokens.authenticate(db, "nope")
    with world.tx() as db:
        db.execute(update(AccessToken).where(AccessToken.token_hash == tokens.hash_token(issued.value))
                   .values(expires_at=utcnow() - timedelta(seconds=1)))
    with world.tx() as db, pytest.raises(NotAuthenticated):
        oauth_clients.authenticate(db, issued.value)


def test_ensure_client_keeps_working_credentials(world):
    other = world.user("other")
    with world.tx() as db:
        admin = db.get(User, world.admin.id)
        key, secret = oauth_clients.ensure_client(db, admin, "creds", None, None)
        assert oauth_clients.ensure_client(db, admin, "creds", key, secret) == (key, secret)
        assert oauth_clients.ensure_client(db, admin, "creds", key, "wrong")[0] != key
        assert oauth_clients.ensure_client(db, db.get(User, other.id), "creds", key, secret)[0] != key
