"""Canvas Courses API over raw HTTP: exact bodies, errors and state after each call."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from courseport.schema import Course, CourseNickname
from tests.dialects.canvas.errors import FORBIDDEN


def test_create_and_get_course(world):
    with world.client(world.admin_token) as c:
        r = c.post("/api/v1/accounts/1/courses", data={"course[name]": "Biology 101", "offer": "true"})
        assert r.status_code == 200, r.text
        body = r.json()
        assert body["name"] == "Biology 101"
        assert body["course_code"] == "Biology 101"
        assert body["workflow_state"] == "available"
        got = c.get(f"/api/v1/courses/{body['id']}", params={"include[]": ["term", "total_students"]})
        assert got.status_code == 200
        assert got.json()["term"]["name"] == "Default Term"
        assert got.json()["total_students"] == 0


def test_create_course_in_self_or_by_sis_account_id(world):
    with world.client(world.admin_token) as c:
        sub = c.post("/api/v1/accounts/1/sub_accounts", data={"account[name]": "Science",
                                                             "account[sis_account_id]": "SCI"})
        assert sub.status_code == 200, sub.text
        r = c.post("/api/v1/accounts/self/courses", data={"course[name]": "Chemistry"})
        assert r.status_code == 200, r.text
        assert (r.json()["name"], r.json()["account_id"]) == ("Chemistry", 1)
        assert c.get(f"/api/v1/courses/{r.json()['id']}").json()["account_id"] == 1
        r = c.post("/api/v1/accounts/sis_account_id:SCI/courses", data={"course[name]": "Physics"})
        assert (r.status_code, r.json()["account_id"]) == (200, sub.json()["id"])
        r = c.post("/api/v1/accounts/nonsense/courses", data={"course[name]": "X"})
        assert (r.status_code, r.json()) == (404, {"errors": [{"message": "The specified resource does not exist."}]})


def test_missing_token_is_401_with_www_authenticate(world):
    with world.client() as c:
        r = c.get("/api/v1/courses")
    assert r.status_code == 401
    assert r.headers["WWW-Authenticate"].startswith("Bearer")
    assert r.json() == {"status": "unauthenticated", "errors": [{"message": "user authorization required"}]}


def test_bad_token_is_401(world):
    with world.client("nope") as c:
        r = c.get("/api/v1/courses")
    assert r.status_code == 401
    assert r.json() == {"errors": [{"message": "Invalid access token."}]}


def test_a_single_course_get_reads_the_caller_with_the_course_and_answers_as_before(world):
    """The caller is found by token in the course's own statement: every answer a caller-first read gave."""
    from sqlalchemy import update

    from courseport.schema import User

    course = world.course("Joined")
    student, token = world.user_with_token("joined-student")
    world.enroll(student, course)
    with world.client(token) as c:
        mine = c.get(f"/api/v1/courses/{course.id}")
        missing = c.get("/api/v1/courses/999999")
        huge = c.get("/api/v1/courses/99999999999999999999")
    assert mine.status_code == 200 and [e["type"] for e in mine.json()["enrollments"]] == ["student"]
    assert (missing.status_code, huge.status_code) == (404, 404)
    assert missing.json() == {"errors": [{"message": "The specified resource does not exist."}]}
    with world.client("nope") as c:  # no such token, course or not
        assert [c.get(f"/api/v1/courses/{n}").status_code for n in (course.id, 999999)] == [401, 401]
    with world.client() as c:  # no token at all
        anonymous = c.get(f"/api/v1/courses/{course.id}")
    assert (anonymous.status_code, anonymous.json()) == (
        401, {"status": "unauthenticated", "errors": [{"message": "user authorization required"}]})
    assert anonymous.headers["WWW-Authenticate"].startswith("Bearer")
    with world.client(world.admin_token) as c:  # as_user_id reads the caller first, as before
        acting = c.get(f"/api/v1/courses/{course.id}", params={"as_user_id": student.id})
    assert acting.status_code == 200 and [e["type"] for e in acting.json()["enrollments"]] == ["student"]
    with world.tx() as db:
        db.execute(update(User).where(User.id == student.id).values(workflow_state="deleted"))
    with world.client(token) as c:
        gone = c.get(f"/api/v1/courses/{course.id}")
    assert (gone.status_code, gone.json()) == (401, {"errors": [{"message": "Invalid access token."}]})


# --- the Course object, exactly -------------------------------------------------------------------

