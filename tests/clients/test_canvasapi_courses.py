"""canvasapi 3.6.0, unmodified, against the live server: the Courses API as the client drives it."""

from __future__ import annotations

import pytest
from canvasapi.exceptions import BadRequest, Forbidden, ResourceDoesNotExist
from canvasapi.progress import Progress
from canvasapi.user import User as CanvasUser
from canvasapi.util import combine_kwargs

from courseport.core.courses import courses
from courseport.schema import Course, Enrollment, User

INCLUDES = [
    "term", "account", "teachers", "total_students", "favorites", "sections", "permissions",
    "storage_quota_used_mb", "concluded", "syllabus_body", "public_description", "passback_status",
    "course_image", "banner_image", "post_manually", "tabs", "observed_users", "all_courses", "lti_context_id",
]


def test_create_course_offered_and_enrolled(world):
    canvas = world.canvas()
    account = _root_account(canvas)
    course = account.create_course(course={"name": "Physics 201", "course_code": "PHY201",
                                           "license": "cc_by", "time_zone": "America/Denver"},
                                   offer=True, enroll_me=True)
    assert (course.name, course.course_code, course.workflow_state) == ("Physics 201", "PHY201", "available")
    assert (course.license, course.time_zone, course.account_id) == ("cc_by", "America/Denver", 1)
    assert [(e["type"], e["user_id"]) for e in course.enrollments] == [("teacher", world.admin.id)]
    again = canvas.get_course(course.id, include=["teachers"])
    assert [t["id"] for t in again.teachers] == [world.admin.id]


def _root_account(canvas):
    from canvasapi.account import Account

    # The accounts API belongs to another issue; the Account object only needs its id here.
    return Account(canvas._Canvas__requester, {"id": 1})


def test_get_course_with_every_include(world):
    teacher, _ = world.user_with_token("teacher")
    observer, observer_token = world.user_with_token("observer")
    student = world.user("student")
    course = world.course("Chemistry 1", syllabus_body="<p>s</p>", public_description="Come")
    world.enroll(teacher, course, "TeacherEnrollment")
    world.enroll(student, course)
    world.enroll(observer, course, "ObserverEnrollment", associated_user_id=student.id)
    got = world.canvas().get_course(course.id, include=INCLUDES)
    assert got.term["name"] == "Default Term"
    assert got.account["id"] == 1
    assert [t["id"] for t in got.teachers] == [teacher.id]
    assert got.total_students == 1
    assert got.is_favorite is False
    assert got.sections == []  # the admin has no enrollment, so no sections of theirs
    assert got.permissions["update_course"] is True
    assert got.storage_quota_used_mb == 0
    assert got.concluded is False
    assert got.syllabus_body == "<p>s</p>"
    assert got.public_description == "Come"
    assert got.passback_status is None
    assert got.image_download_url is None
    assert got.banner_image_download_url is None
    assert got.post_manually is False
    assert [t["id"] for t in got.tabs][:2] == ["home", "announcements"]
    assert got.lti_context_id
    as_observer = world.canvas(observer_token).get_course(course.id, include=["observed_users", "sections"])
    assert [(e["type"], e["user_id"]) for e in as_observer.enrollments] == [
        ("observer", observer.id), ("student", student.id)]
    assert [s["enrollment_role"] for s in as_observer.sections] == ["ObserverEnrollment"]


def test_teacher_limit_gives_teacher_count(world):
    course = world.course("Many teachers")
    for n in range(3):
        world.enroll(world.user(f"t{n}"), course, "TeacherEnrollment")
    canvas = world.canvas()
    limited = canvas.get_course(course.id, include=["teachers"], teacher_limit=2)
    assert limited.teacher_count == 3 and not hasattr(limited, "teachers")
    roomy = canvas.get_course(course.id, include=["teachers"], teacher_limit=3)
    assert len(roomy.teachers) == 3 and not hasattr(roomy, "teacher_count")


def test_get_course_by_sis_id(world):
    course = world.course("SIS course", sis_course_id="X-1")
    got = world.canvas().get_course("X-1", use_sis_id=True)
    assert (got.id, got.sis_course_id) == (course.id, "X-1")
    with pytest.raises(ResourceDoesNotExist):
        world.canvas().get_course("nope", use_sis_id=True)


