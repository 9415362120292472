"""Canvas Enrollments over raw HTTP: exact bodies, filters, paging, includes, error bodies and refusals."""

from __future__ import annotations

import pytest

from courseport.schema import Enrollment, Section, Submission
from courseport.schema.base import utcnow
from tests.dialects.canvas.errors import FORBIDDEN, NOT_FOUND


def _error(message: str, field: str | None = None) -> dict:
    return {"errors": [{"message": message, **({"field": field} if field else {})}]}


def _section(world, course, name: str, sis: str | None = None) -> int:
    with world.tx() as db:
        section = Section(course_id=course.id, name=name, sis_section_id=sis)
        db.add(section)
        db.flush()
        return section.id


def _enroll(world, token: str, course_id: int, **fields):
    with world.client(token) as c:
        return c.post(f"/api/v1/courses/{course_id}/enrollments", json={"enrollment": fields})


def _ids(response) -> list[int]:
    assert response.status_code == 200, response.text
    return [e["id"] for e in response.json()]


def test_create_answers_the_enrollment_object(world):
    course = world.course("Bio", sis_course_id="BIO")
    section = _section(world, course, "Lab", "BIO-LAB")
    ann = world.user("ann", name="Ann Archer", sis_user_id="S-ANN")
    r = _enroll(world, world.admin_token, course.id, user_id="sis_user_id:S-ANN", type="StudentEnrollment",
                enrollment_state="active", course_section_id="sis_section_id:BIO-LAB")
    assert r.status_code == 200, r.text
    body = r.json()
    stamp = body["created_at"]
    origin = world.base_url
    assert body == {
        "id": body["id"], "user_id": ann.id, "course_id": course.id, "type": "StudentEnrollment",
        "created_at": stamp, "updated_at": body["updated_at"], "associated_user_id": None, "start_at": None,
        "end_at": None, "course_section_id": section, "root_account_id": 1,
        "limit_privileges_to_course_section": False, "enrollment_state": "active", "role": "StudentEnrollment",
        "role_id": 3, "last_activity_at": None, "last_attended_at": None, "total_activity_time": 0,
        "sis_import_id": None,
        "grades": {"html_url": f"{origin}/courses/{course.id}/grades/{ann.id}", "current_grade": None,
                   "current_score": None, "final_grade": None, "final_score": None,
                   "unposted_current_score": None, "unposted_current_grade": None,
                   "unposted_final_score": None, "unposted_final_grade": None},
        "sis_account_id": None, "sis_course_id": "BIO", "course_integration_id": None,
        "sis_section_id": "BIO-LAB", "section_integration_id": None, "sis_user_id": "S-ANN",
        "html_url": f"{origin}/courses/{course.id}/users/{ann.id}",
        "user": {"id": ann.id, "name": "Ann Archer", "created_at": body["user"]["created_at"],
                 "sortable_name": "Archer, Ann", "short_name": "Ann Archer", "sis_user_id": "S-ANN",
                 "integration_id": None, "sis_import_id": None, "login_id": "ann"},
    }
    again = _enroll(world, world.admin_token, course.id, user_id=ann.id, course_section_id=section)
    assert (again.json()["id"], again.json()["enrollment_state"]) == (body["id"], "active")  # same row, kept active


def test_who_may_enroll_whom(world):
    course = world.course("Bio")
    cast = world.cast(course)
    expected = {  # role -> (may add students and observers, may add teachers, TAs and designers)
        "admin": (200, 200), "teacher": (200, 200), "ta": (200, 403), "designer": (403, 403),
        "student": (403, 403), "observer": (403, 403), "outsider": (403, 403)}
    for role, (students, staff) in expected.items():
        for etype, status in (("StudentEnrollment", students), ("ObserverEnrollment", students),
                              ("TaEnrollment", staff), ("TeacherEnrollment", staff), ("DesignerEnrollment", staff)):
            r = _enroll(world, cast[role], course.id, user_id=world.user(f"{role}-{etype}").id, type=etype)
            assert r.status_code == status, (role, etype, r.text)
            if status == 403:
                assert r.json() == FORBIDDEN
    with world.client() as c:
        assert c.post(f"/api/v1/courses/{course.id}/enrollments", json={}).status_code == 401