def _course_body(c, origin: str, **overrides):
    """The Course JSON of a freshly created course with the store's defaults."""
    body = {
        "id": c["id"], "name": "Biology 101", "account_id": 1, "uuid": c["uuid"], "start_at": None,
        "grading_standard_id": None, "is_public": False, "created_at": c["created_at"], "course_code": "Biology 101",
        "default_view": "modules", "root_account_id": 1, "enrollment_term_id": c["enrollment_term_id"],
        "license": "private", "grade_passback_setting": None, "end_at": None, "public_syllabus": False,
        "public_syllabus_to_auth": False, "storage_quota_mb": 500, "is_public_to_auth_users": False,
        "homeroom_course": False, "course_color": None, "friendly_name": None,
        "apply_assignment_group_weights": False,
        "calendar": {"ics": f"{origin}/feeds/calendars/course_{c['uuid']}.ics"},
        "time_zone": "UTC", "blueprint": False, "template": False, "sis_course_id": None, "integration_id": None,
        "sis_import_id": None, "enrollments": [], "hide_final_grades": False, "workflow_state": "available",
        "restrict_enrollments_to_course_dates": False, "locale": None, "course_format": None,
        "open_enrollment": False, "self_enrollment": False, "allow_student_forum_attachments": False,
        "allow_wiki_comments": False, "allow_student_assignment_edits": False, "grading_periods": None,
        "access_restricted_by_date": False, "lti_context_id": c["lti_context_id"],
    }
    body.update(overrides)
    return body


def test_course_json_is_exact(world):
    with world.client(world.admin_token) as c:
        created = c.post("/api/v1/accounts/1/courses", data={"course[name]": "Biology 101", "offer": "true"})
        assert created.status_code == 200
        body = created.json()
        assert body == _course_body(body, world.base_url)
        got = c.get(f"/api/v1/courses/{body['id']}")
        assert got.status_code == 200
        assert got.json() == _course_body(body, world.base_url)


def test_update_response_is_the_updated_course(world):
    course = world.course("Biology 101")
    with world.client(world.admin_token) as c:
        r = c.put(f"/api/v1/courses/{course.id}", data={
            "course[name]": "Biology 102", "course[course_code]": "BIO102",
            "course[start_at]": "2030-01-01T08:00:00-06:00", "course[end_at]": "2030-05-01T00:00:00Z",
            "course[sis_course_id]": "BIO-102", "course[license]": "cc_by_sa", "course[event]": "conclude"})
        assert r.status_code == 200, r.text
        body = r.json()
        assert body == _course_body(body, world.base_url, name="Biology 102", course_code="BIO102",
                                    start_at="2030-01-01T14:00:00Z", end_at="2030-05-01T00:00:00Z",
                                    sis_course_id="BIO-102", license="cc_by_sa", workflow_state="completed")
        assert c.get(f"/api/v1/courses/{course.id}").json() == body


def test_delete_and_conclude_bodies(world):
    a, b = world.course("A"), world.course("B")
    with world.client(world.admin_token) as c:
        r = c.request("DELETE", f"/api/v1/courses/{a.id}", data={"event": "conclude"})
        assert (r.status_code, r.json()) == (200, {"conclude": True})
        assert c.get(f"/api/v1/courses/{a.id}").json()["workflow_state"] == "completed"
        r = c.request("DELETE", f"/api/v1/courses/{b.id}", params={"event": "delete"})
        assert (r.status_code, r.json()) == (200, {"delete": True})
        assert c.get(f"/api/v1/courses/{b.id}").status_code == 404
        again = c.request("DELETE", f"/api/v1/courses/{b.id}", data={"event": "delete"})
        assert (again.status_code, again.json()) == (
            404, {"errors": [{"message": "The specified resource does not exist."}]})


def test_delete_needs_a_known_event(world):
    course = world.course("A")
    message = 'Only "delete" and "conclude" events are allowed.'
    with world.client(world.admin_token) as c:
        for data in ({}, {"event": "claim"}, {"event": "nuke"}):
            r = c.request("DELETE", f"/api/v1/courses/{course.id}", data=data)
            assert (r.status_code, r.json()) == (400, {"errors": [{"message": message, "field": "event"}]})
        assert c.request("DELETE", "/api/v1/courses/999999", data={}).status_code == 404
        assert c.get(f"/api/v1/courses/{course.id}").json()["workflow_state"] == "available"


def test_update_with_unknown_event_is_400(world):
    course = world.course("A")
    with world.client(world.admin_token) as c:
        r = c.put(f"/api/v1/courses/{course.id}", data={"course[event]": "nuke", "course[name]": "Renamed"})
        assert r.status_code == 400
        assert r.json() == {"errors": [{"field": "course[event]",
                                        "message": "course[event] must be one of "
                                                   "claim, offer, conclude, delete, undelete"}]}
        assert c.get(f"/api/v1/courses/{course.id}").json()["name"] == "A"


