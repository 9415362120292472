"""Canvas Assignments, Assignment Groups and Overrides APIs over raw HTTP: exact bodies, rights, errors."""

from __future__ import annotations

from urllib.parse import urlencode

import pytest
from sqlalchemy import select

from courseport.schema import AssignmentOverride, ContentItem, Section


@pytest.fixture
def course(world):
    return world.course("Biology 101")


@pytest.fixture
def cast(world, course):
    return world.cast(course)


def _assignment_body(a: dict, origin: str, **overrides) -> dict:
    """The Assignment JSON a teacher sees for a fresh assignment with the store's defaults."""
    body = {
        "id": a["id"], "description": None, "due_at": None, "unlock_at": None, "lock_at": None,
        "points_possible": None, "grading_type": "points", "assignment_group_id": a["assignment_group_id"],
        "grading_standard_id": None, "created_at": a["created_at"], "updated_at": a["updated_at"],
        "peer_reviews": False, "automatic_peer_reviews": False, "position": 1,
        "grade_group_students_individually": False, "anonymous_peer_reviews": False, "group_category_id": None,
        "post_to_sis": False, "moderated_grading": False, "omit_from_final_grade": False,
        "intra_group_peer_reviews": False, "anonymous_instructor_annotations": False, "anonymous_grading": False,
        "graders_anonymous_to_graders": False, "grader_count": 0, "grader_comments_visible_to_graders": True,
        "final_grader_id": None, "grader_names_visible_to_final_grader": True, "allowed_attempts": -1,
        "annotatable_attachment_id": None, "hide_in_gradebook": False, "course_id": a["course_id"],
        "name": "Essay", "submission_types": ["none"], "has_submitted_submissions": False,
        "due_date_required": False, "max_name_length": 255, "in_closed_grading_period": False,
        "graded_submissions_exist": False, "turnitin_enabled": False, "vericite_enabled": False,
        "is_quiz_assignment": False, "can_duplicate": True, "original_course_id": None,
        "original_assignment_id": None, "original_lti_resource_link_id": None, "original_assignment_name": None,
        "original_quiz_id": None, "workflow_state": "unpublished", "important_dates": False, "muted": False,
        "html_url": f"{origin}/courses/{a['course_id']}/assignments/{a['id']}", "has_overrides": False,
        "needs_grading_count": 0, "sis_assignment_id": None, "integration_id": None, "integration_data": {},
        "published": False, "unpublishable": True, "only_visible_to_overrides": False, "visible_to_everyone": True,
        "locked_for_user": False,
        "submissions_download_url": f"{origin}/courses/{a['course_id']}/assignments/{a['id']}/submissions?zip=1",
        "post_manually": False, "anonymize_students": False, "require_lockdown_browser": False,
        "restrict_quantitative_data": False,
    }
    body.update(overrides)
    return body


def _create(world, course, token, **fields) -> dict:
    data = {f"assignment[{k}]": v for k, v in {"name": "Essay", **fields}.items()}
    with world.client(token) as c:
        r = c.post(f"/api/v1/courses/{course.id}/assignments", data=data)
    assert r.status_code == 201, r.text
    return r.json()


def test_create_and_show_assignment_exactly(world, course, cast):
    a = _create(world, course, cast["teacher"])
    assert a == _assignment_body(a, world.base_url)
    with world.client(cast["teacher"]) as c:
        got = c.get(f"/api/v1/courses/{course.id}/assignments/{a['id']}")
    assert got.status_code == 200
    assert got.json() == _assignment_body(a, world.base_url)


def test_create_with_every_common_attribute(world, course, cast):
    a = _create(world, course, cast["teacher"], **{
        "points_possible": "12.5", "grading_type": "percent", "due_at": "2030-01-10T12:00:00-06:00",
        "unlock_at": "2030-01-01T00:00:00Z", "lock_at": "2030-01-20T00:00:00Z", "published": "true",
        "description": "<p>Read <b>this</b></p><script>x()</script>", "omit_from_final_grade": "true",
        "submission_types][": ["online_text_entry", "online_upload"], "allowed_extensions][": ["pdf"],
        "peer_reviews": "true"})
    assert a == _assignment_body(
        a, world.base_url, points_possible=12.5, grading_type="percent", due_at="2030-01-10T18:00:00Z",
        unlock_at="2030-01-01T00:00:00Z", lock_at="2030-01-20T00:00:00Z", published=True, workflow_state="published",
        description="<p>Read <b>this</b></p>", omit_from_final_grade=True,
        submission_types=["online_text_entry", "online_upload"], allowed_extensions=["pdf"], peer_reviews=True)


