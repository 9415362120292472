"""Valence groups are org units (type Group, as Brightspace has them): a group's GroupId is its org unit id,
allocated when the group row is inserted, whichever face made it; it resolves through orgstructure, sits
below its offering in the tree, is renamed by PUT orgstructure; Canvas keeps naming it by its own id."""

from __future__ import annotations

from sqlalchemy import select

from courseport.schema import CourseGroup, OrgUnitRow
from tests.clients.test_d2lvalence import SignedSession
from tests.dialects.d2l.org_ids import group_ou, ou, ref
from tests.dialects.d2l.test_groups import LP, category_block, problem, setup

GROUP_TYPE = {"Id": 4, "Code": "Group", "Name": "Group"}
NOT_AN_ORG_UNIT = problem(404, "Could not resolve org unit to a known org unit.")


def group_unit(gid: int, name: str, code: str = "") -> dict:
    return {"Identifier": str(gid), "Name": name, "Code": code, "Path": "", "Type": GROUP_TYPE}


def test_a_group_is_an_org_unit_of_type_group(world):
    course, o, teacher, (sam,) = setup(world, 1)
    api = SignedSession(world.base_url, world.d2l(teacher))
    cid = api.post(f"{LP}/{o}/groupcategories/", json=category_block(NumberOfGroups=1)).json()["GroupCategoryId"]
    made = api.post(f"{LP}/{o}/groupcategories/{cid}/groups/", json={"Name": "Red", "Code": "RED-1"}).json()
    gid = made["GroupId"]
    with world.tx() as db:
        row = db.scalars(select(OrgUnitRow).where(OrgUnitRow.id == gid)).one()
        group = db.get_one(CourseGroup, row.group_id)
        assert (row.kind, row.course_id, row.section_id, group.name, group.course_id) == (
            "group", None, None, "Red", course.id)
    assert gid != row.group_id  # the Canvas id stays the group's own
    assert api.get(f"{LP}/orgstructure/{gid}").json() == group_unit(gid, "Red", "RED-1")
    student = SignedSession(world.base_url, world.d2l(sam))  # the offering's users read its groups' units
    assert student.get(f"{LP}/orgstructure/{gid}").json() == group_unit(gid, "Red", "RED-1")
    outsider = SignedSession(world.base_url, world.d2l(world.user("nobody")))
    refused = outsider.get(f"{LP}/orgstructure/{gid}")
    assert (refused.status_code, refused.json()) == (403, problem(403, "No permission to perform this action."))

    admin = SignedSession(world.base_url, world.d2l())
    first = api.get(f"{LP}/{o}/groupcategories/{cid}").json()["Groups"][0]
    assert admin.get(f"{LP}/orgstructure/{o}/children/", params={"ouTypeId": 4}).json() == [
        group_unit(first, "Projects 1"), group_unit(gid, "Red", "RED-1")]
    assert [u["Identifier"] for u in admin.get(f"{LP}/orgstructure/{gid}/parents/").json()] == [str(o)]
    assert admin.get(f"{LP}/outypes/4").json() == {
        "Id": 4, "Code": "Group", "Name": "Group",
        "Description": "A group of a course offering's users, in one of its group categories.", "SortOrder": 6,
        "Permissions": {"CanCreate": False, "CanEdit": True, "CanDelete": True}}

    renamed = admin.put(f"{LP}/orgstructure/{gid}", json={"Name": "Crimson", "Code": ""})
    assert (renamed.status_code, renamed.json()) == (200, group_unit(gid, "Crimson"))
    with world.tx() as db:
        group = db.get_one(CourseGroup, row.group_id)
        assert (group.name, group.external_id) == ("Crimson", group.uuid)  # no code: the uuid stands for one
    assert api.get(f"{LP}/{o}/groupcategories/{cid}/groups/{gid}").json()["Code"] == ""

    assert api.delete(f"{LP}/{o}/groupcategories/{cid}/groups/{gid}").status_code == 200
    gone = admin.get(f"{LP}/orgstructure/{gid}")
    assert (gone.status_code, gone.json()) == (404, NOT_AN_ORG_UNIT)  # a deleted group is no org unit


def test_a_group_made_by_canvas_has_its_org_unit_and_canvas_keeps_its_id(world):
    course, o, teacher, (sam,) = setup(world, 1)
    with world.client(world.admin_token) as canvas:
        category = canvas.post(f"/api/v1/courses/{course.id}/group_categories", data={"name": "Set"}).json()
        group = canvas.post(f"/api/v1/group_categories/{category['id']}/groups", data={"name": "Blue"}).json()
        gid = group_ou(world, group["id"])
        api = SignedSession(world.base_url, world.d2l(teacher))
        assert api.post(f"{LP}/{o}/groupcategories/{category['id']}/groups/{gid}/enrollments/",
                        json={"UserId": sam.id}).status_code == 200
        assert [u["id"] for u in canvas.get(f"/api/v1/groups/{group['id']}/users").json()] == [sam.id]
        assert canvas.get(f"/api/v1/groups/{group['id']}").json()["id"] == group["id"] == ref(world, gid)
    assert api.get(f"{LP}/orgstructure/{gid}").json() == group_unit(gid, "Blue")


def test_other_org_unit_ids_name_no_group_and_a_group_id_names_no_section(world):
    course, o, teacher, _ = setup(world)
    api = SignedSession(world.base_url, world.d2l(teacher))
    made = api.post(f"{LP}/{o}/groupcategories/", json=category_block(NumberOfGroups=1)).json()
    cid, gid = made["GroupCategoryId"], made["Groups"][0]
    assert ref(world, gid) != gid
    for wrong in (o, ref(world, gid)):  # the offering's org unit id; the group's own (Canvas) id
        missing = api.get(f"{LP}/{o}/groupcategories/{cid}/groups/{wrong}")
        assert (missing.status_code, missing.json()) == (404, problem(404, "The specified group does not exist.")
                                                         ), wrong
    other = ou(world, world.course("Chemistry"))
    admin = SignedSession(world.base_url, world.d2l())
    elsewhere = admin.get(f"{LP}/{other}/groupcategories/{cid}/groups/{gid}")  # another offering's group
    assert (elsewhere.status_code, elsewhere.json()) == (
        404, problem(404, "The specified group category does not exist."))
    as_section = admin.get(f"{LP}/{o}/sections/{gid}")
    assert (as_section.status_code, as_section.json()) == (
        404, problem(404, "Could not resolve section to a known org unit."))
