"""d2lvalence 1.2.3, unmodified, signs a group set's life on the Valence face: a category whose students
are placed at once, a group added, a user moved in and out, the category deleted; canvasapi reads every
step as the same Canvas group set, and what canvasapi makes the Valence face reads. Valence names each group
by its org unit id, Canvas by the group's own id, and the Group org unit resolves through orgstructure."""

from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

from tests.clients.test_d2lvalence import SignedSession
from tests.dialects.d2l.org_ids import group_ou, ou, ref

LP = "/d2l/api/lp/1.4"


def test_a_group_set_made_by_d2lvalence_is_the_one_canvasapi_reads(world):
    course = world.course("Biology")
    students = [world.user(f"pupil{n}") for n in range(4)]
    for student in students:
        world.enroll(student, course)
    o = ou(world, course)
    api = SignedSession(world.base_url, world.d2l())
    made = api.post(f"{LP}/{o}/groupcategories/", json={
        "Name": "Pairs", "Description": {"Content": "Two by two", "Type": "Text"}, "EnrollmentStyle": 1,
        "EnrollmentQuantity": None, "AutoEnroll": True, "RandomizeEnrollments": False, "NumberOfGroups": None,
        "MaxUsersPerGroup": 2, "AllocateAfterExpiry": False, "SelfEnrollmentExpiryDate": None, "GroupPrefix": "Pair",
        "RestrictedByOrgUnitId": None, "DescriptionsVisibleToEnrolees": False})
    assert made.status_code == 200, made.text
    cid, gids = made.json()["GroupCategoryId"], made.json()["Groups"]

    canvas = world.canvas()
    category = canvas.get_group_category(cid)
    assert (category.name, category.group_limit, category.self_signup) == ("Pairs", 2, None)
    groups = list(category.get_groups())
    assert [(group_ou(world, g.id), g.name, g.members_count) for g in groups] == [
        (gids[0], "Pair 1", 2), (gids[1], "Pair 2", 2)]
    assert [g.id for g in groups] == [ref(world, gid) for gid in gids] != gids
    assert sorted(u.id for g in groups for u in g.get_users()) == sorted(s.id for s in students)

    extra = api.post(f"{LP}/{o}/groupcategories/{cid}/groups/", json={"Name": "Spare", "Code": "SPARE"})
    assert extra.status_code == 200, extra.text
    spare = extra.json()["GroupId"]
    assert api.get(f"{LP}/orgstructure/{spare}").json() == {
        "Identifier": str(spare), "Name": "Spare", "Code": "SPARE", "Path": "",
        "Type": {"Id": 4, "Code": "Group", "Name": "Group"}}
    in_canvas = ref(world, spare)
    mover = students[0]
    assert api.post(f"{LP}/{o}/groupcategories/{cid}/groups/{spare}/enrollments/", json={"UserId": mover.id}).ok
    assert [u.id for u in canvas.get_group(in_canvas).get_users()] == [mover.id]
    first = canvas.get_group(ref(world, gids[0]))
    assert mover.id not in [u.id for u in first.get_users()]  # one group of a set at a time
    assert api.delete(f"{LP}/{o}/groupcategories/{cid}/groups/{spare}/enrollments/{mover.id}").ok
    assert list(canvas.get_group(in_canvas).get_users()) == []

    made_by_canvas = canvas.get_course(course.id).create_group_category("Canvas pairs", self_signup="enabled")
    blue = made_by_canvas.create_group(name="Blue")
    read = api.get(f"{LP}/{o}/groupcategories/{made_by_canvas.id}").json()
    assert (read["Name"], read["EnrollmentStyle"], read["Groups"]) == (
        "Canvas pairs", 4, [group_ou(world, blue.id)])

    assert api.delete(f"{LP}/{o}/groupcategories/{cid}").status_code == 200
    assert [c.id for c in canvas.get_course(course.id).get_group_categories()] == [made_by_canvas.id]
    assert len(api.sent) == 7
    for url in api.sent:  # every call carried the five ID-key parameters
        assert set(parse_qs(urlsplit(url).query, keep_blank_values=True)) >= {"x_a", "x_b", "x_c", "x_d", "x_t"}
