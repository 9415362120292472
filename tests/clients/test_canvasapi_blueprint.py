"""canvasapi, unmodified, runs a whole blueprint life: make a blueprint, add content, associate
courses, sync, edit locked (refused) and unlocked items downstream, change the blueprint, read the
unsynced changes, sync again, read the details with their exceptions, and read the subscription
and its imports from an associated course."""

from __future__ import annotations

import pytest
from canvasapi.exceptions import BadRequest

from courseport.schema import Course


def test_blueprint_full_flow_through_canvasapi(world):
    canvas = world.canvas()  # the site admin
    account = canvas.get_account(1)
    bp = account.create_course(course={"name": "Biology Blueprint", "course_code": "BIO BP"})
    bp.update(course={"blueprint": True, "blueprint_restrictions": {"content": True, "points": True}})
    bp = canvas.get_course(bp.id)
    assert (bp.blueprint, bp.blueprint_restrictions) == (True, {"content": True, "points": True})
    essay = bp.create_assignment({"name": "Essay", "points_possible": 10, "published": True})
    lab = bp.create_assignment({"name": "Lab", "points_possible": 5, "published": True})
    sections = [account.create_course(course={"name": f"Biology {n}"}) for n in (1, 2)]

    template = bp.get_blueprint()
    assert (template.course_id, template.associated_course_count, template.latest_migration) == (bp.id, 0, None)
    assert bp.get_blueprint(template.id).id == template.id
    assert template.update_associated_courses(course_ids_to_add=[s.id for s in sections]) is True
    assert [c.id for c in template.get_associated_courses()] == [s.id for s in sections]
    [initial] = list(template.get_unsynced_changes())
    assert (initial.change_type, initial.asset_id, initial.asset_type) == ("initial_sync", bp.id, "course")
    assert template.change_blueprint_restrictions("assignment", essay.id, True) is True

    first = template.associated_course_migration(comment="term start")
    assert (first.workflow_state, first.comment) == ("queued", "term start")
    with pytest.raises(BadRequest) as refused:
        template.associated_course_migration()
    assert "Cannot queue a migration while one is currently running" in str(refused.value)
    world.run_jobs()
    first = template.show_blueprint_migration(first.id)
    assert first.workflow_state == "completed" and first.imports_completed_at

    section = canvas.get_course(sections[0].id)
    copies = {a.name: a for a in section.get_assignments()}
    with pytest.raises(BadRequest) as locked:
        copies["Essay"].edit(assignment={"points_possible": 50})
    assert "cannot change column(s): points_possible - locked by Master Course" in str(locked.value)
    copies["Lab"].edit(assignment={"points_possible": 7})  # unlocked: the section may change it

    essay.edit(assignment={"points_possible": 12})
    lab.edit(assignment={"points_possible": 6, "name": "Lab report"})
    changes = {c.asset_name: (c.change_type, c.asset_type, c.locked) for c in template.get_unsynced_changes()}
    assert changes == {"Essay": ("updated", "assignment", True), "Lab report": ("updated", "assignment", False)}

    second = template.associated_course_migration(comment="fixes")
    world.run_jobs()
    assert [m.id for m in template.list_blueprint_migrations()] == [second.id, first.id]
    details = {d.asset_name: d for d in template.show_blueprint_migration(second.id).get_details()}
    assert details["Essay"].exceptions == []
    assert details["Lab report"].exceptions == [{"course_id": sections[0].id, "conflicting_changes": ["points"]}]
    copies = {a.name: a for a in section.get_assignments()}
    assert (copies["Essay"].points_possible, copies["Lab report"].points_possible) == (12, 7)
    other = {a.name: a.points_possible for a in canvas.get_course(sections[1].id).get_assignments()}
    assert other == {"Essay": 12, "Lab report": 6}

    [subscription] = list(section.list_blueprint_subscriptions())
    assert (subscription.template_id, subscription.blueprint_course["id"]) == (template.id, bp.id)
    imports = list(subscription.list_blueprint_imports())
    assert [(m.id, m.workflow_state, m.subscription_id) for m in imports] == [
        (second.id, "completed", subscription.id), (first.id, "completed", subscription.id)]
    shown = subscription.show_blueprint_import(second.id)
    mine = {d.asset_name: d.exceptions for d in shown.get_import_details()}
    assert mine["Lab report"] == [{"course_id": sections[0].id, "conflicting_changes": ["points"]}]
    with world.tx() as db:
        assert db.get(Course, sections[1].id).workflow_state == "unpublished"
