"""Tenants over /_courseport/tenants: made with credentials for all four faces, listed, deleted with all
they own; the installation admin's token only; login ids unique per tenant, not per store."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import func, select

from courseport.core.identity import tenancy
from courseport.schema import (
    AccessToken,
    Account,
    CommunicationChannel,
    Course,
    D2LApp,
    Enrollment,
    GradingStandard,
    Job,
    Login,
    OAuthClient,
    Term,
    User,
    UserPreference,
)
from courseport.web.controls.openapi import ADMIN_TOKEN

NOT_ADMIN = {"status": "unauthorized", "errors": [{"message": "only administrators of the root account may do that"}]}


def make_tenant(world, name: str = "Suite A") -> dict:
    with world.client(world.admin_token) as c:
        r = c.post("/_courseport/tenants", json={"name": name})
    assert r.status_code == 201, r.text
    return r.json()


def count(world, model, *where) -> int:  # noqa: ANN001, ANN002
    with world.tx() as db:
        return db.scalar(select(func.count()).select_from(model).where(*where))


def test_create_answers_a_root_account_and_credentials_for_every_face(world):
    body = make_tenant(world)
    creds = body["credentials"]
    assert body["name"] == "Suite A" and body["admin"]["login"] == "admin"
    assert creds["tenant_id"] == body["id"] and creds["base_url"] == world.base_url
    assert set(creds) == {"base_url", "tenant_id", "canvas", "blackboard", "d2l", "scorm_cloud"}
    assert set(creds["d2l"]) == {"app_id", "app_key", "user_id", "user_key"}
    assert set(creds["blackboard"]) == {"key", "secret"} and set(creds["scorm_cloud"]) == {"app_id", "secret_key"}
    with world.tx() as db:
        root = db.get(Account, body["id"])
        assert root.parent_account_id is None and root.root_account_id is None
        assert tenancy.tenant_of(db, body["admin"]["id"]) == root.id
    # The token works on the Canvas face and shows the tenant's own root account as `self`.
    with world.client(creds["canvas"]["token"]) as c:
        me = c.get("/api/v1/users/self")
        account = c.get("/api/v1/accounts/self")
    assert me.status_code == 200 and me.json()["id"] == body["admin"]["id"]
    assert account.status_code == 200 and account.json()["id"] == body["id"]


def test_each_tenant_has_its_own_admin_login(world):
    first, second = make_tenant(world, "A"), make_tenant(world, "B")
    assert first["admin"]["login"] == second["admin"]["login"] == "admin"
    assert first["admin"]["id"] != second["admin"]["id"]
    assert count(world, Login, func.lower(Login.unique_id) == "admin") == 3  # the installation's, A's and B's


def test_list_shows_every_root_account(world):
    made = make_tenant(world)
    with world.client(world.admin_token) as c:
        r = c.get("/_courseport/tenants")
    assert r.status_code == 200
    assert [t["id"] for t in r.json()] == [1, made["id"]]
    assert r.json()[1] == {k: v for k, v in made.items() if k != "credentials"}
    assert "credentials" not in r.json()[0]


@pytest.mark.parametrize(("method", "path"), [("POST", "/_courseport/tenants"), ("GET", "/_courseport/tenants"),
                                              ("DELETE", "/_courseport/tenants/{id}")])
def test_a_tenants_own_admin_may_not_manage_tenants(world, method, path):
    made = make_tenant(world)
    with world.client(made["credentials"]["canvas"]["token"]) as c:
        r = c.request(method, path.format(id=made["id"]), json={"name": "X"})
    assert r.status_code == 403 and r.json() == NOT_ADMIN
    assert count(world, Account, Account.parent_account_id.is_(None)) == 2


def test_without_a_token_is_401(world):
    with world.client() as c:
        r = c.post("/_courseport/tenants", json={"name": "X"})
    assert r.status_code == 401
    assert count(world, Account) == 1


def test_a_name_is_required(world):
    with world.client(world.admin_token) as c:
        r = c.post("/_courseport/tenants", json={"name": "  "})
    assert r.status_code == 400
    assert r.json() == {"errors": [{"message": "name is required", "field": "name"}]}
    assert count(world, Account) == 1


def test_delete_removes_the_tenant_and_all_it_owns_and_nothing_else(world, tmp_path):
    kept_course = world.course("Installation course")
    made = make_tenant(world)
    creds = made["credentials"]
    with world.client(creds["canvas"]["token"]) as c:
        course = c.post(f"/api/v1/accounts/{made['id']}/courses", data={"course[name]": "Tenant course"}).json()
        student = c.post("/api/v1/accounts/self/users", data={"user[name]": "Stu", "pseudonym[unique_id]": "stu",
                                                              "communication_channel[address]": "stu@example.edu"})
        assert student.status_code == 200, student.text
        stu = student.json()["id"]
        standards = [c.post(f"/api/v1/{owner}/grading_standards", data={
            "title": "Scale", "grading_scheme_entry[][name]": "Pass", "grading_scheme_entry[][value]": "0"})
            for owner in (f"courses/{course['id']}", f"accounts/{made['id']}")]
        assert [r.status_code for r in standards] == [200, 200]
        colored = c.put(f"/api/v1/users/{stu}/colors/user_{stu}", data={"hexcode": "abc"})
        assert colored.status_code == 200, colored.text
        enrolled = c.post(f"/api/v1/courses/{course['id']}/enrollments",
                          data={"enrollment[user_id]": student.json()["id"], "enrollment[type]": "StudentEnrollment"})
        assert enrolled.status_code == 200, enrolled.text
        source = c.post(f"/api/v1/accounts/{made['id']}/courses", data={"course[name]": "Source"}).json()
        migration = c.post(f"/api/v1/courses/{course['id']}/content_migrations",
                           data={"migration_type": "course_copy_importer",
                                 "settings[source_course_id]": source["id"]})
        assert migration.status_code == 200, migration.text
    assert count(world, Job) == 1 and count(world, Enrollment, Enrollment.root_account_id == made["id"]) == 1
    stu_id = student.json()["id"]
    assert count(world, CommunicationChannel, CommunicationChannel.user_id == stu_id) == 1
    assert count(world, UserPreference, UserPreference.user_id == stu_id) == 1
    with world.client(world.admin_token) as c:
        r = c.delete(f"/_courseport/tenants/{made['id']}")
        again = c.delete(f"/_courseport/tenants/{made['id']}")
    assert r.status_code == 200 and r.json() == {"id": made["id"], "deleted": True}
    assert again.status_code == 404
    assert count(world, Account) == 1 and count(world, Course) == 1
    assert count(world, User) == 1 and count(world, Enrollment) == 0 and count(world, Job) == 0
    assert count(world, OAuthClient) == 0 and count(world, D2LApp) == 0
    assert count(world, UserPreference) == 0 and count(world, GradingStandard) == 0
    assert count(world, CommunicationChannel, CommunicationChannel.user_id != world.admin.id) == 0
    assert count(world, AccessToken, AccessToken.user_id != world.admin.id) == 0
    with world.tx() as db:
        assert db.get(Course, kept_course.id) is not None
    with world.client(creds["canvas"]["token"]) as c:
        assert c.get("/api/v1/users/self").status_code == 401


def test_the_installation_root_account_cannot_be_deleted(world):
    with world.client(world.admin_token) as c:
        r = c.delete("/_courseport/tenants/1")
        missing = c.delete("/_courseport/tenants/99999999")
    assert r.status_code == 400 and count(world, Account) == 1
    assert missing.status_code == 404


def test_the_openapi_description_holds_the_tenant_routes(world):
    with world.client() as c:
        r = c.get("/_courseport/schema")
    assert r.status_code == 200
    doc = r.json()
    assert doc["components"]["securitySchemes"]["admin_token"] == {
        "type": "http", "scheme": "bearer", "description": ADMIN_TOKEN}
    assert doc["security"] == [{"admin_token": []}]
    tenants_path, one_path = doc["paths"]["/_courseport/tenants"], doc["paths"]["/_courseport/tenants/{tenant_id}"]
    assert (tenants_path["post"]["summary"], tenants_path["get"]["summary"], one_path["delete"]["summary"]) == (
        "Create a tenant", "List tenants", "Delete a tenant")
    assert one_path["delete"]["parameters"][0]["schema"] == {"type": "integer"}
    assert not any(path.startswith(("/api/", "/learn/", "/d2l/")) for path in doc["paths"])


def test_a_deleted_tenants_package_blobs_are_released_to_the_collector(world):
    from courseport.core.kit.blob_lifecycle import collect
    from courseport.schema import Blob, PackageFile

    package = Path(__file__).resolve().parents[1].parent / "shared" / "packages" / "RuntimeBasicCalls_SCORM12.zip"
    made = make_tenant(world)
    scorm = made["credentials"]["scorm_cloud"]
    with world.client() as c:
        job = c.post("/api/v2/courses/importJobs/upload", params={"courseId": "golf"},
                     auth=(scorm["app_id"], scorm["secret_key"]),
                     files={"file": ("golf.zip", package.read_bytes(), "application/zip")})
    assert job.status_code == 200, job.text
    world.run_jobs()
    files = count(world, PackageFile)
    assert files > 0
    collect(world.engine, world.services.blobs, grace=0)
    assert count(world, Blob) == files  # every package file's blob is still referenced
    with world.client(world.admin_token) as c:
        assert c.delete(f"/_courseport/tenants/{made['id']}").status_code == 200
    assert count(world, PackageFile) == 0 and count(world, Course) == 0
    report = collect(world.engine, world.services.blobs, grace=0)
    assert report.blobs == files and count(world, Blob) == 0


def test_faces_without_account_ids_work_in_the_callers_tenant(world):
    """Learn's terms and users, which name no account, read and write the caller's tenant."""
    made = make_tenant(world)
    learn = made["credentials"]["blackboard"]
    with world.client() as c:
        token = c.post("/learn/api/public/v1/oauth2/token", data={"grant_type": "client_credentials"},
                       auth=(learn["key"], learn["secret"])).json()["access_token"]
        auth = {"Authorization": f"Bearer {token}"}
        terms = c.get("/learn/api/public/v1/terms", headers=auth)
        user = c.post("/learn/api/public/v1/users", headers=auth,
                      json={"userName": "admin", "password": "secret-pass", "name": {"given": "A", "family": "B"}})
        taken = c.post("/learn/api/public/v1/users", headers=auth,
                       json={"userName": "bob", "password": "secret-pass", "name": {"given": "B", "family": "C"}})
    assert terms.status_code == 200, terms.text
    with world.tx() as db:
        tenant_terms = [f"_{t.id}_1" for t in db.scalars(select(Term).where(Term.root_account_id == made["id"]))]
    assert [t["id"] for t in terms.json()["results"]] == tenant_terms
    assert user.status_code == 409, user.text  # the tenant's own admin holds that login
    assert taken.status_code == 201, taken.text
    with world.tx() as db:
        assert tenancy.tenant_of(db, int(taken.json()["id"].split("_")[1])) == made["id"]


def test_a_reset_keeps_every_tenants_credentials_on_every_face(world):
    """A reset empties tenants' data but keeps their admins' credentials: the Canvas token, the Learn and
    SCORM Cloud applications and the D2L app and user keys all still work afterwards."""
    import requests

    from tests.test_tenants_isolation import _d2l

    made = make_tenant(world)
    creds = made["credentials"]
    with world.client(creds["canvas"]["token"]) as c:
        course = c.post(f"/api/v1/accounts/{made['id']}/courses", data={"course[name]": "Gone after reset"})
    assert course.status_code == 200, course.text
    with world.client(world.admin_token) as c:
        reset = c.post("/_courseport/reset")
    assert reset.status_code == 200 and reset.json() == {"reset": True}, reset.text
    assert count(world, Course, Course.root_account_id == made["id"]) == 0  # the tenant's data went
    assert count(world, OAuthClient, OAuthClient.user_id == made["admin"]["id"]) == 2  # its credentials stayed

    with world.client(creds["canvas"]["token"]) as c:
        me = c.get("/api/v1/users/self")
        courses = c.get(f"/api/v1/accounts/{made['id']}/courses")
    assert me.status_code == 200 and me.json()["id"] == made["admin"]["id"], me.text
    assert courses.status_code == 200 and courses.json() == [], courses.text
    learn, scorm = creds["blackboard"], creds["scorm_cloud"]
    with world.client() as c:
        grant = c.post("/learn/api/public/v1/oauth2/token", data={"grant_type": "client_credentials"},
                       auth=(learn["key"], learn["secret"]))
        assert grant.status_code == 200, grant.text
        learn_me = c.get("/learn/api/public/v1/users/userName:admin",
                         headers={"Authorization": f"Bearer {grant.json()['access_token']}"})
        scorm_courses = c.get("/api/v2/courses", auth=(scorm["app_id"], scorm["secret_key"]))
    assert learn_me.status_code == 200 and learn_me.json()["userName"] == "admin", learn_me.text
    assert scorm_courses.status_code == 200 and scorm_courses.json()["courses"] == [], scorm_courses.text
    whoami = requests.get(world.base_url + "/d2l/api/lp/1.4/users/whoami", auth=_d2l(creds, world.base_url),
                          timeout=30)
    assert whoami.status_code == 200 and whoami.json()["Identifier"] == str(made["admin"]["id"]), whoami.text