def test_student_view_hides_grader_fields_and_unpublished(world, course, cast):
    a = _create(world, course, cast["teacher"], published="true")
    draft = _create(world, course, cast["teacher"], name="Draft")
    with world.client(cast["student"]) as c:
        got = c.get(f"/api/v1/courses/{course.id}/assignments/{a['id']}")
        hidden = c.get(f"/api/v1/courses/{course.id}/assignments/{draft['id']}")
        listed = c.get(f"/api/v1/courses/{course.id}/assignments")
    expected = _assignment_body(a, world.base_url, published=True, workflow_state="published")
    for key in ("has_overrides", "needs_grading_count", "unpublishable", "sis_assignment_id", "integration_id",
                "integration_data"):
        del expected[key]
    assert got.status_code == 200
    assert got.json() == expected
    assert hidden.status_code == 404
    assert hidden.json() == {"errors": [{"message": "The specified resource does not exist."}]}
    assert [x["id"] for x in listed.json()] == [a["id"]]


def test_student_sees_own_dates_and_lock(world, course, cast):
    a = _create(world, course, cast["teacher"], published="true", unlock_at="2099-01-01T00:00:00Z",
                due_at="2099-01-05T00:00:00Z", description="<p>secret</p>")
    student_id = _user_id(world, cast["student"])
    with world.client(cast["teacher"]) as c:
        r = c.post(f"/api/v1/courses/{course.id}/assignments/{a['id']}/overrides",
                   data={"assignment_override[student_ids][]": str(student_id),
                         "assignment_override[due_at]": "2099-01-09T00:00:00Z"})
        assert r.status_code == 201, r.text
    with world.client(cast["student"]) as c:
        got = c.get(f"/api/v1/courses/{course.id}/assignments/{a['id']}").json()
    assert (got["due_at"], got["description"], got["locked_for_user"]) == ("2099-01-09T00:00:00Z", None, True)
    assert got["lock_info"] == {"asset_string": f"assignment_{a['id']}", "unlock_at": "2099-01-01T00:00:00Z"}
    assert got["lock_explanation"] == "This assignment is locked until 2099-01-01T00:00:00Z."


def test_edit_and_delete(world, course, cast):
    a = _create(world, course, cast["teacher"])
    with world.client(cast["teacher"]) as c:
        r = c.put(f"/api/v1/courses/{course.id}/assignments/{a['id']}",
                  data={"assignment[name]": "Essay 2", "assignment[points_possible]": "5", "assignment[due_at]": ""})
        assert r.status_code == 200
        assert (r.json()["name"], r.json()["points_possible"], r.json()["due_at"]) == ("Essay 2", 5.0, None)
        gone = c.delete(f"/api/v1/courses/{course.id}/assignments/{a['id']}")
        assert gone.status_code == 200
        assert (gone.json()["id"], gone.json()["workflow_state"]) == (a["id"], "deleted")
        assert c.get(f"/api/v1/courses/{course.id}/assignments/{a['id']}").status_code == 404
    with world.tx() as db:
        assert db.get(ContentItem, a["id"]).workflow_state == "deleted"