# --- bad input: 400 naming the field, nothing written ---------------------------------------------

_BP = "course[blueprint_restrictions]"
_BP_BY_TYPE = "course[blueprint_restrictions_by_object_type]"


@pytest.mark.parametrize(("field", "value", "named"), [
    ("course[start_at]", "notadate", None), ("course[end_at]", "2030-13-45", None),
    ("course[license]", "bogus", None), ("course[default_view]", "calendar", None),
    ("course[course_format]", "hybrid", None), ("course[grade_passback_setting]", "hourly", None),
    ("course[is_public]", "maybe", None), ("course[time_zone]", "Mars/Olympus_Mons", None),
    ("course[storage_quota_mb]", "lots", None), ("course[course_color]", "purple", None),
    (f"{_BP_BY_TYPE}[rubric][content]", "1", _BP_BY_TYPE), (f"{_BP}[colour]", "1", _BP),
    (f"{_BP}[content]", "perhaps", None),
])
def test_bad_field_is_400_naming_it_and_writes_nothing(world, field, value, named):
    course = world.course("Untouched")
    expected_field = named or field
    with world.client(world.admin_token) as c:
        created = c.post("/api/v1/accounts/1/courses", data={"course[name]": "New", field: value})
        assert created.status_code == 400, created.text
        [error] = created.json()["errors"]
        assert error["field"] == expected_field
        assert expected_field in error["message"]
        updated = c.put(f"/api/v1/courses/{course.id}", data={"course[name]": "Changed", field: value})
        assert updated.status_code == 400
        assert updated.json() == created.json()
        assert c.get(f"/api/v1/courses/{course.id}").json()["name"] == "Untouched"
    with world.tx() as db:
        assert db.scalar(select(func.count()).select_from(Course)) == 1


def test_end_before_start_is_400(world):
    with world.client(world.admin_token) as c:
        r = c.post("/api/v1/accounts/1/courses", data={
            "course[start_at]": "2030-02-01T00:00:00Z", "course[end_at]": "2030-01-01T00:00:00Z"})
        assert r.status_code == 400
        assert r.json() == {"errors": [{"field": "course[end_at]",
                                        "message": "course[end_at] must not be before course[start_at]"}]}
    with world.tx() as db:
        assert db.scalar(select(func.count()).select_from(Course)) == 0


def test_duplicate_sis_course_id_is_400(world):
    world.course("Holder", sis_course_id="DUP")
    other = world.course("Other")
    with world.client(world.admin_token) as c:
        r = c.post("/api/v1/accounts/1/courses", data={"course[name]": "Copycat", "course[sis_course_id]": "DUP"})
        assert r.status_code == 400
        assert r.json() == {"errors": [{"field": "course[sis_course_id]",
                                        "message": 'course[sis_course_id] "DUP" is already in use'}]}
        r = c.put(f"/api/v1/courses/{other.id}", data={"course[sis_course_id]": "DUP"})
        assert r.status_code == 400
        assert c.get(f"/api/v1/courses/{other.id}").json()["sis_course_id"] is None
    with world.tx() as db:
        assert db.scalar(select(func.count()).select_from(Course)) == 2


def test_unknown_term_or_account(world):
    course = world.course("Termless")
    with world.client(world.admin_token) as c:
        r = c.post("/api/v1/accounts/1/courses", data={"course[name]": "T", "course[term_id]": "99999999"})
        assert (r.status_code, r.json()) == (404, {"errors": [{"message": "The specified resource does not exist."}]})
        assert c.put(f"/api/v1/courses/{course.id}", data={"course[term_id]": "sis_term_id:none"}).status_code == 404
        assert c.post("/api/v1/accounts/4242/courses", data={"course[name]": "T"}).status_code == 404
    with world.tx() as db:
        assert db.scalar(select(func.count()).select_from(Course)) == 1


def test_image_id_and_url_together_is_400(world):
    course = world.course("Pictured")
    with world.client(world.admin_token) as c:
        r = c.put(f"/api/v1/courses/{course.id}", data={"course[image_id]": "3", "course[image_url]": "http://x/y.png"})
        assert r.status_code == 400
        assert r.json()["errors"][0]["field"] == "course[image_url]"


# --- permissions ---------------------------------------------------------------------------------