def test_input_errors_name_the_field(world):
    course = world.course("Bio")
    other_section = _section(world, world.course("Other"), "Elsewhere")
    ann = world.user("ann")
    admin = world.admin_token
    with world.client(admin) as c:
        assert c.post(f"/api/v1/courses/{course.id}/enrollments").json() == _error("No parameters given", "enrollment")
    cases = [
        ({"type": "StudentEnrollment"}, 400, _error(
            "Can't create an enrollment without a user. Include enrollment[user_id] to create an enrollment",
            "enrollment[user_id]")),
        ({"user_id": ann.id, "type": "Student"}, 400, _error("Invalid type", "enrollment[type]")),
        ({"user_id": ann.id, "role_id": 1}, 400, _error("Invalid role", "enrollment[role_id]")),
        ({"user_id": ann.id, "role_id": 4, "type": "StudentEnrollment"}, 400,
         _error("The specified type must match the base type for the role", "enrollment[type]")),
        ({"user_id": ann.id, "enrollment_state": "completed"}, 400, _error(
            "enrollment[enrollment_state] must be one of active, invited, inactive", "enrollment[enrollment_state]")),
        ({"user_id": ann.id, "role_id": "teacher"}, 400, _error(
            "enrollment[role_id] must be an integer, got 'teacher'", "enrollment[role_id]")),
        ({"user_id": 999999}, 404, NOT_FOUND),
        ({"user_id": ann.id, "course_section_id": other_section}, 404, NOT_FOUND),
        ({"user_id": ann.id, "type": "StudentEnrollment", "associated_user_id": ann.id}, 400, _error(
            "enrollment[associated_user_id] is only for observer enrollments", "enrollment[associated_user_id]")),
        ({"user_id": ann.id, "type": "ObserverEnrollment", "associated_user_id": ann.id}, 400, _error(
            "associated user must be a student of the course", "enrollment[associated_user_id]")),
    ]
    for fields, status, body in cases:
        r = _enroll(world, admin, course.id, **fields)
        assert (r.status_code, r.json()) == (status, body), fields
    with world.client(admin) as c:
        assert c.delete(f"/api/v1/courses/{course.id}", params={"event": "conclude"}).status_code == 200
    r = _enroll(world, admin, course.id, user_id=ann.id)
    assert (r.status_code, r.json()) == (400, _error("Can't add an enrollment to a concluded course."))


def test_role_id_picks_the_type_and_section_posts_land_in_the_section(world):
    course = world.course("Bio")
    section = _section(world, course, "Lab", "LAB")
    ta, student = world.user("tia"), world.user("stu")
    r = _enroll(world, world.admin_token, course.id, user_id=ta.id, role_id=5, enrollment_state="active")
    assert (r.json()["type"], r.json()["role"], r.json()["role_id"]) == ("TaEnrollment", "TaEnrollment", 5)
    with world.client(world.admin_token) as c:
        made = c.post("/api/v1/sections/sis_section_id:LAB/enrollments",
                      data={"enrollment[user_id]": str(student.id), "enrollment[type]": "StudentEnrollment",
                            "enrollment[start_at]": "2027-01-01T00:00:00Z"})
    assert (made.json()["course_section_id"], made.json()["start_at"]) == (section, "2027-01-01T00:00:00Z")
    assert made.json()["enrollment_state"] == "invited"


