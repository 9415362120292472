"""canvasapi 3.6.0, unmodified, against the live server: sub-accounts, account updates, course
accounts, and Account.get_courses() with its filters and paging past a hundred courses."""

from __future__ import annotations

import pytest
from canvasapi.exceptions import BadRequest, Forbidden

from courseport.core.identity import accounts
from courseport.schema import Account, Course


def test_sub_accounts_created_listed_and_updated(world):
    root = world.canvas().get_account(1)
    science = root.create_subaccount(account={"name": "Science", "sis_account_id": "SCI"})
    physics = science.create_subaccount(account={"name": "Physics"})
    arts = root.create_subaccount(account={"name": "Arts"})
    assert (science.name, science.parent_account_id, science.root_account_id, science.sis_account_id) == (
        "Science", 1, 1, "SCI")
    assert [a.name for a in root.get_subaccounts()] == ["Science", "Arts"]
    assert [a.name for a in root.get_subaccounts(recursive=True)] == ["Science", "Arts", "Physics"]
    assert physics.update(account={"name": "Physics & Astronomy", "default_time_zone": "America/Denver"}) is True
    assert (physics.name, physics.default_time_zone) == ("Physics & Astronomy", "America/Denver")
    with world.tx() as db:
        stored = db.get(Account, physics.id)
        assert (stored.name, stored.parent_account_id, stored.default_time_zone) == (
            "Physics & Astronomy", science.id, "America/Denver")
    with pytest.raises(BadRequest):
        arts.create_subaccount(account={"name": "Music", "sis_account_id": "SCI"})


def test_a_sub_account_admin_manages_only_their_tree(world):
    root = world.canvas().get_account(1)
    science = root.create_subaccount(account={"name": "Science"})
    admin, token = world.user_with_token("scienceadmin")
    with world.tx() as db:
        accounts.make_admin(db, admin.id, science.id)
    theirs = world.canvas(token).get_account(science.id)
    chemistry = theirs.create_subaccount(account={"name": "Chemistry"})
    assert chemistry.parent_account_id == science.id
    assert [a.id for a in theirs.get_subaccounts()] == [chemistry.id]
    with pytest.raises(Forbidden):
        _root(world.canvas(token)).update(account={"name": "Mine"})
    with pytest.raises(Forbidden):
        list(_root(world.canvas(token)).get_subaccounts())


def test_course_created_in_a_sub_account_and_term(world):
    root = world.canvas().get_account(1)
    science = root.create_subaccount(account={"name": "Science"})
    term = root.create_enrollment_term(enrollment_term={"name": "Fall", "sis_term_id": "F27"})
    course = science.create_course(course={"name": "Biology", "term_id": term.id})
    assert (course.account_id, course.enrollment_term_id) == (science.id, term.id)
    listed = list(root.get_courses(enrollment_term_id="sis_term_id:F27", include=["term", "account_name"]))
    assert [(c.name, c.term["name"], c.account_name) for c in listed] == [("Biology", "Fall", "Science")]
    assert [c.id for c in root.get_courses(by_subaccounts=[science.id])] == [course.id]


def test_get_courses_filters(world):
    root = world.canvas().get_account(1)
    taught = world.course("Taught Algebra", course_code="ALG")
    world.enroll(world.user("teacher", name="Ada Lovelace"), taught, "TeacherEnrollment")
    draft = world.course("Draft History", offer=False)
    blueprint = world.course("Blueprint Art", blueprint=True)
    done = world.course("Done Chemistry")
    with world.tx() as db:
        db.get(Course, done.id).workflow_state = "completed"

    def names(**kwargs):
        return sorted(c.name for c in root.get_courses(**kwargs))

    assert names() == ["Blueprint Art", "Done Chemistry", "Draft History", "Taught Algebra"]
    assert names(with_enrollments=True) == ["Taught Algebra"]
    assert names(enrollment_type=["teacher"]) == ["Taught Algebra"]
    assert names(enrollment_type=["student"]) == []
    assert names(published=False) == ["Done Chemistry", "Draft History"]
    assert names(completed=True) == ["Done Chemistry"]
    assert names(blueprint=True) == ["Blueprint Art"]
    assert names(blueprint=False, state=["available"]) == ["Taught Algebra"]
    assert names(search_term="alg") == ["Taught Algebra"]
    assert names(search_term="lovelace", search_by="teacher") == ["Taught Algebra"]
    assert names(search_term=f"{draft.id:02d}") == ["Draft History"]  # a full id, two characters at least
    assert [c.name for c in root.get_courses(sort="course_name", order="desc")][:2] == [
        "Taught Algebra", "Draft History"]
    assert blueprint.id in [c.id for c in root.get_courses(blueprint=True)]


def test_get_courses_pages_past_a_hundred(world):
    with world.tx() as db:
        for n in range(130):
            db.add(Course(uuid=f"u{n}", lti_context_id=f"l{n}", account_id=1, root_account_id=1,
                          enrollment_term_id=accounts.default_term(db, 1).id, name=f"Course {n:03}",
                          course_code=f"C{n}", workflow_state="available"))
    courses = list(world.canvas().get_account(1).get_courses(per_page=100))
    assert len(courses) == 130 and [c.id for c in courses] == sorted(c.id for c in courses)


def test_course_accounts_for_a_teacher(world):
    science = world.canvas().get_account(1).create_subaccount(account={"name": "Science"})
    course = world.course("Biology", account_id=science.id)
    teacher, token = world.user_with_token("teacher")
    world.enroll(teacher, course, "TeacherEnrollment")
    found = list(world.canvas(token).get_course_accounts())
    assert [(a.id, a.name) for a in found] == [(science.id, "Science")]


def _root(canvas):
    from canvasapi.account import Account as CanvasAccount

    return CanvasAccount(canvas._Canvas__requester, {"id": 1})
