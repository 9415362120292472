"""bbrest 0.5.0, unmodified, against the live server: a group set with groups in it, a group in no set,
students put in groups, listed, patched and deleted, the way a Learn integration drives groups."""

from __future__ import annotations

from sqlalchemy import select

from courseport.schema import CourseGroup, GroupMembership
from tests.clients.test_bbrest import bb, swagger_offline  # noqa: F401 - the fixtures


def _setup(bb):  # noqa: ANN001, ANN202
    assert bb.CreateCourse(payload={"courseId": "proj", "name": "Projects"}).status_code == 201
    for n in range(3):
        assert bb.CreateUser(payload={"userName": f"kid{n}", "password": "s3cret-pass",
                                      "name": {"given": "Kid", "family": str(n)}}).status_code == 201
        assert bb.CreateMembership(courseId="proj", userId=f"kid{n}", payload={}).status_code == 201


def test_bbrest_paths_are_the_v2_group_operations(bb):
    paths = {name: bb.functions[name]["path"] for name in (
        "GetGroupSets", "CreateGroupSetChild", "GetGroups", "CreateGroupMembership")}
    assert paths == {"GetGroupSets": "/learn/api/public/v2/courses/{courseId}/groups/sets",
                     "CreateGroupSetChild": "/learn/api/public/v2/courses/{courseId}/groups/sets/{groupId}/groups",
                     "GetGroups": "/learn/api/public/v2/courses/{courseId}/groups",
                     "CreateGroupMembership": "/learn/api/public/v2/courses/{courseId}/groups/{groupId}/users/{userId}"}


def test_bbrest_drives_sets_groups_and_members(world, bb):
    _setup(bb)
    made = bb.CreateGroupSet(courseId="proj", payload={"externalId": "teams", "name": "Teams",
                                                        "enrollment": {"type": "SelfEnrollment", "limit": 2}})
    assert made.status_code == 201, made.text
    team_set = made.json()
    for name in ("Red", "Blue", "Green"):
        child = bb.CreateGroupSetChild(courseId="proj", groupId="teams", payload={"name": name,
                                                                                  "externalId": name.lower()})
        assert child.status_code == 201 and child.json()["groupSetId"] == team_set["id"], child.text
    solo = bb.CreateGroup(courseId="proj", payload={"name": "Study club", "externalId": "club"})
    assert solo.status_code == 201 and "groupSetId" not in solo.json()

    children = bb.GetGroupSetChildren(courseId="proj", groupId="teams", params={"limit": 2})  # follows nextPage
    assert [g["name"] for g in children.json()["results"]] == ["Red", "Blue", "Green"]
    assert [g["name"] for g in bb.GetGroups(courseId="proj", params={"inGroupSet": "false"}).json()["results"]] == [
        "Study club"]
    assert [s["externalId"] for s in bb.GetGroupSets(courseId="proj").json()["results"]] == ["teams"]

    for group, user in (("red", "kid0"), ("red", "kid1"), ("club", "kid0"), ("blue", "kid2")):
        put = bb.CreateGroupMembership(courseId="proj", groupId=group, userId=user)
        assert put.status_code == 201, (group, user, put.text)
    moved = bb.CreateGroupMembership(courseId="proj", groupId="blue", userId="kid1")  # out of red, into blue
    assert moved.status_code == 201
    red = bb.GetGroupMemberships(courseId="proj", groupId="red", params={"expand": "user"}).json()["results"]
    assert [m["user"]["userName"] for m in red] == ["kid0"]
    assert bb.GetGroupMembership(courseId="proj", groupId="club", userId="kid0").json() == {"userId": red[0]["userId"]}

    patched = bb.UpdateGroup(courseId="proj", groupId="club", payload={"name": "Reading club",
                                                                        "availability": {"available": "No"}})
    assert patched.status_code == 200 and patched.json()["availability"] == {"available": "No"}
    renamed = bb.UpdateGroupSet(courseId="proj", groupId="teams", payload={"enrollment": {"limit": 4}})
    assert renamed.status_code == 200 and renamed.json()["enrollment"] == {"type": "SelfEnrollment", "limit": 4}
    assert bb.GetGroup(courseId="proj", groupId="red").json()["enrollment"] == {"type": "SelfEnrollment", "limit": 4}

    assert bb.DeleteGroupMembership(courseId="proj", groupId="blue", userId="kid2").status_code == 204
    assert bb.DeleteGroup(courseId="proj", groupId="club").status_code == 204
    assert bb.GetGroup(courseId="proj", groupId="club").json() == {"status": 404, "message": "Group not found"}
    assert bb.DeleteGroupSet(courseId="proj", groupId="teams").status_code == 204
    assert bb.GetGroups(courseId="proj").json() == {"results": []}
    with world.tx() as db:
        assert {g.workflow_state for g in db.scalars(select(CourseGroup))} == {"deleted"}
        assert db.scalars(select(GroupMembership)).all() == []
