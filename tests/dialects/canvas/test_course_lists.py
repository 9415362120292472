"""Canvas course lists over raw HTTP: default states per role, filters, errors, paging links."""

from __future__ import annotations

from courseport.core.courses import courses
from courseport.schema import Enrollment, User


def _ids(c, path="/api/v1/courses", **params) -> list[int]:
    r = c.get(path, params=params)
    assert r.status_code == 200, r.text
    return [x["id"] for x in r.json()]


def _courses_in_every_state(world):
    made = {state: world.course(state.title(), offer=False) for state in ("unpublished", "available",
                                                                          "completed", "deleted")}
    with world.tx() as db:
        for state, course in made.items():
            db.get(type(course), course.id).workflow_state = state
    return made


def test_students_and_observers_see_available_courses_only(world):
    made = _courses_in_every_state(world)
    for etype in ("StudentEnrollment", "ObserverEnrollment"):
        user, token = world.user_with_token(etype.lower())
        for course in made.values():
            world.enroll(user, course, etype)
        with world.client(token) as c:
            assert _ids(c) == [made["available"].id], etype
            assert _ids(c, **{"state[]": ["unpublished", "deleted"]}) == []  # never unpublished or deleted
            assert _ids(c, **{"state[]": ["completed", "available"]}) == [made["available"].id,
                                                                         made["completed"].id]


def test_staff_see_everything_but_deleted(world):
    made = _courses_in_every_state(world)
    for etype in ("TeacherEnrollment", "TaEnrollment", "DesignerEnrollment"):
        user, token = world.user_with_token(etype.lower())
        for course in made.values():
            world.enroll(user, course, etype)
        with world.client(token) as c:
            assert _ids(c) == [made[s].id for s in ("unpublished", "available", "completed")], etype
            assert _ids(c, **{"state[]": "deleted"}) == [made["deleted"].id]
            assert _ids(c, **{"state[]": ["unpublished", "completed"]}) == [made["unpublished"].id,
                                                                           made["completed"].id]


def test_enrollment_states(world):
    me, token = world.user_with_token("me")
    active, invited, done, gone = (world.course(n) for n in ("Active", "Invited", "Done", "Gone"))
    world.enroll(me, active)
    world.enroll(me, invited, state="invited")
    world.enroll(me, done, state="completed")
    world.enroll(me, gone, state="deleted")
    with world.client(token) as c:
        assert _ids(c) == [active.id, invited.id]
        assert _ids(c, enrollment_state="active") == [active.id]
        assert _ids(c, enrollment_state="invited_or_pending") == [invited.id]
        assert _ids(c, enrollment_state="completed") == [done.id]


def test_filter_errors_name_the_parameter(world):
    _, token = world.user_with_token("me")
    cases = {"enrollment_type": ("principal", "enrollment_type must be one of teacher, student, ta, observer, "
                                              "designer, student_view"),
             "enrollment_state": ("asleep", "enrollment_state must be one of active, invited_or_pending, completed"),
             "state[]": ("gone", "state[] must be one of unpublished, available, completed, deleted"),
             "enrollment_role_id": ("three", "enrollment_role_id must be an integer, got 'three'"),
             "exclude_blueprint_courses": ("perhaps", "exclude_blueprint_courses must be a boolean (true or false), "
                                                      "got 'perhaps'")}
    with world.client(token) as c:
        for name, (value, message) in cases.items():
            r = c.get("/api/v1/courses", params={name: value})
            assert (r.status_code, r.json()) == (400, {"errors": [{"message": message, "field": name}]}), name


