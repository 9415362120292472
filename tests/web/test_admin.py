"""The admin API under /_courseport over HTTP: health, tokens, reset, demo seed, jobs on demand."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from courseport.core.courses import batch_updates
from courseport.schema import (
    AccessToken,
    Account,
    AccountUser,
    CommunicationChannel,
    Course,
    Enrollment,
    Favorite,
    Job,
    Section,
    Term,
    User,
    UserPreference,
)

UNAUTHENTICATED = {"status": "unauthenticated", "errors": [{"message": "user authorization required"}]}
NOT_ADMIN = {"status": "unauthorized", "errors": [{"message": "only administrators of the root account may do that"}]}
ADMIN_CALLS = [("/_courseport/tokens", {"login": "x"}), ("/_courseport/reset", {}), ("/_courseport/seed", {}),
               ("/_courseport/jobs/run", {})]


def count(world, model) -> int:  # noqa: ANN001
    with world.tx() as db:
        return db.scalar(select(func.count()).select_from(model))


def test_health_needs_no_token(world):
    with world.client() as c:
        r = c.get("/_courseport/health")
    assert r.status_code == 200
    assert r.json() == {"status": "ok", "database": "ok", "blob_store": "ok", "job_queue": "ok"}


@pytest.mark.parametrize(("path", "data"), ADMIN_CALLS)
def test_admin_calls_need_a_token(world, path, data):
    with world.client() as c:
        r = c.post(path, data=data)
    assert r.status_code == 401
    assert r.json() == UNAUTHENTICATED
    assert r.headers["WWW-Authenticate"].startswith("Bearer")


@pytest.mark.parametrize(("path", "data"), ADMIN_CALLS)
def test_admin_calls_refuse_non_admins(world, path, data):
    teacher, token = world.user_with_token("teacher")
    world.course("Kept")
    with world.client(token) as c:
        r = c.post(path, data=data)
    assert r.status_code == 403
    assert r.json() == NOT_ADMIN
    assert count(world, Course) == 1
    assert count(world, User) == 2


def test_bad_token_is_401(world):
    with world.client("nope") as c:
        r = c.post("/_courseport/reset")
    assert r.status_code == 401
    assert r.json() == {"errors": [{"message": "Invalid access token."}]}


def test_create_token_for_a_new_user(world):
    with world.client(world.admin_token) as c:
        r = c.post("/_courseport/tokens", data={"login": "bob", "purpose": "grading script"})
    assert r.status_code == 201
    body = r.json()
    assert set(body) == {"user_id", "login", "token"}
    assert body["login"] == "bob"
    with world.tx() as db:
        bob = db.get(User, body["user_id"])
        assert bob.login_id == "bob"
        assert db.scalar(select(AccountUser.id).where(AccountUser.user_id == bob.id)) is None
        assert db.scalar(select(AccessToken.purpose).where(AccessToken.user_id == bob.id)) == "grading script"
    with world.client(body["token"]) as c:
        assert c.get("/api/v1/courses").status_code == 200
        assert c.post("/_courseport/tokens", data={"login": "carol"}).status_code == 403


def test_create_admin_token_gives_admin_rights(world):
    with world.client(world.admin_token) as c:
        r = c.post("/_courseport/tokens", json={"login": "root2", "admin": True})
    assert r.status_code == 201
    with world.client(r.json()["token"]) as c:
        made = c.post("/_courseport/tokens", data={"login": "carol"})
    assert made.status_code == 201
    assert made.json()["login"] == "carol"
    with world.tx() as db:
        role = db.scalar(select(AccountUser.role_id).where(AccountUser.user_id == r.json()["user_id"],
                                                             AccountUser.account_id == 1))
    assert role == 1


def test_create_token_for_existing_user_reuses_it(world):
    bob = world.user("bob")
    with world.client(world.admin_token) as c:
        r = c.post("/_courseport/tokens", data={"login": "bob"})
    assert r.status_code == 201
    assert r.json()["user_id"] == bob.id
    assert count(world, User) == 2


def test_create_token_without_login_is_400(world):
    with world.client(world.admin_token) as c:
        r = c.post("/_courseport/tokens", data={"admin": "true"})
    assert r.status_code == 400
    assert r.json() == {"errors": [{"message": "login is required", "field": "login"}]}
    assert count(world, User) == 1


def test_create_token_with_bad_admin_flag_is_400(world):
    with world.client(world.admin_token) as c:
        r = c.post("/_courseport/tokens", data={"login": "bob", "admin": "perhaps"})
    assert r.status_code == 400
    assert r.json()["errors"][0]["field"] == "admin"
    assert count(world, User) == 1


def test_reset_keeps_root_admins_and_their_tokens(world):
    second_admin, second_token = world.user_with_token("root2", admin=True)
    student, student_token = world.user_with_token("student")
    course = world.course("Biology")
    world.enroll(student, course)
    with world.tx() as db:
        sub = Account(name="Faculty", parent_account_id=1, root_account_id=1, uuid="sub-uuid")
        db.add(sub)
        db.flush()
        db.add(AccountUser(account_id=sub.id, user_id=student.id, role_id=1))
        db.add(Term(root_account_id=1, name="Fall"))
        db.add(UserPreference(user_id=world.admin.id, kind="color", name=f"course_{course.id}", value="#abc"))
    with world.client(world.admin_token) as c:
        r = c.post("/_courseport/reset")
        assert r.status_code == 200
        assert r.json() == {"reset": True}
        assert c.get(f"/api/v1/courses/{course.id}").status_code == 404
    with world.client(second_token) as c:
        assert c.post("/_courseport/tokens", data={"login": "again"}).status_code == 201
    with world.client(student_token) as c:
        assert c.get("/api/v1/courses").json() == {"errors": [{"message": "Invalid access token."}]}
    with world.tx() as db:
        assert set(db.scalars(select(User.login_id))) == {"admin", "root2", "again"}
        assert set(db.scalars(select(Account.id))) == {1}
        assert set(db.scalars(select(AccountUser.user_id))) == {world.admin.id, second_admin.id}
        assert list(db.scalars(select(Term.name))) == ["Default Term"]
        # Kept admins keep their email channels; everyone's preferences go with the data they name.
        assert set(db.scalars(select(CommunicationChannel.address))) == {
            "admin@example.test", "root2@example.test", "again@example.test"}
    assert count(world, Course) == count(world, Enrollment) == count(world, Section) == 0
    assert count(world, UserPreference) == 0


def test_reset_then_seed_then_reset_again(world):
    with world.client(world.admin_token) as c:
        assert c.post("/_courseport/seed").status_code == 200
        assert c.post("/_courseport/reset").status_code == 200
    assert count(world, Course) == count(world, Favorite) == 0
    with world.tx() as db:
        assert list(db.scalars(select(User.login_id))) == ["admin"]


def test_seed_returns_a_summary_with_working_tokens(world):
    with world.client(world.admin_token) as c:
        r = c.post("/_courseport/seed")
    assert r.status_code == 200, r.text
    body = r.json()
    assert body["account_name"] == "Demo University"
    assert set(body["terms"]) == {"Spring 2026", "Fall 2026"}
    roles = sorted(u["role"] for u in body["users"])
    assert roles == ["designer", "observer", "student", "student", "student", "ta", "teacher", "teacher"]
    states = {c["sis_course_id"]: (c["workflow_state"], c["blueprint"], c["term"]) for c in body["courses"]}
    assert states == {
        "DEMO-BIO101": ("available", False, "Fall 2026"),
        "DEMO-MATH110": ("available", False, "Fall 2026"),
        "DEMO-ENG205": ("unpublished", False, "Fall 2026"),
        "DEMO-HIST150": ("completed", False, "Spring 2026"),
        "DEMO-BIO-BLUEPRINT": ("available", True, "Fall 2026"),
    }
    teacher = next(u for u in body["users"] if u["login"] == "demo.teacher")
    names = {course.name for course in world.canvas(teacher["token"]).get_courses()}
    assert {"Biology Blueprint", "Introduction to Biology"} <= names
    assert not names & {"Calculus I", "Modern Poetry"}


def test_seed_twice_does_not_duplicate(world):
    with world.client(world.admin_token) as c:
        first = c.post("/_courseport/seed").json()
        sizes = {model: count(world, model) for model in (Account, Term, User, Course, Section, Enrollment, Favorite)}
        second = c.post("/_courseport/seed").json()
    assert {model: count(world, model) for model in sizes} == sizes
    assert [u["id"] for u in second["users"]] == [u["id"] for u in first["users"]]
    assert second["courses"] == first["courses"]
    assert second["users"][0]["token"] != first["users"][0]["token"]


def test_seed_with_enroll_me_lists_demo_courses_for_the_caller(world):
    with world.client(world.admin_token) as c:
        assert c.post("/_courseport/seed").status_code == 200
        assert c.get("/api/v1/courses").json() == []
        body = c.post("/_courseport/seed", data={"enroll_me": "true"}).json()
        listed = c.get("/api/v1/courses", params={"per_page": 50}).json()
    available = {c["id"] for c in body["courses"] if c["workflow_state"] == "available"}
    assert available <= {course["id"] for course in listed}


def test_seed_links_observer_sections_and_favorites(world):
    with world.client(world.admin_token) as c:
        body = c.post("/_courseport/seed").json()
    ids = {u["login"]: u["id"] for u in body["users"]}
    with world.tx() as db:
        observed = db.scalars(select(Enrollment.associated_user_id).where(Enrollment.user_id == ids["demo.observer"]))
        assert set(observed) == {ids["demo.student1"]}
        sections = db.scalars(select(Section.name).join(Course, Course.id == Section.course_id)
                              .where(Course.sis_course_id == "DEMO-BIO101").order_by(Section.id))
        assert list(sections) == ["Introduction to Biology", "Section A", "Section B"]
        favorites = db.scalars(select(Course.sis_course_id).join(Favorite, Favorite.course_id == Course.id)
                               .where(Favorite.user_id == ids["demo.student1"]).order_by(Course.id))
        assert list(favorites) == ["DEMO-BIO101", "DEMO-MATH110"]
        demo_account = db.scalar(select(Account).where(Account.name == "Demo University"))
        assert demo_account.parent_account_id == 1


def test_run_jobs_runs_queued_jobs(world):
    course = world.course("Draft", offer=False)
    with world.tx() as db:
        job = batch_updates.queue_batch_update(db, db.get(User, world.admin.id), 1, [str(course.id)], "offer")
    with world.client(world.admin_token) as c:
        r = c.post("/_courseport/jobs/run")
        again = c.post("/_courseport/jobs/run")
    assert r.status_code == 200
    assert r.json() == {"ran": 1}
    assert again.json() == {"ran": 0}
    with world.tx() as db:
        assert db.get(Job, job.id).state == "completed"
        assert db.get(Course, course.id).workflow_state == "available"


def test_a_failing_admin_call_answers_500_in_canvas_form_and_logs_its_traceback(world, monkeypatch, caplog):
    def broken(db, keep_admins=True):  # noqa: ANN001, ANN202
        raise RuntimeError("the disk went away")

    monkeypatch.setattr("courseport.core.identity.admin.reset_store", broken)
    with caplog.at_level("ERROR", logger="courseport"), world.client(world.admin_token) as c:
        r = c.post("/_courseport/reset")
    assert r.status_code == 500
    assert r.json() == {"errors": [{"message": "An error occurred."}]}
    logged = [rec for rec in caplog.records if rec.name == "courseport" and rec.exc_info]
    assert [str(rec.exc_info[1]) for rec in logged] == ["the disk went away"]
    assert "POST /_courseport/reset" in logged[0].getMessage()
    assert count(world, User) >= 1  # nothing was reset