def test_section_limited_ta_sees_and_enrolls_only_in_their_section(world):
    course = world.course("Bio")
    mine, theirs = _section(world, course, "Mine"), _section(world, course, "Theirs")
    ta, token = world.user_with_token("tia")
    limited = _enroll(world, world.admin_token, course.id, user_id=ta.id, type="TaEnrollment",
                      enrollment_state="active", course_section_id=mine,
                      limit_privileges_to_course_section=True).json()
    ann, bob = world.user("ann"), world.user("bob")
    in_mine = _enroll(world, token, course.id, user_id=ann.id, enrollment_state="active",
                      course_section_id=mine).json()
    refused = _enroll(world, token, course.id, user_id=bob.id, course_section_id=theirs)
    assert (refused.status_code, refused.json()) == (403, FORBIDDEN)
    in_theirs = _enroll(world, world.admin_token, course.id, user_id=bob.id, enrollment_state="active",
                        course_section_id=theirs).json()
    with world.client(token) as c:
        listed = c.get(f"/api/v1/courses/{course.id}/enrollments")
        section_list = c.get(f"/api/v1/sections/{theirs}/enrollments")
        users = c.get(f"/api/v1/courses/{course.id}/users")
        gone = c.delete(f"/api/v1/courses/{course.id}/enrollments/{in_theirs['id']}")
    assert sorted(_ids(listed)) == sorted([limited["id"], in_mine["id"]])
    assert _ids(section_list) == []
    assert sorted(u["id"] for u in users.json()) == sorted([ta.id, ann.id])
    assert (gone.status_code, gone.json()) == (403, FORBIDDEN)
    with world.client(world.admin_token) as c:
        assert sorted(_ids(c.get(f"/api/v1/courses/{course.id}/enrollments"))) == sorted(
            [limited["id"], in_mine["id"], in_theirs["id"]])


def test_observers_see_themselves_and_the_student_they_observe(world):
    course = world.course("Bio")
    ann, bob = world.user("ann", name="Ann Archer"), world.user("bob")
    parent, token = world.user_with_token("parent")
    a = _enroll(world, world.admin_token, course.id, user_id=ann.id, enrollment_state="active").json()
    _enroll(world, world.admin_token, course.id, user_id=bob.id, enrollment_state="active")
    o = _enroll(world, world.admin_token, course.id, user_id=parent.id, type="ObserverEnrollment",
                associated_user_id=ann.id, enrollment_state="active").json()
    assert (o["associated_user_id"], o["role"]) == (ann.id, "ObserverEnrollment")
    with world.client(token) as c:
        r = c.get(f"/api/v1/courses/{course.id}/enrollments", params={"include[]": "observed_users"})
    assert sorted(_ids(r)) == sorted([a["id"], o["id"]])
    observer = next(e for e in r.json() if e["id"] == o["id"])
    assert observer["observed_user"]["id"] == ann.id and observer["observed_user"]["name"] == "Ann Archer"


def test_filters_paging_and_includes(world):
    course = world.course("Bio")
    people = [world.user(f"s{i}", name=f"Student {i}") for i in range(3)]
    made = [_enroll(world, world.admin_token, course.id, user_id=u.id, enrollment_state="active").json()
            for u in people]
    teacher = _enroll(world, world.admin_token, course.id, user_id=world.user("t", name="Zed Teacher").id,
                      type="TeacherEnrollment", enrollment_state="active").json()
    a = world.assignment(course, "Essay", points=10.0)
    with world.tx() as db:
        db.add(Submission(item_id=a.id, course_id=course.id, user_id=people[0].id, workflow_state="graded",
                          score=8.0, posted_at=utcnow()))
    url = f"/api/v1/courses/{course.id}/enrollments"
    with world.client(world.admin_token) as c:
        first = c.get(url, params={"per_page": 2, "type[]": "StudentEnrollment"})
        second = c.get(url, params={"per_page": 2, "page": 2, "type[]": "StudentEnrollment"})
        by_role = c.get(url, params={"role[]": "TeacherEnrollment"})
        by_user = c.get(url, params={"user_id": people[1].id})
        extras = c.get(url, params={"user_id": people[0].id, "include[]": ["current_points", "uuid",
                                                                             "can_be_removed", "avatar_url"]})
        period = c.get(url, params={"grading_period_id": 1})
    assert _ids(first) == [made[0]["id"], made[1]["id"]] and _ids(second) == [made[2]["id"]]
    assert 'rel="next"' in first.headers["link"] and 'rel="next"' not in second.headers["link"]
    assert f"{world.base_url}{url}?type%5B%5D=StudentEnrollment&page=2&per_page=2" in first.headers["link"]
    assert _ids(by_role) == [teacher["id"]] and _ids(by_user) == [made[1]["id"]]
    [e] = extras.json()
    with world.tx() as db:
        assert e["uuid"] == db.get(Enrollment, e["id"]).uuid and len(e["uuid"]) == 32
    assert (e["grades"]["current_points"], e["grades"]["current_score"], e["can_be_removed"]) == (8.0, 80.0, True)
    assert e["user"]["avatar_url"] == f"{world.base_url}/images/messages/avatar-50.png"
    assert (period.status_code, period.json()) == (400, _error("invalid grading_period_id", "grading_period_id"))