def _people(world, course):
    tokens = {}
    for etype in ("TeacherEnrollment", "TaEnrollment", "DesignerEnrollment", "StudentEnrollment",
                  "ObserverEnrollment"):
        user, token = world.user_with_token(etype.removesuffix("Enrollment").lower())
        world.enroll(user, course, etype)
        tokens[etype] = token
    return tokens




def test_who_may_read_an_unpublished_course(world):
    course = world.course("Draft", offer=False)
    tokens = _people(world, course)
    expected = {"TeacherEnrollment": 200, "TaEnrollment": 200, "DesignerEnrollment": 200,
                "StudentEnrollment": 403, "ObserverEnrollment": 403}
    for etype, status in expected.items():
        with world.client(tokens[etype]) as c:
            r = c.get(f"/api/v1/courses/{course.id}")
            assert r.status_code == status, etype
            if status == 403:
                assert r.json() == FORBIDDEN
                assert c.get("/api/v1/courses").json() == []


def test_who_may_update_delete_and_reset(world):
    course = world.course("Guarded")
    tokens = _people(world, course)
    for etype in ("TaEnrollment", "DesignerEnrollment", "StudentEnrollment", "ObserverEnrollment"):
        with world.client(tokens[etype]) as c:
            assert c.put(f"/api/v1/courses/{course.id}", data={"course[name]": "X"}).json() == FORBIDDEN
            assert c.put(f"/api/v1/courses/{course.id}", data={"course[event]": "claim"}).status_code == 403
            assert c.request("DELETE", f"/api/v1/courses/{course.id}", data={"event": "delete"}).status_code == 403
            assert c.post(f"/api/v1/courses/{course.id}/reset_content").status_code == 403
    with world.client(tokens["DesignerEnrollment"]) as c:
        r = c.put(f"/api/v1/courses/{course.id}", data={"course[syllabus_body]": "<p>designed</p>"})
        assert r.status_code == 200
    with world.client(tokens["StudentEnrollment"]) as c:
        assert c.put(f"/api/v1/courses/{course.id}", data={"course[syllabus_body]": "<p>no</p>"}).status_code == 403
    with world.client(tokens["TeacherEnrollment"]) as c:
        got = c.get(f"/api/v1/courses/{course.id}", params={"include[]": "syllabus_body"}).json()
        assert (got["name"], got["workflow_state"], got["syllabus_body"]) == ("Guarded", "available", "<p>designed</p>")
        assert c.put(f"/api/v1/courses/{course.id}", data={"course[name]": "Taught"}).status_code == 200
        assert c.put(f"/api/v1/courses/{course.id}", data={"course[sis_course_id]": "T"}).status_code == 403
        r = c.post(f"/api/v1/courses/{course.id}/reset_content")
        assert r.status_code == 200 and r.json()["name"] == "Taught"
        fresh = r.json()["id"]
        assert c.request("DELETE", f"/api/v1/courses/{fresh}", data={"event": "delete"}).json() == {"delete": True}
        undelete = c.put(f"/api/v1/courses/{fresh}", data={"course[event]": "undelete"})
        assert undelete.status_code == 403
    with world.client(world.admin_token) as c:
        r = c.put(f"/api/v1/courses/{fresh}", data={"course[event]": "undelete"})
        assert (r.status_code, r.json()["workflow_state"]) == (200, "unpublished")


def test_teacher_of_one_course_is_a_stranger_to_another(world):
    mine, theirs = world.course("Mine"), world.course("Theirs")
    teacher, token = world.user_with_token("teacher")
    world.enroll(teacher, mine, "TeacherEnrollment")
    with world.client(token) as c:
        assert c.get(f"/api/v1/courses/{mine.id}").status_code == 200
        assert c.get(f"/api/v1/courses/{theirs.id}").json() == FORBIDDEN
        assert c.put(f"/api/v1/courses/{theirs.id}", data={"course[name]": "Hijacked"}).status_code == 403
        assert c.request("DELETE", f"/api/v1/courses/{theirs.id}", data={"event": "delete"}).status_code == 403
        assert c.post("/api/v1/accounts/1/courses", data={"course[name]": "Sneaky"}).status_code == 403
        assert c.get("/api/v1/courses/999999").status_code == 404
    with world.client(world.admin_token) as c:
        assert c.get(f"/api/v1/courses/{theirs.id}").json()["name"] == "Theirs"