def test_update_every_param(world):
    canvas = world.canvas()
    course = canvas.get_course(world.course("Before", offer=False).id)
    with world.tx() as db:
        term = _term(db, "Spring")
    sub = _sub_account(world)
    standard = canvas.get_account(1).add_grading_standards("House", [{"name": "Pass", "value": 50},
                                                                     {"name": "Fail", "value": 0}])
    assert course.update(course={
        "name": "After", "course_code": "AFT", "start_at": "2030-01-01T00:00:00Z",
        "end_at": "2030-06-01T00:00:00Z", "license": "public_domain", "is_public": True,
        "is_public_to_auth_users": True, "public_syllabus": True, "public_syllabus_to_auth": True,
        "public_description": "Desc", "allow_student_wiki_edits": True, "allow_wiki_comments": True,
        "allow_student_forum_attachments": True, "open_enrollment": True, "self_enrollment": True,
        "restrict_enrollments_to_course_dates": True, "term_id": term.id, "sis_course_id": "SIS-A",
        "integration_id": "INT-A", "hide_final_grades": True, "apply_assignment_group_weights": True,
        "time_zone": "Europe/Paris", "default_view": "syllabus", "syllabus_body": "<p>x</p>",
        "syllabus_course_summary": False, "grading_standard_id": standard.id, "grade_passback_setting": "nightly_sync",
        "course_format": "blended", "post_manually": True, "account_id": sub, "storage_quota_mb": 900,
        "image_url": "https://img.example/a.png", "blueprint": True,
        "blueprint_restrictions": {"content": True, "points": False},
        "use_blueprint_restrictions_by_object_type": True,
        "blueprint_restrictions_by_object_type": {"assignment": {"content": True, "points": True},
                                                  "wiki_page": {"content": True}},
        "homeroom_course": True, "template": True, "course_color": "#aabbcc", "friendly_name": "Friendly",
        "enable_course_paces": True, "conditional_release": True, "event": "offer",
    }) == "After"
    assert (course.name, course.workflow_state, course.account_id) == ("After", "available", sub)
    assert course.blueprint_restrictions == {"content": True, "points": False}
    assert course.blueprint_restrictions_by_object_type == {
        "assignment": {"content": True, "points": True}, "wiki_page": {"content": True}}
    again = canvas.get_course(course.id, include=["course_image", "syllabus_body", "post_manually"])
    assert (again.start_at, again.end_at) == ("2030-01-01T00:00:00Z", "2030-06-01T00:00:00Z")
    assert (again.enrollment_term_id, again.sis_course_id, again.integration_id) == (term.id, "SIS-A", "INT-A")
    assert (again.license, again.default_view, again.course_format) == ("public_domain", "syllabus", "blended")
    assert (again.time_zone, again.storage_quota_mb, again.template) == ("Europe/Paris", 900, True)
    assert (again.image_download_url, again.syllabus_body, again.post_manually) == (
        "https://img.example/a.png", "<p>x</p>", True)
    assert (again.course_color, again.friendly_name, again.homeroom_course) == ("#aabbcc", "Friendly", True)
    assert again.grading_standard_id == standard.id
    course.update(course={"remove_image": True, "use_blueprint_restrictions_by_object_type": False})
    again = canvas.get_course(course.id, include=["course_image"])
    assert again.image_download_url is None
    assert not hasattr(again, "blueprint_restrictions_by_object_type")


def _term(db, name):
    from courseport.core.identity import accounts

    return accounts.create_term(db, 1, name)


def _sub_account(world) -> int:
    from courseport.core.identity import accounts

    with world.tx() as db:
        return accounts.create_account(db, "Sub", 1).id


@pytest.mark.parametrize(("event", "state"), [("claim", "unpublished"), ("offer", "available"),
                                              ("conclude", "completed"), ("delete", "deleted")])
def test_update_events(world, event, state):
    canvas = world.canvas()
    course = canvas.get_course(world.course("Evented").id)
    course.update(course={"event": event})
    with world.tx() as db:
        assert db.get(Course, course.id).workflow_state == state


def test_undelete_event(world):
    canvas = world.canvas()
    course = canvas.get_course(world.course("Back").id)
    assert course.delete() is True
    with pytest.raises(ResourceDoesNotExist):
        canvas.get_course(course.id)
    course.update(course={"event": "undelete"})
    assert canvas.get_course(course.id).workflow_state == "unpublished"


def test_conclude_delete_and_reset(world):
    canvas = world.canvas()
    student = world.user("student")
    c1 = world.course("To conclude")
    assert canvas.get_course(c1.id).conclude() is True
    assert canvas.get_course(c1.id, include=["concluded"]).concluded is True
    c2 = world.course("To reset", sis_course_id="R-1", syllabus_body="<p>old</p>")
    world.enroll(student, c2)
    fresh = canvas.get_course(c2.id).reset()
    assert fresh.id != c2.id and fresh.name == "To reset" and fresh.sis_course_id == "R-1"
    with pytest.raises(ResourceDoesNotExist):
        canvas.get_course(c2.id)
    with world.tx() as db:
        moved = db.query(Enrollment).filter_by(user_id=student.id).one()
        assert moved.course_id == fresh.id
    assert canvas.get_course(fresh.id, include=["syllabus_body"]).syllabus_body is None