def test_a_students_view_of_grades_and_other_users(world):
    course = world.course("Bio")
    ann, ann_token = world.user_with_token("ann")
    bob, bob_token = world.user_with_token("bob")
    teacher, teacher_token = world.user_with_token("tess")
    other = world.course("Other")
    for user, c in ((ann, course), (bob, course), (ann, other)):
        _enroll(world, world.admin_token, c.id, user_id=user.id, enrollment_state="active")
    _enroll(world, world.admin_token, course.id, user_id=teacher.id, type="TeacherEnrollment",
            enrollment_state="active")
    with world.client(ann_token) as c:
        roster = c.get(f"/api/v1/courses/{course.id}/enrollments", params={"type[]": "StudentEnrollment"}).json()
        others = c.get(f"/api/v1/users/{bob.id}/enrollments")
        mine = c.get("/api/v1/users/self/enrollments")
    own, bobs = (next(e for e in roster if e["user_id"] == u.id) for u in (ann, bob))
    assert "current_score" in own["grades"] and set(bobs["grades"]) == {"html_url"}  # grades are their own
    assert [e["course_id"] for e in mine.json()] == [course.id, other.id]
    assert (others.status_code, others.json()) == (403, FORBIDDEN)
    with world.client(teacher_token) as c:
        refused = c.get(f"/api/v1/users/{ann.id}/enrollments")
    assert (refused.status_code, refused.json()) == (403, FORBIDDEN)  # account-level roster rights only


def test_account_scoped_get(world):
    course = world.course("Bio")
    sub = world.course("Elsewhere")
    teacher, token = world.user_with_token("tess")
    e = _enroll(world, world.admin_token, course.id, user_id=teacher.id, type="TeacherEnrollment").json()
    with world.client(world.admin_token) as c:
        got = c.get(f"/api/v1/accounts/1/enrollments/{e['id']}")
        missing = c.get("/api/v1/accounts/1/enrollments/999999")
    with world.client(token) as c:
        refused = c.get(f"/api/v1/accounts/self/enrollments/{e['id']}")
    assert (got.status_code, got.json()["id"], got.json()["user"]["id"]) == (200, e["id"], teacher.id)
    assert (missing.status_code, missing.json()) == (404, NOT_FOUND)
    assert (refused.status_code, refused.json()) == (403, FORBIDDEN)
    del sub