def test_deleted_course_is_404_and_all_courses_shows_it_to_admins(world):
    course = world.course("Gone")
    teacher, token = world.user_with_token("teacher")
    world.enroll(teacher, course, "TeacherEnrollment")
    with world.client(world.admin_token) as c:
        assert c.request("DELETE", f"/api/v1/courses/{course.id}", data={"event": "delete"}).status_code == 200
        assert c.get(f"/api/v1/courses/{course.id}").status_code == 404
        r = c.get(f"/api/v1/courses/{course.id}", params={"include[]": "all_courses"})
        assert (r.status_code, r.json()["workflow_state"]) == (200, "deleted")
    with world.client(token) as c:
        assert c.get(f"/api/v1/courses/{course.id}", params={"include[]": "all_courses"}).status_code == 404
        assert c.put(f"/api/v1/courses/{course.id}", data={"course[name]": "x"}).status_code == 404


def test_sis_ids_are_shown_to_staff_only(world):
    course = world.course("SIS", sis_course_id="S-1", integration_id="I-1")
    tokens = _people(world, course)
    for etype, visible in (("TeacherEnrollment", True), ("StudentEnrollment", False)):
        with world.client(tokens[etype]) as c:
            body = c.get(f"/api/v1/courses/{course.id}").json()
            assert ("sis_course_id" in body, "integration_id" in body) == (visible, visible), etype
            assert "sis_import_id" not in body


def test_rails_time_zone_name_is_stored_as_iana(world):
    course = world.course("Zoned")
    with world.client(world.admin_token) as c:
        r = c.put(f"/api/v1/courses/{course.id}", data={"course[time_zone]": "Mountain Time (US & Canada)"})
        assert r.status_code == 200, r.text
        assert r.json()["time_zone"] == "America/Denver"
        assert c.get(f"/api/v1/courses/{course.id}").json()["time_zone"] == "America/Denver"


def test_lifting_date_restriction_drops_end_and_unpublished_start(world):
    course = world.course("Dated", offer=False)
    with world.client(world.admin_token) as c:
        r = c.put(f"/api/v1/courses/{course.id}", data={
            "course[restrict_enrollments_to_course_dates]": "true",
            "course[start_at]": "2026-01-10T00:00:00Z", "course[end_at]": "2026-05-10T00:00:00Z"})
        assert (r.json()["start_at"], r.json()["end_at"]) == ("2026-01-10T00:00:00Z", "2026-05-10T00:00:00Z")
        r = c.put(f"/api/v1/courses/{course.id}", data={"course[restrict_enrollments_to_course_dates]": "false"})
        assert r.status_code == 200
        body = c.get(f"/api/v1/courses/{course.id}").json()
    assert (body["restrict_enrollments_to_course_dates"], body["start_at"], body["end_at"]) == (False, None, None)


def test_course_codes_may_repeat_but_not_a_learn_records(world):
    world.course("One", course_code="BIO 101")
    with world.client(world.blackboard_token()) as learn:
        assert learn.post("/learn/api/public/v3/courses", json={"courseId": "bio101", "name": "B"}).status_code == 201
    with world.client(world.admin_token) as c:
        again = c.post("/api/v1/accounts/1/courses", data={"course[name]": "Two", "course[course_code]": "BIO 101"})
        assert again.status_code == 200 and again.json()["course_code"] == "BIO 101"
        taken = c.put(f"/api/v1/courses/{again.json()['id']}", data={"course[course_code]": "bio101"})
        assert taken.status_code == 409
        assert taken.json() == {"errors": [{"message": "A course with course[course_code] 'bio101' already exists"}]}


def test_a_single_course_shows_each_live_enrollment_of_the_caller_in_it(world):
    """The course, the caller's nickname and enrollments come from one read: each live enrollment once, in
    the order they were made; a deleted one, another user's and another course's are not the caller's."""
    course, other = world.course("Lab"), world.course("Other")
    user, token = world.user_with_token("pat")
    world.enroll(user, course, "TaEnrollment")
    world.enroll(user, course, "StudentEnrollment", state="deleted")
    world.enroll(user, course, "StudentEnrollment", state="invited")
    world.enroll(user, other, "TeacherEnrollment")
    world.enroll(world.user("sam"), course, "TeacherEnrollment")
    with world.tx() as db:
        db.add(CourseNickname(user_id=user.id, course_id=course.id, nickname="My lab"))
    with world.client(token) as c:
        got = c.get(f"/api/v1/courses/{course.id}")
        bare = c.get(f"/api/v1/courses/{other.id}")
    assert got.status_code == 200, got.text
    assert [(e["type"], e["enrollment_state"]) for e in got.json()["enrollments"]] == [
        ("ta", "active"), ("student", "invited")]
    assert (got.json()["name"], got.json()["original_name"]) == ("My lab", "Lab")
    assert [e["type"] for e in bare.json()["enrollments"]] == ["teacher"] and bare.json()["name"] == "Other"