def test_other_users_courses_need_admin_or_observer(world):
    student, _ = world.user_with_token("student")
    stranger, stranger_token = world.user_with_token("stranger")
    parent, parent_token = world.user_with_token("parent")
    course = world.course("Shared")
    world.enroll(student, course)
    world.enroll(parent, course, "ObserverEnrollment", associated_user_id=student.id)
    with world.client(stranger_token) as c:
        r = c.get(f"/api/v1/users/{student.id}/courses")
        assert r.status_code == 403
        assert r.json()["status"] == "unauthorized"
        assert c.get("/api/v1/users/999999/courses").status_code == 404
    with world.client(parent_token) as c:
        assert _ids(c, f"/api/v1/users/{student.id}/courses") == [course.id]
    with world.client(world.admin_token) as c:
        body = c.get(f"/api/v1/users/{student.id}/courses").json()
        assert [e["user_id"] for e in body[0]["enrollments"]] == [student.id]  # the target's, not the admin's
        assert _ids(c, f"/api/v1/users/{student.id}/courses", enrollment_type="observer") == []


def test_includes_in_lists(world):
    me, token = world.user_with_token("me")
    teacher = world.user("teacher", "Terry Teacher")
    course = world.course("Listed", syllabus_body="<p>s</p>")
    world.enroll(me, course)
    world.enroll(teacher, course, "TeacherEnrollment")
    with world.client(token) as c:
        [body] = c.get("/api/v1/courses", params={"include[]": ["teachers", "total_students", "term",
                                                                 "syllabus_body", "sections", "favorites",
                                                                 "concluded"]}).json()
    assert [t["display_name"] for t in body["teachers"]] == ["Terry Teacher"]
    assert (body["total_students"], body["term"]["name"], body["syllabus_body"]) == (1, "Default Term", "<p>s</p>")
    assert [s["enrollment_role"] for s in body["sections"]] == ["StudentEnrollment"]
    assert (body["is_favorite"], body["concluded"]) == (False, False)
    assert "sis_course_id" not in body


def test_paging_links_walk_all_courses_once(world):
    me, token = world.user_with_token("me")
    with world.tx() as db:
        admin = db.get(User, world.admin.id)
        expected = []
        for n in range(150):
            course = courses.create_course(db, admin, 1, courses.CourseChanges(name=f"C{n}"), offer=True)
            db.add(Enrollment(user_id=me.id, course_id=course.id, root_account_id=1, type="StudentEnrollment",
                              course_section_id=courses.default_section(db, course).id, role_id=3))
            expected.append(course.id)
    seen: list[int] = []
    url = "/api/v1/courses?per_page=100&include[]=term"
    with world.client(token) as c:
        while url:
            r = c.get(url)
            assert r.status_code == 200
            seen += [x["id"] for x in r.json()]
            assert all("term" in x for x in r.json())
            url = r.links.get("next", {}).get("url")
        first = c.get("/api/v1/courses", params={"per_page": 500})
    assert seen == expected
    assert len(first.json()) == 100  # per_page is capped at 100
    assert first.links["current"]["url"].endswith("page=1&per_page=100")
    assert first.links["next"]["url"].endswith("page=2&per_page=100")


def test_a_courses_enrollments_come_with_it_in_the_order_made_and_pages_count_courses(world):
    """The list reads the user's enrollments with the page of courses (one row per enrollment): each course is
    listed once with all its live enrollments, and per_page counts courses, not rows."""
    me, token = world.user_with_token("me")
    made = [world.course(f"Several {n}") for n in range(3)]
    world.enroll(me, made[0], "TaEnrollment")
    world.enroll(me, made[0], "StudentEnrollment")
    world.enroll(me, made[0], "ObserverEnrollment", state="deleted")
    world.enroll(me, made[1], "StudentEnrollment", state="completed")
    world.enroll(me, made[1], "DesignerEnrollment")
    world.enroll(me, made[2], "StudentEnrollment")
    with world.client(token) as c:
        first = c.get("/api/v1/courses", params={"per_page": 2})
        second = c.get(first.links["next"]["url"])
    assert first.status_code == second.status_code == 200
    assert [x["id"] for x in first.json()] == [made[0].id, made[1].id]
    assert [[(e["type"], e["enrollment_state"]) for e in x["enrollments"]] for x in first.json()] == [
        [("ta", "active"), ("student", "active")], [("student", "completed"), ("designer", "active")]]
    assert [x["id"] for x in second.json()] == [made[2].id] and "next" not in second.links
    assert [e["type"] for e in second.json()[0]["enrollments"]] == ["student"]
