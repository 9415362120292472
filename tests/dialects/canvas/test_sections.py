"""Canvas Sections over raw HTTP: exact bodies, includes, paging, error bodies, refusals, cross-listing."""

from __future__ import annotations

from courseport.schema import Enrollment, Section
from tests.dialects.canvas.errors import FORBIDDEN, NOT_FOUND


def _error(message: str, field: str | None = None) -> dict:
    return {"errors": [{"message": message, **({"field": field} if field else {})}]}


def _section(world, course, name: str, sis: str | None = None) -> int:
    with world.tx() as db:
        section = Section(course_id=course.id, name=name, sis_section_id=sis)
        db.add(section)
        db.flush()
        return section.id


def test_create_answers_the_section_as_its_creator_sees_it(world):
    course = world.course("Bio", sis_course_id="BIO")
    cast = world.cast(course)
    body = {"course_section": {"name": "A", "sis_section_id": "BIO-A", "integration_id": "i-a",
                               "start_at": "2027-01-01T00:00:00Z"}}
    with world.client(world.admin_token) as c:
        by_admin = c.post(f"/api/v1/courses/{course.id}/sections", json=body)
    with world.client(cast["teacher"]) as c:
        by_teacher = c.post(f"/api/v1/courses/{course.id}/sections",
                            json={"course_section": {"name": "B", "sis_section_id": "BIO-B"}})
    assert by_admin.status_code == 200
    assert by_admin.json() == {
        "id": by_admin.json()["id"], "course_id": course.id, "name": "A", "start_at": "2027-01-01T00:00:00Z",
        "end_at": None, "restrict_enrollments_to_section_dates": False, "nonxlist_course_id": None,
        "sis_section_id": "BIO-A", "sis_course_id": "BIO", "integration_id": "i-a", "sis_import_id": None}
    assert by_teacher.json() == {
        "id": by_teacher.json()["id"], "course_id": course.id, "name": "B", "start_at": None, "end_at": None,
        "restrict_enrollments_to_section_dates": False, "nonxlist_course_id": None,
        "sis_section_id": None, "sis_course_id": "BIO", "integration_id": None}  # SIS ids need manage_sis
    with world.tx() as db:
        assert db.get(Section, by_teacher.json()["id"]).sis_section_id is None


def test_who_may_add_sections(world):
    course = world.course("Bio")
    cast = world.cast(course)
    for role, status in (("ta", 200), ("designer", 403), ("student", 403), ("observer", 403), ("outsider", 403)):
        with world.client(cast[role]) as c:
            r = c.post(f"/api/v1/courses/{course.id}/sections", json={"course_section": {"name": role}})
        assert r.status_code == status, role
        if status == 403:
            assert r.json() == FORBIDDEN
    with world.client() as c:
        assert c.post(f"/api/v1/courses/{course.id}/sections").status_code == 401


def test_default_name_and_input_errors(world):
    course = world.course("Bio")
    _section(world, course, "Taken", "S-1")
    with world.client(world.admin_token) as c:
        unnamed = c.post(f"/api/v1/courses/{course.id}/sections")
        duplicate = c.post(f"/api/v1/courses/{course.id}/sections", json={"course_section": {"sis_section_id": "S-1"}})
        backwards = c.post(f"/api/v1/courses/{course.id}/sections", json={"course_section": {
            "name": "X", "start_at": "2027-02-01T00:00:00Z", "end_at": "2027-01-01T00:00:00Z"}})
        bad_flag = c.post(f"/api/v1/courses/{course.id}/sections", json={"course_section": {
            "restrict_enrollments_to_section_dates": "perhaps"}})
        blank = c.put(f"/api/v1/sections/{unnamed.json()['id']}", json={"course_section": {"name": " "}})
    assert unnamed.status_code == 200 and unnamed.json()["name"].startswith("Bio 20")
    assert (duplicate.status_code, duplicate.json()) == (400, _error(
        'SIS ID "S-1" is already in use', "course_section[sis_section_id]"))
    assert backwards.json() == _error("course_section[end_at] must not be before start_at", "course_section[end_at]")
    assert bad_flag.json()["errors"][0]["field"] == "course_section[restrict_enrollments_to_section_dates]"
    assert blank.json() == _error("course_section[name] must not be blank", "course_section[name]")
    with world.tx() as db:
        assert db.query(Section).filter(Section.course_id == course.id).count() == 3


def test_list_is_by_name_paged_and_searchable(world):
    course = world.course("Bio")
    for name in ("b lab", "A lab", "c lab"):
        _section(world, course, name)
    with world.client(world.admin_token) as c:
        first = c.get(f"/api/v1/courses/{course.id}/sections", params={"per_page": 2})
        rest = c.get(f"/api/v1/courses/{course.id}/sections", params={"per_page": 2, "page": 2})
        every = c.get(f"/api/v1/courses/{course.id}/sections", params={"all": "true"})
        found = c.get(f"/api/v1/courses/{course.id}/sections", params={"search_term": "B L"})
        short = c.get(f"/api/v1/courses/{course.id}/sections", params={"search_term": "b"})
    assert [s["name"] for s in first.json()] == ["A lab", "b lab"] and 'rel="next"' in first.headers["link"]
    assert [s["name"] for s in rest.json()] == ["Bio", "c lab"]
    assert len(every.json()) == 4 and "link" not in every.headers
    assert [s["name"] for s in found.json()] == ["b lab"]
    assert (short.status_code, short.json()) == (400, _error("2 or more characters is required", "search_term"))