def test_end_reactivate_accept_and_reject_refusals(world):
    course = world.course("Bio")
    ann, ann_token = world.user_with_token("ann")
    bob, bob_token = world.user_with_token("bob")
    invite = _enroll(world, world.admin_token, course.id, user_id=ann.id).json()
    active = _enroll(world, world.admin_token, course.id, user_id=bob.id, enrollment_state="active").json()
    base = f"/api/v1/courses/{course.id}/enrollments"
    with world.client(world.admin_token) as c:
        bad_task = c.delete(f"{base}/{active['id']}", params={"task": "drop"})
        not_inactive = c.put(f"{base}/{active['id']}/reactivate")
        missing = c.delete(f"{base}/999999")
    assert (bad_task.status_code, bad_task.json()) == (400, _error(
        "task must be one of conclude, delete, inactivate, deactivate", "task"))
    assert (not_inactive.status_code, not_inactive.json()) == (400, _error("enrollment not inactive"))
    assert (missing.status_code, missing.json()) == (404, NOT_FOUND)
    with world.client(bob_token) as c:
        not_yours = c.post(f"{base}/{invite['id']}/accept")
        not_invited = c.post(f"{base}/{active['id']}/reject")
        cannot_remove = c.delete(f"{base}/{invite['id']}")
    assert (not_yours.status_code, not_yours.json()) == (403, FORBIDDEN)
    assert (not_invited.status_code, not_invited.json()) == (400, _error("failed to reject enrollment"))
    assert (cannot_remove.status_code, cannot_remove.json()) == (403, FORBIDDEN)
    with world.client(ann_token) as c:
        accepted = c.post(f"{base}/{invite['id']}/accept")
        again = c.post(f"{base}/{invite['id']}/accept")
    assert accepted.json() == again.json() == {"success": True}
    with world.client(world.admin_token) as c:
        concluded = c.delete(f"{base}/{invite['id']}").json()  # conclude is the default task
        deleted = c.delete(f"{base}/{active['id']}", params={"task": "delete"}).json()
        twice = c.delete(f"{base}/{active['id']}", params={"task": "delete"})
    assert (concluded["enrollment_state"], deleted["enrollment_state"]) == ("completed", "deleted")
    assert concluded["end_at"] is not None
    assert (twice.status_code, twice.json()) == (404, NOT_FOUND)


@pytest.mark.parametrize("path", ["/api/v1/courses/999999/enrollments", "/api/v1/sections/999999/enrollments",
                                  "/api/v1/users/999999/enrollments"])
def test_unknown_parents_are_not_found(world, path):
    with world.client(world.admin_token) as c:
        r = c.get(path)
    assert (r.status_code, r.json()) == (404, NOT_FOUND)


def _graded_course(world, *, hide_final_grades: bool = False):
    """A course where ann (observed by pat) scored 8/10 and bob 5/10; pat's token."""
    course = world.course("Bio", hide_final_grades=hide_final_grades)
    ann, bob = world.user("ann", name="Ann Archer"), world.user("bob", name="Bob Baker")
    parent, token = world.user_with_token("pat", name="Pat Parent")
    made = {u.id: _enroll(world, world.admin_token, course.id, user_id=u.id, enrollment_state="active").json()
            for u in (ann, bob)}
    observer = _enroll(world, world.admin_token, course.id, user_id=parent.id, type="ObserverEnrollment",
                       associated_user_id=ann.id, enrollment_state="active").json()
    a = world.assignment(course, "Essay", points=10.0)
    with world.tx() as db:
        for user, score in ((ann, 8.0), (bob, 5.0)):
            db.add(Submission(item_id=a.id, course_id=course.id, user_id=user.id, workflow_state="graded",
                              score=score, posted_at=utcnow()))
    return course, ann, bob, made, observer, token


