"""canvasapi 3.6.0, unmodified, against the live server: a group set made by a teacher, students put in
groups and moving between them, self sign-up, and what each side may do."""

from __future__ import annotations

import json

import pytest
from canvasapi.exceptions import BadRequest, Forbidden, ResourceDoesNotExist
from canvasapi.group import Group, GroupCategory, GroupMembership
from sqlalchemy import select

from courseport.schema import CourseGroup
from courseport.schema import GroupMembership as Membership
from tests.races import meeting


def _class(world):
    course = world.course("Projects")
    teacher, teacher_token = world.user_with_token("tina", name="Tina Teach")
    world.enroll(teacher, course, "TeacherEnrollment")
    students = []
    for login, name in (("ann", "Ann Able"), ("bob", "Bob Baker"), ("cy", "Cy Cole")):
        user, token = world.user_with_token(login, name=name)
        world.enroll(user, course)
        students.append((user, token))
    return course, teacher_token, students


def _members(world) -> set[tuple[int, int]]:
    with world.tx() as db:
        return {(m.group_id, m.user_id) for m in db.scalars(select(Membership))}


def test_a_teacher_makes_project_groups_and_moves_students(world):
    course, teacher_token, [(ann, _), (bob, _), (cy, cy_token)] = _class(world)
    remote = world.canvas(teacher_token).get_course(course.id)
    category = remote.create_group_category("Project teams", create_group_count=2)
    assert isinstance(category, GroupCategory) and category.course_id == course.id
    first, second = list(category.get_groups())
    assert isinstance(first, Group) and [first.name, second.name] == ["Project teams 1", "Project teams 2"]
    extra = category.create_group(name="Overflow", description="late joiners")
    assert (extra.group_category_id, extra.members_count) == (category.id, 0)

    joined = first.create_membership(ann.id)
    assert isinstance(joined, GroupMembership) and (joined.user_id, joined.group_id) == (ann.id, first.id)
    first.create_membership(bob.id)
    second.create_membership(ann.id)  # one group per set: Ann moves
    assert _members(world) == {(first.id, bob.id), (second.id, ann.id)}
    assert [u.name for u in first.get_users()] == ["Bob Baker"]
    assert [m.user_id for m in second.get_memberships()] == [ann.id]
    assert [g.members_count for g in remote.get_groups()] == [1, 1, 0]

    mine = world.canvas(cy_token)
    with pytest.raises(Forbidden):  # no self sign-up in this set
        mine.get_group(first.id).create_membership("self")
    assert [g.name for g in mine.get_current_user().get_groups()] == []
    first.remove_user(bob.id)
    assert _members(world) == {(second.id, ann.id)}
    with pytest.raises(BadRequest):
        remote.create_group_category("Project teams")  # taken
    category.delete()
    with pytest.raises(ResourceDoesNotExist):
        world.canvas(teacher_token).get_group(first.id)
    assert _members(world) == set()


def test_students_sign_themselves_up_up_to_the_limit(world):
    course, teacher_token, [(ann, ann_token), (bob, bob_token), (cy, cy_token)] = _class(world)
    category = world.canvas(teacher_token).get_course(course.id).create_group_category(
        "Study groups", self_signup="enabled", group_limit=2)
    (group,) = [category.create_group(name="Tuesday")]
    for token in (ann_token, bob_token):
        world.canvas(token).get_group(group.id).create_membership("self")
    with pytest.raises(BadRequest):  # full
        world.canvas(cy_token).get_group(group.id).create_membership("self")
    ann_view = world.canvas(ann_token)
    assert [g.id for g in ann_view.get_current_user().get_groups()] == [group.id]
    ann_view.get_group(group.id).remove_user(ann.id)  # leaving is allowed in a self-signup set
    assert _members(world) == {(group.id, bob.id)}
    with pytest.raises(Forbidden):  # but not removing someone else
        ann_view.get_group(group.id).remove_user(bob.id)