@pytest.mark.parametrize(("data", "field", "message"), [
    ({"assignment[name]": "A", "assignment[due_at]": "next week"}, "assignment[due_at]",
     "assignment[due_at] must be an ISO 8601 date, got 'next week'"),
    ({"assignment[name]": "A", "assignment[grading_type]": "stars"}, "assignment[grading_type]",
     "assignment[grading_type] must be one of points, percent, letter_grade, gpa_scale, pass_fail, not_graded"),
    ({"assignment[name]": "A", "assignment[points_possible]": "lots"}, "assignment[points_possible]",
     "assignment[points_possible] must be a number, got 'lots'"),
    ({"assignment[name]": "A", "assignment[published]": "maybe"}, "assignment[published]",
     "assignment[published] must be a boolean (true or false), got 'maybe'"),
    ({"assignment[points_possible]": "1"}, "assignment[name]", "assignment[name] is required"),
    ({"assignment[name]": "A", "assignment[submission_types][]": "fax"}, "assignment[submission_types]", None),
    ({"assignment[name]": "A", "assignment[unlock_at]": "2030-02-01", "assignment[due_at]": "2030-01-01"},
     "assignment[due_at]", "assignment[due_at] must not be before unlock_at"),
])
def test_bad_input_is_400_naming_the_parameter(world, course, cast, data, field, message):
    with world.client(cast["teacher"]) as c:
        r = c.post(f"/api/v1/courses/{course.id}/assignments", data=data)
    assert r.status_code == 400
    [error] = r.json()["errors"]
    assert error["field"] == field
    if message:
        assert error["message"] == message
    with world.tx() as db:
        assert db.scalar(select(ContentItem.id).where(ContentItem.type == "assignment")) is None


@pytest.mark.parametrize("role", ["student", "observer", "outsider"])
def test_only_content_managers_create_or_edit(world, course, cast, role):
    a = _create(world, course, cast["teacher"], published="true")
    with world.client(cast[role]) as c:
        created = c.post(f"/api/v1/courses/{course.id}/assignments", data={"assignment[name]": "Mine"})
        edited = c.put(f"/api/v1/courses/{course.id}/assignments/{a['id']}", data={"assignment[name]": "Mine"})
        deleted = c.delete(f"/api/v1/courses/{course.id}/assignments/{a['id']}")
    for r in (created, edited, deleted):
        assert r.status_code == 403
        assert r.json() == {"status": "unauthorized", "errors": [{"message": "user not authorized to perform "
                                                                               "that action"}]}
    with world.tx() as db:
        assert [i.title for i in db.scalars(select(ContentItem).where(ContentItem.type == "assignment"))] == ["Essay"]


def test_list_filters_paging_and_includes(world, course, cast):
    made = [_create(world, course, cast["teacher"], name=f"HW {n}", published="true") for n in range(3)]
    with world.client(cast["teacher"]) as c:
        page = c.get(f"/api/v1/courses/{course.id}/assignments", params={"per_page": 2})
        second = c.get(f"/api/v1/courses/{course.id}/assignments", params={"per_page": 2, "page": 2})
        picked = c.get(f"/api/v1/courses/{course.id}/assignments",
                       params={"assignment_ids[]": [made[2]["id"], made[0]["id"]], "include[]": ["all_dates",
                                                                                                 "overrides"]})
        searched = c.get(f"/api/v1/courses/{course.id}/assignments", params={"search_term": "hw 1"})
        bad = c.get(f"/api/v1/courses/{course.id}/assignments", params={"order_by": "color"})
    assert [a["id"] for a in page.json()] == [made[0]["id"], made[1]["id"]]
    assert 'rel="next"' in page.headers["Link"]
    assert [a["id"] for a in second.json()] == [made[2]["id"]]
    assert [(a["id"], a["all_dates"], a["overrides"]) for a in picked.json()] == [
        (made[0]["id"], [{"base": True, "due_at": None, "unlock_at": None, "lock_at": None}], []),
        (made[2]["id"], [{"base": True, "due_at": None, "unlock_at": None, "lock_at": None}], [])]
    assert [a["name"] for a in searched.json()] == ["HW 1"]
    assert bad.status_code == 400
    assert bad.json()["errors"][0]["field"] == "order_by"


# --- assignment groups ------------------------------------------------------------------------------