def test_an_observer_sees_the_grades_of_the_student_they_observe_and_no_others(world):
    course, ann, bob, made, observer, token = _graded_course(world)
    origin = world.base_url
    with world.client(token) as c:
        listed = c.get(f"/api/v1/courses/{course.id}/enrollments", params={"include[]": "current_points"})
        by_user = c.get(f"/api/v1/users/{ann.id}/enrollments")
        others = c.get(f"/api/v1/users/{bob.id}/enrollments")
    assert _ids(listed) == [made[ann.id]["id"], observer["id"]]  # bob's enrollment is not listed at all
    anns = listed.json()[0]
    assert anns["grades"] == {"html_url": f"{origin}/courses/{course.id}/grades/{ann.id}", "current_grade": None,
                              "current_score": 80.0, "final_grade": None, "final_score": 80.0,
                              "current_points": 8.0}  # what the student sees: no unposted totals
    assert "grades" not in listed.json()[1]  # the observer's own enrollment carries none
    assert [e["grades"] for e in by_user.json()] == [{k: v for k, v in anns["grades"].items() if k != "current_points"}]
    assert (others.status_code, others.json()) == (403, FORBIDDEN)


def test_an_observer_sees_no_totals_the_course_hides(world):
    course, ann, _, _, _, token = _graded_course(world, hide_final_grades=True)
    with world.client(token) as c:
        [anns] = c.get(f"/api/v1/courses/{course.id}/enrollments", params={"type[]": "StudentEnrollment"}).json()
    assert anns["grades"] == {"html_url": f"{world.base_url}/courses/{course.id}/grades/{ann.id}"}


def test_invitations_to_an_unpublished_course_wait_for_it_to_be_published(world):
    course = world.course("Draft", offer=False)
    ann, ann_token = world.user_with_token("ann")
    tess, parent, bob = world.user("tess"), world.user("pat"), world.user("bob")
    student = _enroll(world, world.admin_token, course.id, user_id=ann.id).json()
    active = _enroll(world, world.admin_token, course.id, user_id=bob.id, enrollment_state="active").json()
    observer = _enroll(world, world.admin_token, course.id, user_id=parent.id, type="ObserverEnrollment",
                       associated_user_id=bob.id).json()
    teacher = _enroll(world, world.admin_token, course.id, user_id=tess.id, type="TeacherEnrollment").json()
    assert [e["enrollment_state"] for e in (student, active, observer, teacher)] == [
        "creation_pending", "active", "creation_pending", "invited"]  # staff are invited at once
    again = _enroll(world, world.admin_token, course.id, user_id=bob.id).json()
    assert (again["id"], again["enrollment_state"]) == (active["id"], "active")  # not put back on hold
    base = f"/api/v1/courses/{course.id}"
    with world.client(world.admin_token) as c:
        pending = c.get(f"{base}/enrollments", params={"state[]": "creation_pending"})
        invited = c.get(f"{base}/enrollments", params={"state[]": "invited"})
        roster = c.get(f"{base}/users", params={"enrollment_type[]": "student"})
    assert _ids(pending) == [student["id"], observer["id"]] and _ids(invited) == [teacher["id"]]
    assert [u["id"] for u in roster.json()] == [ann.id, bob.id]  # a held student is on the roster
    with world.client(ann_token) as c:
        refused = c.post(f"{base}/enrollments/{student['id']}/accept")
        hidden = c.get("/api/v1/courses", params={"enrollment_state": "invited_or_pending"})
    assert (refused.status_code, refused.json()) == (400, _error("failed to accept enrollment"))
    assert hidden.json() == []  # an unpublished course is not a student's to see
    with world.client(world.admin_token) as c:
        assert c.put(base, json={"offer": True}).json()["workflow_state"] == "available"
    with world.tx() as db:
        states = {e.id: e.workflow_state for e in db.query(Enrollment).filter_by(course_id=course.id)}
    assert states == {student["id"]: "invited", active["id"]: "active", observer["id"]: "invited",
                      teacher["id"]: "invited"}
    with world.client(ann_token) as c:
        listed = c.get("/api/v1/courses", params={"enrollment_state": "invited_or_pending"})
        accepted = c.post(f"{base}/enrollments/{student['id']}/accept")
    assert [c["id"] for c in listed.json()] == [course.id]
    assert accepted.json() == {"success": True}
    with world.tx() as db:
        assert db.get(Enrollment, student["id"]).workflow_state == "active"
