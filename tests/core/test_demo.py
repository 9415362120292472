"""Demo data seeding on a real database: what it creates, and that seeding again adds nothing."""

from __future__ import annotations

from datetime import datetime, timezone

import pytest
from sqlalchemy import func, select

from courseport.core import demo, tokens
from courseport.core.errors import NotAllowed
from courseport.schema import Account, Course, Enrollment, Favorite, Section, Term, User

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
            "demo-fall-2026", datetime(2026, 8, 24, tzinfo=timezone.utc), datetime(2026, 12, 18, tzinfo=timezone.utc))
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