def test_student_cannot_update(world):
    student, token = world.user_with_token("student")
    course = world.course("Guarded")
    world.enroll(student, course)
    mine = world.canvas(token).get_course(course.id)
    with pytest.raises(Forbidden):
        mine.update(course={"name": "Mine now"})
    with pytest.raises(Forbidden):
        mine.delete()
    with pytest.raises(BadRequest):
        world.canvas().get_course(course.id).update(course={"license": "bogus"})


def _many_courses(world, user: User, count: int) -> list[int]:
    ids = []
    with world.tx() as db:
        admin = db.get(User, world.admin.id)
        for n in range(count):
            course = courses.create_course(db, admin, 1, courses.CourseChanges(name=f"Bulk {n}"), offer=True)
            section = courses.default_section(db, course)
            db.add(Enrollment(user_id=user.id, course_id=course.id, course_section_id=section.id,
                              root_account_id=1, type="StudentEnrollment", role_id=3))
            ids.append(course.id)
        db.flush()
    return ids


def test_get_courses_pages_over_150(world):
    student, token = world.user_with_token("student")
    ids = _many_courses(world, student, 150)
    got = [c.id for c in world.canvas(token).get_courses()]
    assert got == ids  # every course exactly once, in id order
    as_admin = CanvasUser(world.canvas()._Canvas__requester, {"id": student.id})
    assert [c.id for c in as_admin.get_courses(per_page=100)] == ids


def test_get_courses_filters(world):
    me, token = world.user_with_token("me")
    teach = world.course("Teach")
    learn = world.course("Learn")
    draft = world.course("Draft", offer=False)
    blueprint = world.course("Blue", blueprint=True)
    homeroom = world.course("Home", homeroom_course=True)
    world.enroll(me, teach, "TeacherEnrollment")
    world.enroll(me, learn)
    world.enroll(me, draft, "TeacherEnrollment")
    world.enroll(me, blueprint, "TaEnrollment", state="invited")
    world.enroll(me, homeroom, "DesignerEnrollment")
    canvas = world.canvas(token)

    def ids(**kw):
        return sorted(c.id for c in canvas.get_courses(**kw))

    assert ids() == sorted([teach.id, learn.id, draft.id, blueprint.id, homeroom.id])
    assert ids(enrollment_type="teacher") == sorted([teach.id, draft.id])
    assert ids(enrollment_type="student") == [learn.id]
    assert ids(enrollment_role="TaEnrollment") == [blueprint.id]
    assert ids(enrollment_role_id=6) == [homeroom.id]
    assert ids(enrollment_state="invited_or_pending") == [blueprint.id]
    assert ids(exclude_blueprint_courses=True) == sorted([teach.id, learn.id, draft.id, homeroom.id])
    assert ids(state=["unpublished"]) == [draft.id]
    assert ids(homeroom=True) == [homeroom.id]
    sub = _sub_account(world)
    moved = world.course("Sub course", account_id=sub)
    world.enroll(me, moved)
    assert ids(account_id=sub) == [moved.id]
    with_term = list(canvas.get_courses(include=["term", "total_students"], enrollment_type="student"))
    assert with_term[0].term["name"] == "Default Term" and with_term[0].total_students == 1
    me_as_admin_sees = CanvasUser(world.canvas()._Canvas__requester, {"id": me.id})
    user_ids = sorted(c.id for c in me_as_admin_sees.get_courses(enrollment_type="teacher"))
    assert user_ids == sorted([teach.id, draft.id])


def test_batch_update_progress(world):
    canvas = world.canvas()
    drafts = [world.course(f"D{n}", offer=False).id for n in range(3)]
    requester = canvas._Canvas__requester
    # canvasapi 3.6.0 has no Account.update_courses; its requester sends the same request.
    response = requester.request("PUT", "accounts/1/courses",
                                 _kwargs=combine_kwargs(course_ids=drafts, event="offer"))
    progress = Progress(requester, response.json())
    assert progress.workflow_state == "queued"
    assert world.run_jobs() == 1
    done = progress.query()
    assert (done.workflow_state, done.completion) == ("completed", 100.0)
    assert done.results == {"updated_course_ids": drafts, "failed_course_ids": [], "errors": {}}
    assert {canvas.get_course(i).workflow_state for i in drafts} == {"available"}