def test_a_teacher_makes_a_moderator_and_students_cannot(world):
    course, teacher_token, [(ann, ann_token), (bob, _), _] = _class(world)
    category = world.canvas(teacher_token).get_course(course.id).create_group_category("Labs", create_group_count=1)
    [group] = list(category.get_groups())
    membership = group.create_membership(ann.id)
    group.create_membership(bob.id)
    made = group.update_membership(ann.id, moderator=True)  # PUT groups/:id/users/:user_id
    assert isinstance(made, GroupMembership) and (made.user_id, made.moderator) == (ann.id, True)
    unmade = membership.update(moderator=False)  # PUT groups/:id/memberships/:id
    assert (unmade.id, unmade.moderator) == (membership.id, False)
    accepted = membership.update(workflow_state="accepted")
    assert (accepted.workflow_state, accepted.moderator) == ("accepted", False)
    as_ann = world.canvas(ann_token).get_group(group.id)
    with pytest.raises(Forbidden):
        as_ann.update_membership(bob.id, moderator=True)
    with pytest.raises(BadRequest) as bad:
        membership.update(workflow_state="invited")
    assert json.loads(bad.value.message) == {"errors": [
        {"message": "workflow_state must be accepted", "field": "workflow_state"}]}
    with pytest.raises(ResourceDoesNotExist):
        group.update_membership(world.user("nobody").id, moderator=True)
    with world.tx() as db:
        assert {(m.user_id, m.moderator) for m in db.scalars(select(Membership))} == {(ann.id, False), (bob.id, False)}


def test_unassigned_students_are_spread_over_the_groups_by_a_job(world):
    course, teacher_token, students = _class(world)
    dan, _ = world.user_with_token("dan")
    eve, _ = world.user_with_token("eve")
    world.enroll(dan, course)
    world.enroll(eve, course)
    [(ann, ann_token), (bob, _), (cy, _)] = students
    teacher = world.canvas(teacher_token).get_course(course.id)
    category = teacher.create_group_category("Pairs", create_group_count=2, group_limit=2)
    first, second = list(category.get_groups())
    second.create_membership(ann.id)
    progress = category.assign_members()
    assert (progress.workflow_state, progress.tag, progress.context_type) == (
        "queued", "assign_unassigned_members", "GroupCategory")
    assert _members(world) == {(second.id, ann.id)}  # nothing moves before the job runs
    assert world.run_jobs() == 1
    done = progress.query()
    assert (done.workflow_state, done.results) == ("completed", {"assigned": 3})
    # the fewest members first, lowest id on a tie, within each group's limit of 2: eve is left over
    assert _members(world) == {(second.id, ann.id), (first.id, bob.id), (first.id, cy.id), (second.id, dan.id)}
    with pytest.raises(Forbidden):
        world.canvas(ann_token).get_group_category(category.id).assign_members()


def test_sync_assignment_answers_the_memberships(world):
    course, teacher_token, [(ann, _), (bob, _), (cy, _)] = _class(world)
    category = world.canvas(teacher_token).get_course(course.id).create_group_category("Trios")
    with world.client(teacher_token) as c:
        empty = c.post(f"/api/v1/group_categories/{category.id}/assign_unassigned_members", data={"sync": "true"})
        group = category.create_group(name="All")
        made = c.post(f"/api/v1/group_categories/{category.id}/assign_unassigned_members", data={"sync": "true"})
        again = c.post(f"/api/v1/group_categories/{category.id}/assign_unassigned_members", data={"sync": "true"})
    assert (empty.status_code, empty.json()) == (400, {"errors": [
        {"message": "the group set has no groups to assign members to", "field": "group_category_id"}]})
    assert made.status_code == 200
    assert [(m["group_id"], m["user_id"], m["workflow_state"]) for m in made.json()] == [
        (group.id, ann.id, "accepted"), (group.id, bob.id, "accepted"), (group.id, cy.id, "accepted")]
    assert (again.status_code, again.json()) == (200, [])  # no one is left unassigned
    assert _members(world) == {(group.id, ann.id), (group.id, bob.id), (group.id, cy.id)}


