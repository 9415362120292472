"""Learn application entitlements: a token is scoped to what its application holds (Learn's 403 body
otherwise), applications hold every entitlement by default, and `courseport learn-app entitlements`
sets them."""

from __future__ import annotations

from click.testing import CliRunner

from courseport import cli
from courseport.core.identity import accounts, oauth_clients, users
from courseport.db import make_engine, transaction
from courseport.schema import OAuthClient, User
from tests.dialects.blackboard.test_users import USERS, create

TOKEN = "/learn/api/public/v1/oauth2/token"
REFUSED = {"status": 403, "message": "User is not authorized to perform this operation"}


def app_token(world, entitlements, user=None) -> str:
    with world.tx() as db:
        actor = db.get(User, (user or world.admin).id)
        client, secret = oauth_clients.register_client(db, actor, "limited", entitlements)
        key = client.key
    with world.client() as http:
        answer = http.post(TOKEN, data={"grant_type": "client_credentials"}, auth=(key, secret))
    assert answer.status_code == 200, answer.text
    return answer.json()["access_token"]


def count_users(world) -> int:
    with world.tx() as db:
        return db.query(User).count()


def test_an_app_without_user_create_cannot_create_users(world):
    with world.client(app_token(world, ["system.user.VIEW"])) as learn:
        before = count_users(world)
        answer = learn.post(USERS, json={"userName": "jdoe", "password": "s3cret-pass",
                                         "name": {"given": "J", "family": "Doe"}})
        assert (answer.status_code, answer.json()) == (403, REFUSED)
        assert count_users(world) == before
        assert learn.get(USERS).status_code == 200  # what it holds still works
        assert learn.delete(f"{USERS}/userName:admin").json() == REFUSED
    with world.client(app_token(world, ["system.user.CREATE"])) as learn:
        create(learn)
        assert count_users(world) == before + 1
        assert (learn.get(USERS).status_code, learn.get(USERS).json()) == (403, REFUSED)


def test_existing_and_default_apps_hold_every_entitlement(world):
    with world.client(world.blackboard_token()) as learn:
        create(learn)
        assert learn.delete(f"{USERS}/userName:jdoe").status_code == 204
    with world.tx() as db:
        assert {c.entitlements for c in db.query(OAuthClient)} == {None}


def test_membership_and_term_routes_ask_their_entitlements(world):
    with world.client(world.blackboard_token()) as full:
        create(full)
        course = full.post("/learn/api/public/v3/courses", json={"courseId": "c1", "name": "C"}).json()
    member = f"/learn/api/public/v1/courses/{course['id']}/users/userName:jdoe"
    with world.client(app_token(world, ["course.user.VIEW", "system.user.VIEW"])) as learn:
        assert learn.put(member, json={}).json() == REFUSED
        assert learn.post("/learn/api/public/v1/terms", json={"externalId": "t1", "name": "T"}).json() == REFUSED
        assert learn.post("/learn/api/public/v3/courses", json={"courseId": "c2", "name": "D"}).json() == REFUSED
        assert learn.get(f"/learn/api/public/v1/courses/{course['id']}/users").json() == {"results": []}
    with world.client(app_token(world, ["system.enrollment.CREATE"])) as learn:
        assert learn.put(member, json={}).status_code == 201
        assert learn.get(member).json() == REFUSED
        assert learn.patch(member, json={"courseRoleId": "Instructor"}).json() == REFUSED
        assert learn.delete(member).json() == REFUSED


def test_own_record_and_memberships_with_self_entitlements(world):
    with world.tx() as db:
        me = users.create_user(db, "Pat Plain", "pat", email="pat@example.test")
        accounts.make_admin(db, me.id)
    with world.client(app_token(world, ["self.user.MODIFY"], me)) as learn:
        answer = learn.patch(f"{USERS}/userName:pat", json={"name": {"given": "Pat", "family": "Roe"}})
        assert answer.status_code == 200 and answer.json()["name"]["family"] == "Roe"
        assert learn.patch(f"{USERS}/userName:admin", json={"name": {"given": "A", "family": "B"}}).json() == REFUSED
        assert learn.get(f"{USERS}/userName:pat/courses").status_code == 200  # one's own: always
        assert learn.get(f"{USERS}/userName:admin/courses").json() == REFUSED
    with world.tx() as db:
        assert db.get(User, me.id).sortable_name == "Roe, Pat"


def test_email_search_needs_the_properties_entitlement(world):
    with world.client(world.blackboard_token()) as full:
        create(full, contact={"email": "jane@example.test"})
    with world.client(app_token(world, ["system.user.VIEW"])) as learn:  # the parameter is ignored
        assert len(learn.get(USERS, params={"contact.email": "jane@"}).json()["results"]) == 2
    with world.client(app_token(world, ["system.user.VIEW", "system.user.properties.MODIFY"])) as learn:
        assert [u["userName"] for u in learn.get(USERS, params={"contact.email": "jane@"}).json()["results"]
                ] == ["jdoe"]


def test_cli_sets_and_clears_entitlements(tmp_path):
    env = {"COURSEPORT_DATABASE_URL": None, "COURSEPORT_DATA_DIR": None}
    runner = CliRunner()
    assert runner.invoke(cli.main, ["db", "upgrade", "--data-dir", str(tmp_path)], env=env).exit_code == 0
    engine = make_engine(f"sqlite:///{tmp_path / 'courseport.db'}")
    with transaction(engine, write=True) as db:
        accounts.ensure_root(db)
        client, _ = oauth_clients.register_client(db, users.create_user(db, "App", "app"), "cli app")
        key = client.key
    args = ["learn-app", "entitlements", key, "system.user.VIEW", "system.user.CREATE", "--data-dir", str(tmp_path)]
    result = runner.invoke(cli.main, args, env=env)
    assert result.exit_code == 0, result.output
    with transaction(engine, write=False) as db:
        assert oauth_clients.entitlements_of(db, key) == {"system.user.VIEW", "system.user.CREATE"}
    result = runner.invoke(cli.main, ["learn-app", "entitlements", key, "--all", "--data-dir", str(tmp_path)], env=env)
    assert (result.exit_code, result.output.strip()) == (0, f"{key}: every entitlement")
    with transaction(engine, write=False) as db:
        assert oauth_clients.entitlements_of(db, key) is None
    bad = runner.invoke(cli.main, ["learn-app", "entitlements", key, "not an entitlement", "--data-dir",
                                   str(tmp_path)], env=env)
    assert bad.exit_code != 0 and "is not an entitlement name" in bad.output
    missing = runner.invoke(cli.main, ["learn-app", "entitlements", "nope", "--all", "--data-dir", str(tmp_path)],
                            env=env)
    assert missing.exit_code != 0 and "application" in missing.output
    engine.dispose()