def test_groups_crud_with_assignments_and_move_on_delete(world, course, cast):
    a = _create(world, course, cast["teacher"], published="true")
    with world.client(cast["teacher"]) as c:
        made = c.post(f"/api/v1/courses/{course.id}/assignment_groups",
                      data={"name": "Labs", "group_weight": "25", "rules[drop_lowest]": "1",
                            "rules[never_drop][]": str(a["id"])})
        assert made.status_code == 200
        labs = made.json()
        assert labs == {"id": labs["id"], "name": "Labs", "position": 2, "group_weight": 25.0,
                        "sis_source_id": None, "integration_data": {},
                        "rules": {"drop_lowest": 1, "never_drop": [a["id"]]},
                        "any_assignment_in_closed_grading_period": False}
        edited = c.put(f"/api/v1/courses/{course.id}/assignment_groups/{labs['id']}",
                       data={"name": "Labs!", "group_weight": "30"})
        assert (edited.json()["name"], edited.json()["group_weight"]) == ("Labs!", 30.0)
        listed = c.get(f"/api/v1/courses/{course.id}/assignment_groups", params={"include[]": "assignments"})
        assert [(g["name"], [x["id"] for x in g["assignments"]]) for g in listed.json()] == [
            ("Assignments", [a["id"]]), ("Labs!", [])]
        removed = c.delete(f"/api/v1/courses/{course.id}/assignment_groups/{a['assignment_group_id']}",
                           params={"move_assignments_to": labs["id"]})
        assert removed.status_code == 200
        assert removed.json()["id"] == a["assignment_group_id"]
        moved = c.get(f"/api/v1/courses/{course.id}/assignment_groups/{labs['id']}/assignments")
        assert [x["id"] for x in moved.json()] == [a["id"]]
        assert c.get(f"/api/v1/courses/{course.id}/assignment_groups/{a['assignment_group_id']}").status_code == 404
        bad = c.post(f"/api/v1/courses/{course.id}/assignment_groups", data={"group_weight": "heavy"})
        assert (bad.status_code, bad.json()["errors"][0]["field"]) == (400, "group_weight")
    with world.client(cast["student"]) as c:
        assert c.post(f"/api/v1/courses/{course.id}/assignment_groups", data={"name": "X"}).status_code == 403
        seen = c.get(f"/api/v1/courses/{course.id}/assignment_groups", params={"include[]": "assignments"})
        assert [(g["name"], [x["id"] for x in g["assignments"]]) for g in seen.json()] == [("Labs!", [a["id"]])]


# --- overrides --------------------------------------------------------------------------------------

def _user_id(world, token):
    with world.client(token) as c:
        return c.get("/api/v1/users/self").json()["id"]


def test_override_crud_exactly(world, course, cast):
    a = _create(world, course, cast["teacher"], published="true", due_at="2030-01-10T00:00:00Z")
    sid = _user_id(world, cast["student"])
    url = f"/api/v1/courses/{course.id}/assignments/{a['id']}/overrides"
    with world.client(cast["teacher"]) as c:
        made = c.post(url, data={"assignment_override[student_ids][]": str(sid),
                                 "assignment_override[title]": "Extension",
                                 "assignment_override[due_at]": "2030-01-12T23:59:00Z",
                                 "assignment_override[lock_at]": ""})
        assert made.status_code == 201, made.text
        o = made.json()
        assert o == {"id": o["id"], "assignment_id": a["id"], "title": "Extension", "due_at": "2030-01-12T23:59:00Z",
                     "all_day": True, "all_day_date": "2030-01-12", "lock_at": None, "student_ids": [sid]}
        assert c.get(f"{url}/{o['id']}").json() == o
        assert c.get(url).json() == [o]
        edited = c.put(f"{url}/{o['id']}", data={"assignment_override[unlock_at]": "2030-01-02T00:00:00Z"})
        assert edited.json() == {"id": o["id"], "assignment_id": a["id"], "title": "Extension",
                                 "unlock_at": "2030-01-02T00:00:00Z", "student_ids": [sid]}
        shown = c.get(f"/api/v1/courses/{course.id}/assignments/{a['id']}").json()
        assert shown["has_overrides"] is True
        gone = c.delete(f"{url}/{o['id']}")
        assert gone.json() == edited.json()
        assert c.get(url).json() == []
    with world.tx() as db:
        assert db.get(AssignmentOverride, o["id"]).workflow_state == "deleted"