def test_students_are_the_course_roster_entries(world):
    course = world.course("Bio")
    lab = _section(world, course, "Lab")
    student = world.user("ann", name="Ann Archer", sis_user_id="ANN")
    world.enroll(student, course, section_id=lab)
    world.enroll(world.user("ta"), course, "TaEnrollment", section_id=lab)
    includes = {"include[]": ["students", "enrollments", "total_students", "permissions", "passback_status",
                              "email"]}  # the roster always offers email
    with world.client(world.admin_token) as c:
        shown = c.get(f"/api/v1/courses/{course.id}/sections/{lab}", params=includes).json()
        roster = c.get(f"/api/v1/courses/{course.id}/users", params={"include[]": "enrollments",
                                                                     "enrollment_type[]": "student"}).json()
    assert shown["students"] == roster
    assert (shown["total_students"], shown["permissions"], shown["passback_status"]) == (
        1, {"manage_calendar": True}, None)


def test_readers_and_what_they_see(world):
    course = world.course("Bio")
    lab = _section(world, course, "Lab")
    cast = world.cast(course)
    with world.tx() as db:
        observer_enrollment = db.query(Enrollment).filter(Enrollment.course_id == course.id,
                                                          Enrollment.type == "ObserverEnrollment").one()
        default_id = observer_enrollment.course_section_id
    with world.client(cast["observer"]) as c:
        own = c.get(f"/api/v1/sections/{default_id}", params={"include[]": "students"})
        other = c.get(f"/api/v1/sections/{lab}")
        listed = c.get(f"/api/v1/courses/{course.id}/sections", params={"include[]": "total_students"})
    assert own.status_code == 200 and "students" not in own.json() and "sis_section_id" not in own.json()
    assert (other.status_code, other.json()) == (403, FORBIDDEN)
    assert listed.status_code == 200 and "total_students" not in listed.json()[0]
    with world.client(cast["student"]) as c:
        assert c.get(f"/api/v1/sections/{lab}").status_code == 200
    with world.client(cast["outsider"]) as c:
        assert c.get(f"/api/v1/sections/{lab}").json() == FORBIDDEN
    with world.client(world.admin_token) as c:
        elsewhere = world.course("Elsewhere")
        assert c.get(f"/api/v1/courses/{elsewhere.id}/sections/{lab}").json() == NOT_FOUND
        assert c.get("/api/v1/sections/sis_section_id:nope").json() == NOT_FOUND


def test_update_and_delete_rules(world):
    course = world.course("Bio")
    lab, empty = _section(world, course, "Lab", "LAB"), _section(world, course, "Empty")
    world.enroll(world.user("s"), course, section_id=lab)
    cast = world.cast(course)
    with world.client(cast["teacher"]) as c:
        sis = c.put(f"/api/v1/sections/{lab}", json={"course_section": {"sis_section_id": "MINE"}})
        renamed = c.put("/api/v1/sections/sis_section_id:LAB", json={"course_section": {"name": "Lab 1"}})
        busy = c.delete(f"/api/v1/sections/{lab}")
        gone = c.delete(f"/api/v1/sections/{empty}")
        again = c.get(f"/api/v1/sections/{empty}")
    assert (sis.status_code, sis.json()) == (403, {"status": "unauthorized", "errors": [
        {"message": "You must have manage_sis permission to update sis attributes"}]})
    assert renamed.json()["name"] == "Lab 1"
    assert (busy.status_code, busy.json()) == (400, _error("You can't delete a section that has enrollments"))
    assert gone.status_code == 200 and gone.json()["id"] == empty
    assert again.json() == NOT_FOUND
    with world.client(cast["student"]) as c:
        assert c.put(f"/api/v1/sections/{lab}", json={"course_section": {"name": "x"}}).json() == FORBIDDEN
    with world.tx() as db:
        assert (db.get(Section, lab).name, db.get(Section, lab).sis_section_id) == ("Lab 1", "LAB")
        assert db.get(Section, empty).workflow_state == "deleted"


def test_reactivating_a_deleted_section_by_sis_id(world):
    course = world.course("Bio")
    old = _section(world, course, "Old", "OLD")
    with world.tx() as db:
        db.get(Section, old).workflow_state = "deleted"
    with world.client(world.admin_token) as c:
        r = c.post(f"/api/v1/courses/{course.id}/sections", json={
            "course_section": {"sis_section_id": "OLD"}, "enable_sis_reactivation": True})
    assert (r.json()["id"], r.json()["name"]) == (old, "Old")


def test_crosslisting_rules(world):
    home, other = world.course("Home"), world.course("Other", sis_course_id="OTHER")
    lab = _section(world, home, "Lab")
    cast = world.cast(home)
    teacher_id = world.user_with_token(f"teacher{home.id}")[0]
    with world.client(cast["teacher"]) as c:
        refused = c.post(f"/api/v1/sections/{lab}/crosslist/{other.id}")  # not a teacher of Other
    world.enroll(teacher_id, other, "TeacherEnrollment")
    with world.client(cast["teacher"]) as c:
        moved = c.post(f"/api/v1/sections/{lab}/crosslist/sis_course_id:OTHER")
        wrong = c.delete(f"/api/v1/sections/{lab}/crosslist/{home.id}")
        back = c.delete(f"/api/v1/sections/{lab}/crosslist/{other.id}")
        not_listed = c.delete(f"/api/v1/sections/{lab}/crosslist")
        missing = c.post(f"/api/v1/sections/{lab}/crosslist/999999")
    assert (refused.status_code, refused.json()) == (403, FORBIDDEN)
    assert (moved.json()["course_id"], moved.json()["nonxlist_course_id"]) == (other.id, home.id)
    assert wrong.json() == NOT_FOUND
    assert (back.json()["course_id"], back.json()["nonxlist_course_id"]) == (home.id, None)
    assert (not_listed.status_code, not_listed.json()) == (400, _error("section is not cross-listed"))
    assert missing.json() == NOT_FOUND