def test_two_assignments_at_once_place_each_student_once(world, monkeypatch):
    from concurrent.futures import ThreadPoolExecutor

    from courseport.core.courses import group_memberships

    course, teacher_token, [(ann, _), (bob, _), (cy, _)] = _class(world)
    category = world.canvas(teacher_token).get_course(course.id).create_group_category("Pairs")
    first, second = category.create_group(name="One"), category.create_group(name="Two")
    # read who is unassigned, then meet
    monkeypatch.setattr(group_memberships, "group_limit", meeting(group_memberships.group_limit))

    def assign(_: int) -> list[tuple[int, int]]:
        with world.client(teacher_token) as c:
            answer = c.post(f"/api/v1/group_categories/{category.id}/assign_unassigned_members", data={"sync": "true"})
            assert answer.status_code == 200, answer.text
            return [(m["group_id"], m["user_id"]) for m in answer.json()]

    with ThreadPoolExecutor(2) as pool:
        answers = sorted(pool.map(assign, [1, 2]), key=len)
    placed = {(first.id, ann.id), (second.id, bob.id), (first.id, cy.id)}
    assert answers == [[], sorted(placed, key=lambda m: m[1])]  # the second found no one left
    assert _members(world) == placed


def test_a_student_joining_two_groups_of_a_set_at_once_ends_in_one(world, monkeypatch):
    from concurrent.futures import ThreadPoolExecutor

    from courseport.core.courses import group_memberships

    course, teacher_token, [(ann, ann_token), _, _] = _class(world)
    category = world.canvas(teacher_token).get_course(course.id).create_group_category(
        "Labs", self_signup="enabled", group_limit=3)
    first, second = category.create_group(name="Monday"), category.create_group(name="Friday")
    # after "not in it yet", before the move
    monkeypatch.setattr(group_memberships, "group_limit", meeting(group_memberships.group_limit))

    def join(group_id: int) -> int:
        with world.client(ann_token) as c:
            return c.post(f"/api/v1/groups/{group_id}/memberships", data={"user_id": "self"}).status_code

    with ThreadPoolExecutor(2) as pool:
        assert list(pool.map(join, [first.id, second.id])) == [200, 200]
    (membership,) = _members(world)  # one group of the set, whichever joined last
    assert membership in {(first.id, ann.id), (second.id, ann.id)}


def test_an_admin_sets_sis_ids_a_teacher_neither_sees_nor_sets_them(world):
    course, teacher_token, _ = _class(world)
    admin = world.canvas().get_course(course.id)
    category = admin.create_group_category("Sections", sis_group_category_id="SEC")
    group = category.create_group(name="North", sis_group_id="N1")
    assert (category.sis_group_category_id, group.sis_group_id, group.sis_import_id) == ("SEC", "N1", None)
    edited = group.edit(sis_group_id="N2")
    assert edited.sis_group_id == "N2" and world.canvas().get_group(group.id).sis_group_id == "N2"
    with pytest.raises(BadRequest):
        category.create_group(name="South", sis_group_id="N2")  # taken in the root account

    teacher = world.canvas(teacher_token)
    seen = teacher.get_group(group.id)
    assert seen.name == "North" and not hasattr(seen, "sis_group_id") and not hasattr(seen, "sis_import_id")
    assert not hasattr(teacher.get_group_category(category.id), "sis_group_category_id")
    with pytest.raises(Forbidden):
        teacher.get_group_category(category.id).create_group(name="South", sis_group_id="S1")
    with world.tx() as db:
        stored = {g.name: g.sis_source_id for g in db.scalars(select(CourseGroup))}
        assert stored == {"North": "N2"}
