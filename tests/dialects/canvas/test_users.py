"""Canvas course users and user endpoints over raw HTTP: exact bodies, filters, paging, errors."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select

from courseport.dialects.canvas.protocol import iso
from courseport.schema import Enrollment, Section, User
from tests.dialects.canvas.errors import FORBIDDEN, NOT_FOUND


def _staff_view(u: User, **extra) -> dict:
    """A user as a teacher sees them in a roster (SIS ids, login and email)."""
    return {"id": u.id, "name": u.name, "created_at": iso(u.created_at), "sortable_name": u.sortable_name,
            "short_name": u.short_name, "sis_user_id": u.sis_user_id, "integration_id": u.integration_id,
            "login_id": u.login_id, "email": u.email, **extra}


def _plain_view(u: User, **extra) -> dict:
    return {"id": u.id, "name": u.name, "created_at": iso(u.created_at), "sortable_name": u.sortable_name,
            "short_name": u.short_name, **extra}


def _class(world):
    """A course with a teacher (token), two students, an observer; another course with its own teacher."""
    course = world.course("Biology 101")
    teacher, teacher_token = world.user_with_token("tina", name="Tina Teach")
    world.enroll(teacher, course, "TeacherEnrollment")
    ann = world.user("ann", "Ann Able", sis_user_id="SIS-ANN")
    bob = world.user("bob", "Bob Baker")
    world.enroll(ann, course)
    world.enroll(bob, course)
    olga = world.user("olga", "Olga Observer")
    world.enroll(olga, course, "ObserverEnrollment", associated_user_id=ann.id)
    return course, teacher, teacher_token, ann, bob, olga


def _ids(response) -> list[int]:
    return [u["id"] for u in response.json()]


def test_teacher_lists_users_sorted_by_sortable_name_with_exact_bodies(world):
    course, teacher, token, ann, bob, olga = _class(world)
    with world.client(token) as c:
        r = c.get(f"/api/v1/courses/{course.id}/users")
    assert r.status_code == 200, r.text
    assert r.json() == [_staff_view(ann), _staff_view(bob), _staff_view(olga), _staff_view(teacher)]
    base = f"{world.base_url}/api/v1/courses/{course.id}/users"
    assert r.headers["Link"] == (f'<{base}?page=1&per_page=10>; rel="current",'
                                 f'<{base}?page=1&per_page=10>; rel="first"')


def test_search_users_path_is_the_same_listing(world):
    course, _, token, ann, bob, _ = _class(world)
    with world.client(token) as c:
        users = c.get(f"/api/v1/courses/{course.id}/users", params={"enrollment_type[]": "student"})
        search = c.get(f"/api/v1/courses/{course.id}/search_users", params={"enrollment_type[]": "student"})
    assert search.status_code == 200
    assert search.json() == users.json() == [_staff_view(ann), _staff_view(bob)]


def test_include_enrollments_gives_full_enrollment_objects(world):
    course, teacher, token, ann, _, _ = _class(world)
    with world.tx() as db:
        section = db.scalar(select(Section).where(Section.course_id == course.id))
        enrollment = db.scalar(select(Enrollment).where(Enrollment.user_id == ann.id))
    origin = world.base_url
    with world.client(token) as c:
        r = c.get(f"/api/v1/courses/{course.id}/users",
                  params={"include[]": ["enrollments", "avatar_url", "uuid", "custom_links"], "user_ids[]": ann.id})
    assert r.status_code == 200
    assert r.json() == [_staff_view(ann, avatar_url=f"{origin}/images/messages/avatar-50.png", uuid=ann.uuid,
                                    custom_links=[], enrollments=[{
        "id": enrollment.id, "user_id": ann.id, "course_id": course.id, "type": "StudentEnrollment",
        "created_at": iso(enrollment.created_at), "updated_at": iso(enrollment.updated_at),
        "associated_user_id": None, "start_at": None, "end_at": None, "course_section_id": section.id,
        "root_account_id": 1, "limit_privileges_to_course_section": False, "enrollment_state": "active",
        "role": "StudentEnrollment", "role_id": 3, "last_activity_at": None, "last_attended_at": None,
        "total_activity_time": 0,
        "grades": {"html_url": f"{origin}/courses/{course.id}/grades/{ann.id}", "current_grade": None,
                   "current_score": None, "final_grade": None, "final_score": None,
                   "unposted_current_score": None, "unposted_current_grade": None,
                   "unposted_final_score": None, "unposted_final_grade": None},
        "sis_account_id": None, "sis_course_id": None, "course_integration_id": None, "sis_section_id": None,
        "section_integration_id": None, "sis_user_id": "SIS-ANN",
        "html_url": f"{origin}/courses/{course.id}/users/{ann.id}"}])]


def test_student_sees_no_private_fields_and_only_their_own_grades(world):
    course, teacher, _, ann, bob, olga = _class(world)
    ann_token = world.token(ann)
    with world.client(ann_token) as c:
        r = c.get(f"/api/v1/courses/{course.id}/users", params={"include[]": ["enrollments"]})
    assert r.status_code == 200
    body = {u["id"]: u for u in r.json()}
    assert set(body[bob.id]) == {"id", "name", "created_at", "sortable_name", "short_name", "enrollments"}
    [own] = body[ann.id]["enrollments"]
    assert own["grades"] == {"html_url": f"{world.base_url}/courses/{course.id}/grades/{ann.id}",
                             "current_grade": None, "current_score": None, "final_grade": None, "final_score": None}
    assert own["total_activity_time"] == 0
    [other] = body[bob.id]["enrollments"]
    assert other["grades"] == {"html_url": f"{world.base_url}/courses/{course.id}/grades/{bob.id}"}
    assert "last_activity_at" not in other and "sis_user_id" not in other
    assert "grades" not in body[teacher.id]["enrollments"][0]


def test_search_term_matches_name_login_email_and_numeric_id(world):
    course, _, token, ann, bob, olga = _class(world)
    url = f"/api/v1/courses/{course.id}/users"
    with world.client(token) as c:
        assert _ids(c.get(url, params={"search_term": "baK"})) == [bob.id]
        assert _ids(c.get(url, params={"search_term": "olga@example"})) == [olga.id]
        assert _ids(c.get(url, params={"search_term": f"{ann.id:02d}"})) == [ann.id]
        assert _ids(c.get(url, params={"search_term": "SIS-A"})) == [ann.id]
        assert _ids(c.get(url, params={"search_term": "%%"})) == []
        assert _ids(c.get(url, params={"search_term": ""})) == _ids(c.get(url))
    with world.client(world.token(ann)) as c:
        # a student may not search by what they cannot see
        assert _ids(c.get(url, params={"search_term": "olga@example"})) == []
        assert _ids(c.get(url, params={"search_term": "Olga"})) == [olga.id]


def test_short_search_term_is_400_naming_it(world):
    course, _, token, *_ = _class(world)
    with world.client(token) as c:
        r = c.get(f"/api/v1/courses/{course.id}/search_users", params={"search_term": "a"})
    assert r.status_code == 400
    assert r.json() == {"errors": [{"message": "2 or more characters is required", "field": "search_term"}]}


@pytest.mark.parametrize(("param", "value", "field"), [
    ("sort", "height", "sort"), ("enrollment_type[]", "auditor", "enrollment_type[]"),
    ("enrollment_state[]", "deleted", "enrollment_state[]"), ("user_ids[]", "abc", "user_ids[]"),
    ("enrollment_role_id", "x", "enrollment_role_id"),
])
def test_bad_filters_are_400_naming_the_parameter(world, param, value, field):
    course, _, token, *_ = _class(world)
    with world.client(token) as c:
        r = c.get(f"/api/v1/courses/{course.id}/users", params={param: value})
    assert r.status_code == 400, r.text
    [error] = r.json()["errors"]
    assert error["field"] == field


def test_sorts(world):
    course, teacher, token, ann, bob, olga = _class(world)
    now = datetime.now(UTC).replace(microsecond=0)
    with world.tx() as db:
        db.get(User, bob.id).last_login = now
        db.get(User, olga.id).last_login = now - timedelta(days=1)
        db.get(User, teacher.id).email = None
        db.get(User, bob.id).sis_user_id = "SIS-AAA"
    url = f"/api/v1/courses/{course.id}/users"
    with world.client(token) as c:
        assert _ids(c.get(url, params={"sort": "username"})) == [ann.id, bob.id, olga.id, teacher.id]
        assert _ids(c.get(url, params={"sort": "last_login"})) == [olga.id, bob.id, ann.id, teacher.id]
        assert _ids(c.get(url, params={"sort": "email"})) == [ann.id, bob.id, olga.id, teacher.id]
        assert _ids(c.get(url, params={"sort": "sis_id"})) == [bob.id, ann.id, olga.id, teacher.id]
        last_login = c.get(url, params={"sort": "last_login", "include[]": "last_login"}).json()
    assert [u["last_login"] for u in last_login] == [iso(now - timedelta(days=1)), iso(now), None, None]


def test_enrollment_type_role_and_state_filters(world):
    course, teacher, token, ann, bob, olga = _class(world)
    gone = world.user("gone", "Gina Gone")
    world.enroll(gone, course, state="completed")
    invited = world.user("inv", "Ivan Invited")
    world.enroll(invited, course, state="invited")
    url = f"/api/v1/courses/{course.id}/users"
    with world.client(token) as c:
        assert _ids(c.get(url)) == [ann.id, bob.id, invited.id, olga.id, teacher.id]
        assert _ids(c.get(url, params={"enrollment_type[]": ["teacher", "observer"]})) == [olga.id, teacher.id]
        assert _ids(c.get(url, params={"enrollment_type": "student"})) == [ann.id, bob.id, invited.id]
        assert _ids(c.get(url, params={"enrollment_state[]": "completed"})) == [gone.id]
        assert _ids(c.get(url, params={"enrollment_state[]": ["invited", "completed"]})) == [gone.id, invited.id]
        assert _ids(c.get(url, params={"enrollment_role": "TeacherEnrollment",
                                       "enrollment_type[]": "student"})) == [teacher.id]
        assert _ids(c.get(url, params={"enrollment_role_id": 7})) == [olga.id]
        assert _ids(c.get(url, params={"enrollment_role": "NoSuchRole"})) == []
        assert _ids(c.get(url, params={"user_ids[]": [bob.id, olga.id]})) == [bob.id, olga.id]
        assert _ids(c.get(url, params={"user_ids": f"{bob.id},{ann.id}"})) == [ann.id, bob.id]
        # an invited user's personal details wait until they accept
        assert c.get(url, params={"user_ids[]": invited.id}).json() == [
            _plain_view(invited, sis_user_id=None, integration_id=None)]


def test_test_student_only_when_asked_for(world):
    course, _, token, ann, bob, _ = _class(world)
    with world.client(token) as c:
        fake = c.get(f"/api/v1/courses/{course.id}/student_view_student").json()
        url = f"/api/v1/courses/{course.id}/users"
        assert fake["id"] not in _ids(c.get(url))
        assert fake["id"] in _ids(c.get(url, params={"include[]": "test_student"}))
        assert _ids(c.get(url, params={"enrollment_type[]": "student_view"})) == [fake["id"]]
        assert _ids(c.get(url, params={"enrollment_type[]": "student"})) == [ann.id, bob.id]


def test_paging_over_three_pages_follows_link_headers(world):
    course = world.course("Big")
    teacher, token = world.user_with_token("tina")
    world.enroll(teacher, course, "TeacherEnrollment")
    students = [world.user(f"s{i:02d}", f"Student {i:02d}") for i in range(23)]
    for s in students:
        world.enroll(s, course)
    seen: list[int] = []
    url = f"{world.base_url}/api/v1/courses/{course.id}/users?enrollment_type[]=student&per_page=10"
    pages = 0
    with world.client(token) as c:
        while url:
            r = c.get(url)
            assert r.status_code == 200
            seen += _ids(r)
            pages += 1
            links = dict(reversed(part.split("; rel=")) for part in r.headers["Link"].split(","))
            assert '"last"' not in links
            url = links.get('"next"', "").strip("<>") or None
            if pages == 2:
                assert '"prev"' in links
    assert pages == 3
    assert seen == [s.id for s in students]


def test_user_id_jumps_to_the_page_holding_that_user(world):
    course = world.course("Big")
    teacher, token = world.user_with_token("tina", name="Zed Teacher")
    world.enroll(teacher, course, "TeacherEnrollment")
    students = [world.user(f"s{i:02d}", f"Student {i:02d}") for i in range(12)]
    for s in students:
        world.enroll(s, course)
    with world.client(token) as c:
        r = c.get(f"/api/v1/courses/{course.id}/users",
                  params={"user_id": students[11].id, "per_page": 5, "page": 1, "search_term": "student"})
        missing = c.get(f"/api/v1/courses/{course.id}/users", params={"user_id": 99999999, "per_page": 5, "page": 2})
    assert r.status_code == 200
    assert _ids(r) == [s.id for s in students[10:12]]
    base = f"{world.base_url}/api/v1/courses/{course.id}/users?search_term=student"
    assert r.headers["Link"] == (f'<{base}&page=3&per_page=5>; rel="current",'
                                 f'<{base}&page=2&per_page=5>; rel="prev",'
                                 f'<{base}&page=1&per_page=5>; rel="first"')
    assert _ids(missing) == [s.id for s in students[5:10]]


def test_roster_needs_read_roster_in_that_course(world):
    course, _, _, _, _, olga = _class(world)
    other = world.course("Other")
    outsider, outsider_token = world.user_with_token("out")
    world.enroll(outsider, other, "TeacherEnrollment")
    with world.client(outsider_token) as c:
        for path in ("users", "search_users", "students", "recent_students", f"users/{olga.id}"):
            r = c.get(f"/api/v1/courses/{course.id}/{path}")
            assert (r.status_code, r.json()) == (403, FORBIDDEN), path
        assert c.get(f"/api/v1/courses/{other.id}/users").status_code == 200
        r = c.get("/api/v1/courses/424242/users")
        assert (r.status_code, r.json()) == (404, NOT_FOUND)
    with world.client(world.token(olga)) as c:
        assert c.get(f"/api/v1/courses/{course.id}/users").status_code == 403
    with world.client() as c:
        assert c.get(f"/api/v1/courses/{course.id}/users").status_code == 401


def test_section_limited_student_sees_only_their_section(world):
    course, teacher, _, ann, bob, _ = _class(world)
    with world.tx() as db:
        other = Section(course_id=course.id, name="Section B")
        db.add(other)
        db.flush()
        other_id = other.id
        enrollment = db.scalar(select(Enrollment).where(Enrollment.user_id == bob.id))
        enrollment.course_section_id = other_id
        enrollment.limit_privileges_to_course_section = True
    with world.client(world.token(bob)) as c:
        assert _ids(c.get(f"/api/v1/courses/{course.id}/users")) == [bob.id]
        assert c.get(f"/api/v1/courses/{course.id}/users/{ann.id}").status_code == 404
    with world.client(world.token(ann)) as c:
        assert bob.id in _ids(c.get(f"/api/v1/courses/{course.id}/users"))


def test_students_endpoint_lists_students_only(world):
    course, _, token, ann, bob, _ = _class(world)
    with world.client(token) as c:
        c.get(f"/api/v1/courses/{course.id}/student_view_student")
        r = c.get(f"/api/v1/courses/{course.id}/students", params={"per_page": 1})
        assert r.status_code == 200
        assert r.json() == [_plain_view(ann, sis_user_id="SIS-ANN", integration_id=None, login_id="ann")]
        assert 'rel="next"' in r.headers["Link"]
        assert _ids(c.get(f"/api/v1/courses/{course.id}/students")) == [ann.id, bob.id]


def test_recent_students_most_recent_first_nulls_last(world):
    course, teacher, token, ann, bob, olga = _class(world)
    cid = world.user("cid", "Cid Current")
    world.enroll(cid, course)
    now = datetime.now(UTC).replace(microsecond=0)
    with world.tx() as db:
        db.get(User, bob.id).last_login = now - timedelta(hours=2)
        db.get(User, cid.id).last_login = now
        db.get(User, olga.id).last_login = now + timedelta(hours=1)  # observers are not students
    with world.client(token) as c:
        r = c.get(f"/api/v1/courses/{course.id}/recent_students")
    assert r.status_code == 200
    assert r.json() == [
        _plain_view(cid, sis_user_id=None, integration_id=None, login_id="cid", last_login=iso(now)),
        _plain_view(bob, sis_user_id=None, integration_id=None, login_id="bob",
                    last_login=iso(now - timedelta(hours=2))),
        _plain_view(ann, sis_user_id="SIS-ANN", integration_id=None, login_id="ann", last_login=None),
    ]
    with world.client(world.token(ann)) as c:
        r = c.get(f"/api/v1/courses/{course.id}/recent_students")
    assert (r.status_code, r.json()) == (403, FORBIDDEN)


def test_single_course_user_by_any_id_form(world):
    course, teacher, token, ann, bob, _ = _class(world)
    stranger = world.user("stranger", "Sam Stranger")
    with world.client(token) as c:
        for ref in (ann.id, "sis_user_id:SIS-ANN", "sis_login_id:ann"):
            r = c.get(f"/api/v1/courses/{course.id}/users/{ref}")
            assert (r.status_code, r.json()) == (200, _plain_view(
                ann, sis_user_id="SIS-ANN", integration_id=None, login_id="ann")), ref
        with_enrollments = c.get(f"/api/v1/courses/{course.id}/users/{bob.id}",
                                 params={"include[]": ["enrollments", "email"]}).json()
        assert with_enrollments["email"] == "bob@example.test"
        assert [e["type"] for e in with_enrollments["enrollments"]] == ["StudentEnrollment"]
        for ref in (stranger.id, 987654, "sis_user_id:nope", "junk"):
            r = c.get(f"/api/v1/courses/{course.id}/users/{ref}")
            assert (r.status_code, r.json()) == (404, NOT_FOUND), ref


def test_content_share_users(world):
    course, teacher, token, ann, bob, _ = _class(world)
    other = world.course("Chemistry")
    tom = world.user("tom", "Tom Tanaka")
    world.enroll(tom, other, "TaEnrollment")
    tess = world.user("tess", "Tess Designer")
    with world.tx() as db:
        db.get(User, tess.id).email = tess.email = "tdesign@example.test"
    world.enroll(tess, other, "DesignerEnrollment")
    tim = world.user("tim", "Tim Tiny")
    world.enroll(tim, other)  # a student is no share candidate
    url = f"/api/v1/courses/{course.id}/content_share_users"
    avatar = f"{world.base_url}/images/messages/avatar-50.png"
    with world.client(token) as c:
        r = c.get(url, params={"search_term": "t"})
        assert r.status_code == 200
        assert r.json() == [_plain_view(u, avatar_url=avatar, email=u.email) for u in (world.admin, tess, teacher, tom)]
        assert _ids(c.get(url, params={"search_term": "TDESIGN"})) == [tess.id]
        assert _ids(c.get(url, params={"search_term": "admin"})) == [world.admin.id]
        r = c.get(url)
        assert (r.status_code, r.json()) == (400, {"errors": [{"message": "Search term required",
                                                                "field": "search_term"}]})
    with world.client(world.token(ann)) as c:
        r = c.get(url, params={"search_term": "tom"})
        assert (r.status_code, r.json()) == (403, FORBIDDEN)


def test_student_view_student_is_created_once(world):
    course, teacher, token, ann, _, _ = _class(world)
    with world.client(token) as c:
        first = c.get(f"/api/v1/courses/{course.id}/student_view_student")
        second = c.get(f"/api/v1/courses/{course.id}/student_view_student")
    assert first.status_code == 200
    body = first.json()
    assert body == {"id": body["id"], "name": "Test Student", "created_at": body["created_at"],
                    "sortable_name": "Student, Test", "short_name": "Test Student", "sis_user_id": None,
                    "integration_id": None, "login_id": None}
    assert second.json() == body
    with world.tx() as db:
        user = db.get(User, body["id"])
        [enrollment] = db.scalars(select(Enrollment).where(Enrollment.user_id == user.id)).all()
        section = db.get(Section, enrollment.course_section_id)
    assert user.is_test_student
    assert (enrollment.type, enrollment.workflow_state, enrollment.course_id) == ("StudentViewEnrollment", "active",
                                                                               course.id)
    assert section.default_section
    with world.client(world.token(ann)) as c:
        r = c.get(f"/api/v1/courses/{course.id}/student_view_student")
        assert (r.status_code, r.json()) == (403, FORBIDDEN)
    with world.tx() as db:
        assert db.scalar(select(User.id).where(User.is_test_student.is_(True), User.id != user.id)) is None


def test_users_self_and_by_id(world):
    course, teacher, token, ann, _, _ = _class(world)
    origin = world.base_url
    expected = {
        "id": teacher.id, "name": "Tina Teach", "created_at": iso(teacher.created_at),
        "sortable_name": "Teach, Tina", "short_name": "Tina Teach", "first_name": "Tina", "last_name": "Teach",
        "login_id": "tina", "avatar_url": f"{origin}/images/messages/avatar-50.png",
        "email": "tina@example.test", "locale": None, "time_zone": "UTC", "bio": None,
        "effective_locale": "en", "permissions": {"can_update_name": True, "can_update_avatar": True,
                                                  "limit_parent_app_web_access": False},
    }
    with world.client(token) as c:
        assert (c.get("/api/v1/users/self").status_code, c.get("/api/v1/users/self").json()) == (200, expected)
        assert c.get(f"/api/v1/users/{teacher.id}").json() == expected
        assert c.get("/api/v1/users/sis_login_id:tina").json() == expected
        r = c.get(f"/api/v1/users/{ann.id}")
        assert (r.status_code, r.json()) == (403, FORBIDDEN)
    with world.client(world.admin_token) as c:
        r = c.get("/api/v1/users/sis_user_id:SIS-ANN", params={"include[]": ["uuid", "last_login"]})
        assert r.status_code == 200
        body = r.json()
        assert (body["id"], body["sis_user_id"], body["login_id"], body["email"]) == (ann.id, "SIS-ANN", "ann",
                                                                                      "ann@example.test")
        assert (body["uuid"], body["last_login"]) == (ann.uuid, None)
        assert "effective_locale" not in body
        assert c.get("/api/v1/users/55555").status_code == 404
