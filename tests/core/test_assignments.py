"""Core assignment and assignment group rules on a real database: defaults, checks, visibility, groups."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select

from courseport.core.coursework import assignment_groups, assignments
from courseport.core.coursework.assignment_groups import GroupChanges
from courseport.core.coursework.assignments import AssignmentChanges
from courseport.core.kit.errors import InvalidInput, NotAllowed, NotFound
from courseport.core.views import assignment_views
from courseport.core.views.assignment_views import AssignmentQuery
from courseport.schema import ContentItem, Submission, User
from courseport.schema.base import utcnow


def _as(world, user, fn, *args, **kw):
    with world.tx() as db:
        return fn(db, db.get(User, user.id), *args, **kw)


@pytest.fixture
def cls(world):
    course = world.course("Core assignments")
    teacher, student = world.user("teacher"), world.user("student")
    world.enroll(teacher, course, "TeacherEnrollment")
    world.enroll(student, course)
    return course, teacher, student


def _create(world, cls, **fields):
    course, teacher, _ = cls
    return _as(world, teacher, assignments.create_assignment, course.id, AssignmentChanges(fields))[1]


def test_first_assignment_creates_the_default_group_and_stores_the_conventions(world, cls):
    item = _create(world, cls, name=" Essay ", description="<p onclick='x()'>Write</p><script>bad()</script>",
                   points_possible=10.0, submission_types=["online_upload"], allowed_extensions=[".PDF", "doc"])
    with world.tx() as db:
        group = db.get(ContentItem, item.parent_id)
        stored = db.get(ContentItem, item.id)
        assert (group.type, group.title, group.data) == ("assignment_group", "Assignments",
                                                         {"group_weight": 0.0, "rules": {}})
        assert (stored.title, stored.body, stored.points, stored.workflow_state) == (
            "Essay", "<p>Write</p>", 10.0, "unpublished")
        assert stored.data == {"submission_types": ["online_upload"], "grading_type": "points",
                               "allowed_extensions": ["pdf", "doc"]}
    second = _create(world, cls, name="Quiz prep")
    assert (second.parent_id, second.position) == (item.parent_id, 2)


@pytest.mark.parametrize(("fields", "field", "message"), [
    ({"name": "  "}, "name", "name is required"),
    ({"name": "x" * 256}, "name", "name is too long (at most 255 characters)"),
    ({"name": "A", "grading_type": "stars"}, "grading_type",
     "grading_type must be one of points, percent, letter_grade, gpa_scale, pass_fail, not_graded"),
    ({"name": "A", "points_possible": -1.0}, "points_possible", "points_possible must be between 0 and 999999999"),
    ({"name": "A", "submission_types": ["fax"]}, "submission_types", None),
    ({"name": "A", "unlock_at": datetime(2030, 2, 1, tzinfo=UTC),
      "lock_at": datetime(2030, 1, 1, tzinfo=UTC)}, "lock_at", "lock_at must not be before unlock_at"),
    ({"name": "A", "due_at": datetime(2030, 3, 1, tzinfo=UTC),
      "lock_at": datetime(2030, 2, 1, tzinfo=UTC)}, "due_at", "due_at must not be after lock_at"),
    ({"name": "A", "assignment_group_id": 999999}, "assignment_group_id", None),
])
def test_bad_attributes_name_the_field_and_write_nothing(world, cls, fields, field, message):
    with pytest.raises(InvalidInput) as err:
        _create(world, cls, **fields)
    assert err.value.field == field
    if message:
        assert err.value.message == message
    with world.tx() as db:
        assert db.scalar(select(ContentItem.id).where(ContentItem.type == "assignment")) is None


def test_students_cannot_write_and_see_published_assignments_only(world, cls):
    course, teacher, student = cls
    with pytest.raises(NotAllowed):
        _as(world, student, assignments.create_assignment, course.id, AssignmentChanges({"name": "Mine"}))
    hidden = _create(world, cls, name="Draft")
    shown = _create(world, cls, name="Live", published=True)
    with pytest.raises(NotAllowed):
        _as(world, student, assignments.update_assignment, course.id, str(shown.id), AssignmentChanges({"name": "x"}))
    with pytest.raises(NotFound):
        _as(world, student, assignment_views.show_assignment, course.id, str(hidden.id))
    seen = _as(world, student, assignment_views.list_assignments, course.id, AssignmentQuery())
    assert [v.item.id for v in seen] == [shown.id]
    assert [v.item.id for v in _as(world, teacher, assignment_views.list_assignments, course.id,
                                   AssignmentQuery())] == [hidden.id, shown.id]


def test_locked_for_a_student_until_unlock_and_after_lock(world, cls):
    course, teacher, student = cls
    soon = utcnow() + timedelta(days=1)
    future = _create(world, cls, name="Later", published=True, unlock_at=soon)
    past = _create(world, cls, name="Closed", published=True, lock_at=utcnow() - timedelta(days=1))
    views = {v.item.id: v for v in _as(world, student, assignment_views.list_assignments, course.id,
                                       AssignmentQuery())}
    assert (views[future.id].lock.reason, views[future.id].lock.at) == ("unlock_at", soon)
    assert views[past.id].lock.reason == "lock_at"
    assert all(v.lock is None for v in _as(world, teacher, assignment_views.list_assignments, course.id,
                                           AssignmentQuery()))


def test_cannot_unpublish_with_submissions(world, cls):
    course, teacher, student = cls
    item = _create(world, cls, name="Graded", published=True)
    with world.tx() as db:
        db.add(Submission(item_id=item.id, course_id=course.id, user_id=student.id, workflow_state="submitted",
                          submitted_at=utcnow()))
    with pytest.raises(InvalidInput, match="Can't unpublish"):
        _as(world, teacher, assignments.update_assignment, course.id, str(item.id),
            AssignmentChanges({"published": False}))
    [view] = _as(world, teacher, assignment_views.list_assignments, course.id, AssignmentQuery())
    assert (view.stats.needs_grading, view.stats.submitted, view.stats.graded) == (1, True, False)


def test_buckets_and_orders(world, cls):
    course, _, student = cls
    now = utcnow()
    late = _create(world, cls, name="b late", published=True, due_at=now - timedelta(days=2),
                   submission_types=["online_text_entry"])
    soon = _create(world, cls, name="a soon", published=True, due_at=now + timedelta(days=2))
    undated = _create(world, cls, name="c undated", published=True)

    def ids(**query):
        return [v.item.id for v in _as(world, student, assignment_views.list_assignments, course.id,
                                       AssignmentQuery(**query))]
    assert ids(bucket="overdue") == [late.id]
    assert ids(bucket="past") == [late.id]
    assert ids(bucket="upcoming") == [soon.id]
    assert ids(bucket="undated") == [undated.id]
    assert ids(bucket="future") == [soon.id, undated.id]
    assert ids(order_by="name") == [soon.id, late.id, undated.id]
    assert ids(order_by="due_at") == [late.id, soon.id, undated.id]
    assert ids(search_term="SOON") == [soon.id]
    with pytest.raises(InvalidInput, match="bucket must be one of"):
        ids(bucket="someday")


def test_group_weights_rules_and_delete_moving_assignments(world, cls):
    course, teacher, student = cls
    first = _create(world, cls, name="One")
    other = _as(world, teacher, assignment_groups.create_group, course.id,
                GroupChanges(name="Labs", group_weight=40.0, rules={"drop_lowest": "1", "never_drop": ["7"]}))
    assert (other.title, other.position, other.data) == (
        "Labs", 2, {"group_weight": 40.0, "rules": {"drop_lowest": 1, "never_drop": [7]}})
    with pytest.raises(InvalidInput) as err:
        _as(world, teacher, assignment_groups.update_group, course.id, str(other.id), GroupChanges(group_weight=-1))
    assert err.value.field == "group_weight"
    with pytest.raises(NotAllowed):
        _as(world, student, assignment_groups.create_group, course.id, GroupChanges(name="Mine"))
    _as(world, teacher, assignment_groups.delete_group, course.id, str(first.parent_id), str(other.id))
    with world.tx() as db:
        moved = db.get(ContentItem, first.id)
        assert (moved.parent_id, moved.workflow_state) == (other.id, "unpublished")
        assert db.get(ContentItem, first.parent_id).workflow_state == "deleted"
    _as(world, teacher, assignment_groups.delete_group, course.id, str(other.id), None)
    with world.tx() as db:
        assert db.get(ContentItem, first.id).workflow_state == "deleted"


def test_rules_text_form_and_bad_rules():
    assert assignment_groups.checked_rules(assignment_groups.parse_rules_text(
        "drop_lowest:1\ndrop_highest:0\nnever_drop:33\nnever_drop:34\n")) == {"drop_lowest": 1, "never_drop": [33, 34]}
    with pytest.raises(InvalidInput) as err:
        assignment_groups.checked_rules({"drop_lowest": "-1"})
    assert err.value.field == "rules[drop_lowest]"
    with pytest.raises(InvalidInput, match="rules may hold only"):
        assignment_groups.checked_rules({"keep": "1"})