def test_override_errors(world, course, cast):
    a = _create(world, course, cast["teacher"], published="true")
    sid = _user_id(world, cast["student"])
    url = f"/api/v1/courses/{course.id}/assignments/{a['id']}/overrides"
    with world.tx() as db:
        section = db.scalar(select(Section.id).where(Section.course_id == course.id))
    with world.client(cast["teacher"]) as c:
        none = c.post(url, data={"assignment_override[title]": "x"})
        both = c.post(url, data={"assignment_override[student_ids][]": str(sid),
                                 "assignment_override[course_section_id]": str(section)})
        teacher = c.post(url, data={"assignment_override[student_ids][]": str(_user_id(world, cast["teacher"]))})
        bad_date = c.post(url, data={"assignment_override[course_section_id]": str(section),
                                     "assignment_override[due_at]": "soon"})
        assert c.post(url, data={"assignment_override[student_ids][]": str(sid)}).status_code == 201
        twice = c.post(url, data={"assignment_override[student_ids][]": str(sid)})
    assert none.json() == {"errors": [{"message": "one of student_ids or course_section_id is required",
                                       "field": "assignment_override[student_ids]"}]}
    assert both.json()["errors"][0]["field"] == "assignment_override[course_section_id]"
    assert teacher.json()["errors"][0]["message"].startswith("unknown student ids")
    assert bad_date.json() == {"errors": [{"message": "assignment_override[due_at] must be an ISO 8601 date, "
                                                      "got 'soon'", "field": "assignment_override[due_at]"}]}
    assert twice.json()["errors"][0]["message"] == \
        f"students already have another override of this assignment: {sid}"
    assert {r.status_code for r in (none, both, teacher, bad_date, twice)} == {400}
    with world.client(cast["student"]) as c:
        assert c.post(url, data={"assignment_override[student_ids][]": str(sid)}).status_code == 403


def _form(client, method, url, pairs):
    """A form body with repeated keys in order, as canvasapi sends lists of hashes."""
    return client.request(method, url, content=urlencode(pairs),
                          headers={"Content-Type": "application/x-www-form-urlencoded"})


def test_batch_overrides(world, course, cast):
    first = _create(world, course, cast["teacher"], published="true")
    second = _create(world, course, cast["teacher"], name="Other", published="true")
    sid = _user_id(world, cast["student"])
    with world.tx() as db:
        section = db.scalar(select(Section.id).where(Section.course_id == course.id))
    base = f"/api/v1/courses/{course.id}/assignments/overrides"
    with world.client(cast["teacher"]) as c:
        made = _form(c, "POST", base, [
            ("assignment_overrides[][assignment_id]", str(first["id"])),
            ("assignment_overrides[][student_ids][]", str(sid)),
            ("assignment_overrides[][due_at]", "2030-01-05T00:00:00Z"),
            ("assignment_overrides[][assignment_id]", str(second["id"])),
            ("assignment_overrides[][course_section_id]", str(section))])
        assert made.status_code == 201, made.text
        o1, o2 = made.json()
        assert (o1["assignment_id"], o1["student_ids"], o2["assignment_id"], o2["course_section_id"]) == (
            first["id"], [sid], second["id"], section)
        updated = _form(c, "PUT", base, [("assignment_overrides[][id]", str(o2["id"])),
                                    ("assignment_overrides[][assignment_id]", str(second["id"])),
                                    ("assignment_overrides[][due_at]", "2030-02-01T00:00:00Z")])
        assert updated.json()[0]["due_at"] == "2030-02-01T00:00:00Z"
        got = c.get(base + "?" + urlencode([("assignment_overrides[][id]", str(o1["id"])),
                                            ("assignment_overrides[][assignment_id]", str(first["id"])),
                                            ("assignment_overrides[][id]", "999999"),
                                            ("assignment_overrides[][assignment_id]", str(first["id"]))]))
        assert got.status_code == 200, got.text
        assert [x and x["id"] for x in got.json()] == [o1["id"], None]
        failed = _form(c, "POST", base, [("assignment_overrides[][assignment_id]", str(first["id"])),
                                    ("assignment_overrides[][course_section_id]", str(section)),
                                    ("assignment_overrides[][assignment_id]", str(second["id"])),
                                    ("assignment_overrides[][course_section_id]", str(section))])
        assert failed.status_code == 400
        assert failed.json()["errors"][0]["field"] == "assignment_overrides[1][course_section_id]"
    with world.tx() as db:  # the failed batch wrote nothing
        assert len(list(db.scalars(select(AssignmentOverride.id)))) == 2
