"""Demo data seeding on a real database: what it creates, and that seeding again adds nothing; the
demo courses' content read back over HTTP with the demo users' tokens."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from sqlalchemy import func, select

from courseport import demo
from courseport.core.identity import tokens
from courseport.core.kit.errors import NotAllowed
from courseport.demo import content as demo_content
from courseport.schema import (
    Account,
    ContentItem,
    Course,
    DiscussionEntry,
    Enrollment,
    Favorite,
    File,
    ModuleProgress,
    Section,
    Submission,
    Term,
    User,
)

MODELS = (Account, Term, User, Course, Section, Enrollment, Favorite)


def seed(world, **options) -> demo.DemoSummary:  # noqa: ANN001
    with world.tx() as db:
        return demo.seed_demo(db, db.get(User, world.admin.id), **options)


def sizes(world) -> dict:  # noqa: ANN001
    with world.tx() as db:
        return {m.__name__: db.scalar(select(func.count()).select_from(m)) for m in MODELS}


def test_seed_builds_the_demo_account(world):
    summary = seed(world)
    assert sizes(world) == {"Account": 2, "Term": 3, "User": 9, "Course": 5, "Section": 7, "Enrollment": 18,
                            "Favorite": 3}
    with world.tx() as db:
        account = db.get(Account, summary.account_id)
        assert (account.name, account.parent_account_id, account.sis_account_id) == (
            "Demo University", 1, "demo-university")
        fall = db.get(Term, summary.terms["Fall 2026"])
        assert (fall.sis_term_id, fall.start_at, fall.end_at) == (
            "demo-fall-2026", datetime(2026, 8, 24, tzinfo=UTC), datetime(2026, 12, 18, tzinfo=UTC))
        assert set(db.scalars(select(Course.account_id))) == {summary.account_id}
        student = db.scalar(select(User).where(User.login_id == "demo.student1"))
        assert (student.name, student.sis_user_id, student.sortable_name) == (
            "Katherine Johnson", "demo-student1", "Johnson, Katherine")


def test_seed_enrolls_every_role(world):
    summary = seed(world)
    bio = next(c for c in summary.courses if c.sis_course_id == "DEMO-BIO101")
    with world.tx() as db:
        rows = db.execute(select(User.login_id, Enrollment.type, Section.name, Enrollment.associated_user_id)
                          .join(User, User.id == Enrollment.user_id)
                          .join(Section, Section.id == Enrollment.course_section_id)
                          .where(Enrollment.course_id == bio.id).order_by(User.login_id)).all()
        student1 = db.scalar(select(User.id).where(User.login_id == "demo.student1"))
    assert [tuple(r) for r in rows] == [
        ("demo.designer", "DesignerEnrollment", "Introduction to Biology", None),
        ("demo.observer", "ObserverEnrollment", "Section A", student1),
        ("demo.student1", "StudentEnrollment", "Section A", None),
        ("demo.student2", "StudentEnrollment", "Section A", None),
        ("demo.student3", "StudentEnrollment", "Section B", None),
        ("demo.ta", "TaEnrollment", "Introduction to Biology", None),
        ("demo.teacher", "TeacherEnrollment", "Introduction to Biology", None),
    ]


def test_seed_tokens_authenticate_their_users(world):
    summary = seed(world)
    with world.tx() as db:
        for user in summary.users:
            assert tokens.authenticate(db, user.token).id == user.id
    assert len({u.token for u in summary.users}) == len(summary.users) == 8


def test_seed_again_adds_nothing(world):
    first = seed(world)
    before = sizes(world)
    second = seed(world)
    assert sizes(world) == before
    assert second.courses == first.courses
    assert [u.id for u in second.users] == [u.id for u in first.users]
    assert second.account_id == first.account_id and second.terms == first.terms


def test_seed_reuses_existing_users_and_completes_missing_parts(world):
    existing = world.user("demo.teacher", "Someone Else")
    squatter = world.user("other", sis_user_id="demo-student1")
    first = seed(world)
    with world.tx() as db:
        db.execute(Enrollment.__table__.delete().where(Enrollment.user_id == existing.id))
        db.execute(Favorite.__table__.delete())
    second = seed(world)
    assert sizes(world)["Enrollment"] == 18 and sizes(world)["Favorite"] == 3
    assert next(u for u in second.users if u.login == "demo.teacher").id == existing.id
    assert second.courses == first.courses
    with world.tx() as db:
        student = db.scalar(select(User).where(User.login_id == "demo.student1"))
        assert student.sis_user_id is None
        assert db.get(User, squatter.id).sis_user_id == "demo-student1"


@pytest.mark.parametrize("spec", demo.COURSES, ids=lambda s: s.sis_course_id)
def test_seed_course_states(world, spec):
    summary = seed(world)
    made = next(c for c in summary.courses if c.sis_course_id == spec.sis_course_id)
    with world.tx() as db:
        course = db.get(Course, made.id)
        assert (course.name, course.course_code, course.workflow_state, course.blueprint) == (
            spec.name, spec.course_code, spec.state, spec.blueprint)
        assert db.get(Term, course.enrollment_term_id).sis_term_id == spec.term


def test_enroll_me_makes_the_actor_teach_every_demo_course(world):
    seed(world)
    assert _taught_by(world, world.admin.id) == []
    summary = seed(world, enroll_me=True)
    seed(world, enroll_me=True)
    assert _taught_by(world, world.admin.id) == sorted(c.id for c in summary.courses)


def _taught_by(world, user_id: int) -> list[int]:  # noqa: ANN001
    with world.tx() as db:
        return sorted(db.scalars(select(Enrollment.course_id).where(
            Enrollment.user_id == user_id, Enrollment.type == "TeacherEnrollment")))


def test_seed_by_a_non_admin_is_refused(world):
    nobody = world.user("nobody")
    with pytest.raises(NotAllowed), world.tx() as db:
        demo.seed_demo(db, db.get(User, nobody.id))
    assert sizes(world)["Course"] == 0


# --- course content, read back over HTTP with the demo users' own tokens --------------------------

CONTENT_MODELS = (ContentItem, Submission, File, DiscussionEntry, ModuleProgress)


@pytest.fixture
def demo_world(world):  # noqa: ANN001, ANN201
    summary = seed(world, blobs=world.services.blobs)
    world.demo_tokens = {u.login: u.token for u in summary.users}
    world.demo_courses = {c.sis_course_id: c.id for c in summary.courses}
    world.demo_logins = {u.id: u.login for u in summary.users}
    return world


def _get(world, login: str, path: str, **params):  # noqa: ANN001, ANN202
    with world.client(world.demo_tokens[login]) as http:
        answer = http.get(path, params=params)
    assert answer.status_code == 200, answer.text
    return answer.json()


def _todo(world, login: str, path: str) -> list[tuple]:  # noqa: ANN001
    return [(t["type"], t["assignment"]["name"], t.get("needs_grading_count")) for t in _get(world, login, path)]


def test_demo_todo_for_students_and_graders(demo_world):
    bio = demo_world.demo_courses["DEMO-BIO101"]
    assert _todo(demo_world, "demo.student1", "/api/v1/users/self/todo") == [
        ("submitting", "Problem set 1: limits", None), ("submitting", "Osmosis lab report", None),
        ("submitting", "Cell biology check", None), ("submitting", "Reading reflection: the cell membrane", None)]
    assert _todo(demo_world, "demo.student3", f"/api/v1/courses/{bio}/todo") == [
        ("submitting", "Cell structure worksheet", None), ("submitting", "Osmosis lab report", None),
        ("submitting", "Cell biology check", None), ("submitting", "Reading reflection: the cell membrane", None)]
    for grader in ("demo.teacher", "demo.ta"):
        assert _todo(demo_world, grader, f"/api/v1/courses/{bio}/todo") == [
            ("grading", "Cell structure worksheet", 1)]


def test_demo_course_shows_grades_progress_and_waiting_work(demo_world):
    bio = demo_world.demo_courses["DEMO-BIO101"]
    course = _get(demo_world, "demo.teacher", f"/api/v1/courses/{bio}",
                  **{"include[]": ["needs_grading_count", "syllabus_body"]})
    assert (course["needs_grading_count"], course["apply_assignment_group_weights"], course["syllabus_body"]) == (
        1, True, "<p>Cells, membranes and labs. Bring a lab coat on Thursdays.</p>")
    mine = _get(demo_world, "demo.student1", f"/api/v1/courses/{bio}",
                **{"include[]": ["course_progress", "total_scores"]})
    assert mine["course_progress"] == {
        "requirement_count": 7, "requirement_completed_count": 2,
        "next_requirement_url": mine["course_progress"]["next_requirement_url"], "completed_at": None}
    assert mine["enrollments"][0]["computed_current_score"] == 90.0
    progress = _get(demo_world, "demo.teacher", f"/api/v1/courses/{bio}/bulk_user_progress")
    assert {p["display_name"]: p["progress"]["requirement_completed_count"] for p in progress} == {
        "Katherine Johnson": 2, "Edsger Dijkstra": 1, "Barbara Liskov": 0}
    assert _get(demo_world, "demo.student1", "/api/v1/users/self/activity_stream/summary") == [
        {"type": t, "unread_count": 1, "count": 1, "notification_category": None}
        for t in ("Announcement", "DiscussionTopic", "Submission")]


def test_demo_course_content_is_listed(demo_world):
    bio, who = demo_world.demo_courses["DEMO-BIO101"], "demo.student1"
    groups = _get(demo_world, who, f"/api/v1/courses/{bio}/assignment_groups")
    assert [(g["name"], g["group_weight"]) for g in groups] == [("Homework", 40.0), ("Labs", 60.0)]
    assert [p["title"] for p in _get(demo_world, who, f"/api/v1/courses/{bio}/pages", sort="title")] == [
        "Lab safety rules", "Welcome to BIO 101"]
    assert _get(demo_world, who, f"/api/v1/courses/{bio}/front_page")["url"] == "welcome-to-bio-101"
    modules = _get(demo_world, who, f"/api/v1/courses/{bio}/modules", **{"include[]": "items"})
    assert [(m["name"], [(i["type"], i["title"], i["completion_requirement"]["type"]) for i in m["items"]])
            for m in modules] == [
        ("Week 1: Cells", [("Page", "Welcome to BIO 101", "must_view"), ("File", "syllabus.txt", "must_view"),
                           ("Assignment", "Cell structure worksheet", "must_submit"),
                           ("Quiz", "Cell biology check", "must_submit")]),
        ("Week 2: Membranes", [("Assignment", "Osmosis lab report", "must_submit"),
                               ("Discussion", "Introduce yourself", "must_contribute"),
                               ("Assignment", "Reading reflection: the cell membrane", "must_submit")])]
    quiz = _get(demo_world, who, f"/api/v1/courses/{bio}/quizzes")[0]
    assert (quiz["title"], quiz["question_count"], quiz["points_possible"], quiz["published"]) == (
        "Cell biology check", 2, 2.0, True)
    topic = _get(demo_world, who, f"/api/v1/courses/{bio}/discussion_topics")
    assert [(t["title"], t["discussion_subentry_count"]) for t in topic] == [("Introduce yourself", 1)]
    news = _get(demo_world, who, "/api/v1/announcements", **{"context_codes[]": f"course_{bio}"})
    assert [a["title"] for a in news] == ["Welcome, everyone"]
    events = _get(demo_world, who, "/api/v1/calendar_events", all_events="1", **{"context_codes[]": f"course_{bio}"})
    assert [(e["title"], e["location_name"]) for e in events] == [("Lab safety briefing", "Lab 2")]


def test_demo_file_downloads_and_submissions_are_graded_or_waiting(demo_world):
    bio = demo_world.demo_courses["DEMO-BIO101"]
    [syllabus] = _get(demo_world, "demo.student1", f"/api/v1/courses/{bio}/files")
    with demo_world.client(demo_world.demo_tokens["demo.student1"]) as http:
        download = http.get(syllabus["url"], follow_redirects=True)
    assert (syllabus["display_name"], download.status_code, download.content) == (
        "syllabus.txt", 200, demo_content.SYLLABUS)
    worksheet = next(a for a in _get(demo_world, "demo.teacher", f"/api/v1/courses/{bio}/assignments")
                     if a["name"] == "Cell structure worksheet")
    subs = _get(demo_world, "demo.teacher", f"/api/v1/courses/{bio}/assignments/{worksheet['id']}/submissions")
    names = demo_world.demo_logins
    assert sorted((names[s["user_id"]], s["workflow_state"], s["score"]) for s in subs) == [
        ("demo.student1", "graded", 9.0), ("demo.student2", "submitted", None),
        ("demo.student3", "unsubmitted", None)]


def test_demo_content_seeded_again_adds_nothing(demo_world):
    def counts() -> dict:
        with demo_world.tx() as db:
            return {m.__name__: db.scalar(select(func.count()).select_from(m)) for m in CONTENT_MODELS}

    before = counts()
    seed(demo_world, blobs=demo_world.services.blobs)
    assert counts() == before
    assert before["File"] == 1 and before["Submission"] == 2 and before["DiscussionEntry"] == 1
