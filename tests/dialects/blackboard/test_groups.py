"""Learn course groups over raw HTTP: exact Group (set and group) and GroupMembership bodies, every
group id form, refusals that name the field and store nothing, the rights of a student, and the same
rows through the Canvas face both ways."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from courseport.schema import CourseGroup, GroupCategory, GroupMembership

V2 = "/learn/api/public/v2"
FORBIDDEN = {"status": 403, "message": "User is not authorized to perform this operation"}


@pytest.fixture
def klass(world):
    """A course with a teacher and two students, each with a Learn token: (course, {login: (user, token)})."""
    course = world.course("Projects", course_code="proj")
    people = {}
    for login, etype in (("tina", "TeacherEnrollment"), ("ann", "StudentEnrollment"), ("bob", "StudentEnrollment")):
        user, _ = world.user_with_token(login)
        world.enroll(user, course, etype)
        people[login] = (user, world.blackboard_token(user))
    return course, people


def _path(course, rest: str = "") -> str:
    return f"{V2}/courses/_{course.id}_1/groups{rest}"


def _counts(world) -> tuple[int, int, int]:
    with world.tx() as db:
        return tuple(db.scalar(select(func.count()).select_from(m)) for m in (GroupCategory, CourseGroup,
                                                                             GroupMembership))


def _made(answer, status: int = 201) -> dict:
    assert answer.status_code == status, answer.text
    body = answer.json()
    assert body.pop("created").endswith("Z") and body.pop("modified").endswith("Z")
    return body


def _teacher(world, klass):
    return world.client(klass[1]["tina"][1])


def test_group_set_body_every_id_form_and_stored_row(world, klass):
    course, _ = klass
    with _teacher(world, klass) as learn:
        body = _made(learn.post(_path(course, "/sets"), json={
            "externalId": "teams", "name": "Teams", "description": "project teams",
            "availability": {"available": "SignupOnly"}, "enrollment": {"type": "SelfEnrollment", "limit": 3}}))
        assert body == {"id": body["id"], "externalId": "teams", "name": "Teams", "description": "project teams",
                        "availability": {"available": "SignupOnly"},
                        "enrollment": {"type": "SelfEnrollment", "limit": 3}, "uuid": body["uuid"]}
        for ref in (body["id"], "externalId:teams", f"uuid:{body['uuid']}"):
            got = learn.get(_path(course, f"/sets/{ref}"))
            assert (got.status_code, got.json()["id"]) == (200, body["id"]), ref
        plain = _made(learn.post(_path(course, "/sets"), json={"name": "Pairs"}))
        assert plain == {"id": plain["id"], "externalId": plain["uuid"], "name": "Pairs",
                         "availability": {"available": "Yes"}, "enrollment": {"type": "InstructorOnly"},
                         "uuid": plain["uuid"]}
        listed = learn.get(_path(course, "/sets"), params={"limit": 1})
        assert listed.json() == {"results": [learn.get(_path(course, f"/sets/{body['id']}")).json()],
                                 "paging": {"nextPage": f"{_path(course, '/sets')}?offset=1&limit=1"}}
    with world.tx() as db:
        row = db.get(GroupCategory, int(body["id"].split("_")[1]))
        assert (row.course_id, row.name, row.description, row.self_signup, row.group_limit, row.availability,
                row.external_id, row.role) == (course.id, "Teams", "project teams", "enabled", 3, "signup_only",
                                               "teams", None)


def test_groups_in_a_set_and_in_none_list_and_filter(world, klass):
    course, _ = klass
    with _teacher(world, klass) as learn:
        team_set = _made(learn.post(_path(course, "/sets"), json={"name": "Teams", "enrollment": {
            "type": "SelfEnrollment", "limit": 4}}))
        red = _made(learn.post(_path(course, f"/sets/{team_set['id']}/groups"), json={
            "name": "Red", "externalId": "red", "description": "the red team"}))
        assert red == {"id": red["id"], "externalId": "red", "groupSetId": team_set["id"], "name": "Red",
                       "description": "the red team", "availability": {"available": "Yes"},
                       "enrollment": {"type": "SelfEnrollment", "limit": 4}, "uuid": red["uuid"]}
        solo = _made(learn.post(_path(course), json={"name": "Study club", "availability": {"available": "No"},
                                                     "enrollment": {"type": "SelfEnrollment", "limit": 2}}))
        assert solo == {"id": solo["id"], "externalId": solo["uuid"], "name": "Study club",
                        "availability": {"available": "No"}, "enrollment": {"type": "SelfEnrollment", "limit": 2},
                        "uuid": solo["uuid"]}
        ids = lambda answer: [g["id"] for g in answer.json()["results"]]  # noqa: E731
        assert ids(learn.get(_path(course))) == [red["id"], solo["id"]]
        assert ids(learn.get(_path(course), params={"inGroupSet": "true"})) == [red["id"]]
        assert ids(learn.get(_path(course), params={"inGroupSet": "false"})) == [solo["id"]]
        assert ids(learn.get(_path(course, f"/sets/{team_set['id']}/groups"))) == [red["id"]]
        assert ids(learn.get(_path(course, "/sets"))) == [team_set["id"]]  # not the sets-less groups' category
        for ref in (red["id"], "externalId:red", f"uuid:{red['uuid']}"):
            got = learn.get(_path(course, f"/{ref}"))
            assert (got.status_code, got.json()["name"]) == (200, "Red"), ref
    with world.tx() as db:
        row = db.get(CourseGroup, int(solo["id"].split("_")[1]))
        category = db.get_one(GroupCategory, row.category_id)
        assert (row.join_level, row.max_membership, row.availability, category.role, category.name) == (
            "parent_context_auto_join", 2, "hidden", "imported", "Imported Groups")


def test_patch_then_delete_frees_the_external_id(world, klass):
    course, _ = klass
    with _teacher(world, klass) as learn:
        team_set = _made(learn.post(_path(course, "/sets"), json={"name": "Teams", "externalId": "teams"}))
        red = _made(learn.post(_path(course, f"/sets/{team_set['id']}/groups"), json={"name": "Red"}))
        patched = learn.patch(_path(course, "/sets/externalId:teams"), json={
            "name": "Squads", "availability": {"available": "No"}, "enrollment": {"limit": 5}})
        assert patched.status_code == 200 and (patched.json()["name"], patched.json()["availability"],
                                               patched.json()["enrollment"]) == (
            "Squads", {"available": "No"}, {"type": "InstructorOnly", "limit": 5})
        renamed = learn.patch(_path(course, f"/{red['id']}"), json={"name": "Crimson", "externalId": "crimson"})
        assert (renamed.status_code, renamed.json()["name"], renamed.json()["externalId"]) == (200, "Crimson",
                                                                                                 "crimson")
        assert learn.delete(_path(course, "/externalId:crimson")).status_code == 204
        assert learn.get(_path(course, f"/{red['id']}")).json() == {"status": 404, "message": "Group not found"}
        assert learn.delete(_path(course, f"/sets/{team_set['id']}")).status_code == 204
        assert learn.get(_path(course, f"/sets/{team_set['id']}")).json() == {
            "status": 404, "message": "Group set not found"}
        again = learn.post(_path(course, "/sets"), json={"name": "Teams", "externalId": "teams"})
        assert again.status_code == 201, again.text
    with world.tx() as db:
        states = [(c.name, c.workflow_state, c.external_id) for c in db.scalars(
            select(GroupCategory).order_by(GroupCategory.id))]
        assert states == [("Squads", "deleted", None), ("Teams", "active", "teams")]
        assert db.get_one(CourseGroup, int(red["id"].split("_")[1])).workflow_state == "deleted"


def test_memberships_put_get_list_conflict_delete(world, klass):
    course, people = klass
    ann, bob = people["ann"][0], people["bob"][0]
    with _teacher(world, klass) as learn:
        first = _made(learn.post(_path(course), json={"name": "One"}))
        second = _made(learn.post(_path(course), json={"name": "Two"}))
        put = learn.put(_path(course, f"/{first['id']}/users/_{ann.id}_1"))
        assert (put.status_code, put.json()) == (201, {"userId": f"_{ann.id}_1"})
        assert learn.put(_path(course, f"/{first['id']}/users/userName:bob")).status_code == 201
        assert learn.put(_path(course, f"/{second['id']}/users/userName:ann")).status_code == 201  # in both
        again = learn.put(_path(course, f"/{first['id']}/users/userName:ann"))
        assert (again.status_code, again.json()) == (409, {"status": 409,
                                                           "message": "The user is already enrolled in the group"})
        got = learn.get(_path(course, f"/{first['id']}/users/userName:ann"))
        assert (got.status_code, got.json()) == (200, {"userId": f"_{ann.id}_1"})
        listed = learn.get(_path(course, f"/{first['id']}/users"), params={"expand": "user", "limit": 1}).json()
        assert [m["user"]["userName"] for m in listed["results"]] == ["ann"] and "nextPage" in listed["paging"]
        assert learn.delete(_path(course, f"/{first['id']}/users/_{bob.id}_1")).status_code == 204
        gone = learn.get(_path(course, f"/{first['id']}/users/_{bob.id}_1"))
        assert gone.json() == {"status": 404, "message": "Group membership not found"}
        assert learn.delete(_path(course, f"/{first['id']}/users/_{bob.id}_1")).json() == {
            "status": 404, "message": "Group membership not found"}
    with world.tx() as db:
        rows = {(m.group_id, m.user_id) for m in db.scalars(select(GroupMembership))}
    number = lambda body: int(body["id"].split("_")[1])  # noqa: E731
    assert rows == {(number(first), ann.id), (number(second), ann.id)}


def test_refusals_name_the_field_and_store_nothing(world, klass):
    course, _ = klass
    with _teacher(world, klass) as learn:
        team_set = _made(learn.post(_path(course, "/sets"), json={"name": "Teams", "externalId": "teams"}))
        red = _made(learn.post(_path(course, f"/sets/{team_set['id']}/groups"), json={"name": "Red"}))
        before = _counts(world)
        refusals = [
            (learn.post(_path(course, "/sets"), json={"description": "no name"}), 400, "name is required"),
            (learn.post(_path(course, "/sets"), json={"name": "X", "availability": {"available": "Maybe"}}), 400,
             "availability.available must be one of Yes, No, SignupOnly, got 'Maybe'"),
            (learn.post(_path(course, "/sets"), json={"name": "X", "enrollment": {"type": "Lottery"}}), 400,
             "enrollment.type must be one of InstructorOnly, SelfEnrollment, got 'Lottery'"),
            (learn.post(_path(course, "/sets"), json={"name": "X", "enrollment": {"limit": 0}}), 400,
             "enrollment.limit must be 1 or more"),
            (learn.post(_path(course, "/sets"), json={"name": "X", "enrollment": {"limit": "3"}}), 400,
             "enrollment.limit must be an integer"),
            (learn.post(_path(course, "/sets"), json={"name": "X", "enrollment": {"signupSheet": {"showMembers": 1}}}),
             400, "enrollment.signupSheet.showMembers must be true or false"),
            (learn.post(_path(course, "/sets"), json={"name": "X", "enrollment": {"signupSheet": {"rows": 3}}}),
             400, "enrollment.signupSheet.rows is not a field that may be set"),
            (learn.post(_path(course, "/sets"), json={"name": "Teams"}), 400, "name has already been taken"),
            (learn.post(_path(course, "/sets"), json={"name": "X", "externalId": "teams"}), 409,
             "externalId 'teams' is already used in this course"),
            (learn.patch(_path(course, f"/sets/{team_set['id']}"), json={"enrollment": {"type": "SelfEnrollment"}}),
             400, "enrollment.type may be set only when the group is created"),
            (learn.post(_path(course, f"/sets/{team_set['id']}/groups"), json={"name": "B", "enrollment": {
                "limit": 2}}), 400, "enrollment.limit of a group in a set is its set's"),
            (learn.post(_path(course), json={"name": "  "}), 400, "name is required"),
            (learn.post(_path(course), json={"name": "S", "id": "_5_1"}), 400, "id is not a field that may be set"),
            (learn.patch(_path(course, f"/{red['id']}"), json={"externalId": ""}), 400,
             "externalId must be 1 to 256 characters long"),
            (learn.put(_path(course, f"/{red['id']}/users/userName:tina")), 201, None),
            (learn.put(_path(course, f"/{red['id']}/users/userName:admin")), 400,
             "userId must name a user enrolled in the group's course"),
        ]
        for answer, status, message in refusals:
            if message is not None:
                assert (answer.status_code, answer.json()) == (status, {"status": status, "message": message})
    categories, group_count, members = before
    assert _counts(world) == (categories, group_count, members + 1)  # only the teacher's own membership
    with world.tx() as db:
        assert (db.get_one(CourseGroup, int(red["id"].split("_")[1])).external_id,
                db.get_one(GroupCategory, int(team_set["id"].split("_")[1])).self_signup) == (red["uuid"], None)


def test_unknown_ids_and_other_courses_are_404(world, klass):
    course, _ = klass
    other = world.course("Other", course_code="other")
    with _teacher(world, klass) as learn:
        mine = _made(learn.post(_path(course), json={"name": "Mine"}))
        not_found = {"status": 404, "message": "Group not found"}
        assert learn.get(_path(course, "/_99999999_1")).json() == not_found
        assert learn.get(_path(course, "/name:Mine")).json() == not_found
        assert learn.get(_path(course, "/courseId:proj")).json() == not_found
        assert learn.get(_path(course, "/sets/courseId:proj")).json() == {"status": 404,
                                                                         "message": "Group set not found"}
        assert learn.get(_path(course, "/sets/_99999999_1")).json() == {"status": 404, "message": "Group set not found"}
        assert learn.get(f"{V2}/courses/courseId:nope/groups").json() == {"status": 404,
                                                                          "message": "Course not found"}
        with world.client(world.blackboard_token()) as admin:
            elsewhere = admin.get(_path(other, f"/{mine['id']}"))
            assert (elsewhere.status_code, elsewhere.json()) == (404, not_found)
            patched = admin.patch(_path(other, f"/{mine['id']}"), json={"name": "X"})
            assert (patched.status_code, patched.json()) == (404, not_found)
        assert learn.get(_path(course, f"/{mine['id']}/users/userName:nobody")).json() == {
            "status": 404, "message": "User not found"}
    with world.tx() as db:
        assert db.get_one(CourseGroup, int(mine["id"].split("_")[1])).name == "Mine"


def test_students_read_and_join_open_groups_but_manage_nothing(world, klass):
    course, people = klass
    with _teacher(world, klass) as learn:
        open_group = _made(learn.post(_path(course), json={"name": "Open", "enrollment": {
            "type": "SelfEnrollment", "limit": 1}}))
        closed = _made(learn.post(_path(course), json={"name": "Closed"}))
    before = _counts(world)
    with world.client(people["ann"][1]) as ann:
        assert [g["name"] for g in ann.get(_path(course)).json()["results"]] == ["Open"]  # not Closed: Learn's rule
        refused = [ann.post(_path(course, "/sets"), json={"name": "Mine"}),
                   ann.post(_path(course), json={"name": "Mine"}),
                   ann.patch(_path(course, f"/{closed['id']}"), json={"name": "Mine"}),
                   ann.delete(_path(course, f"/{closed['id']}")),
                   ann.put(_path(course, f"/{closed['id']}/users/userName:ann")),
                   ann.put(_path(course, f"/{open_group['id']}/users/userName:bob"))]
        assert [(r.status_code, r.json()) for r in refused] == [(403, FORBIDDEN)] * len(refused)
        assert _counts(world) == before
        joined = ann.put(_path(course, f"/{open_group['id']}/users/userName:ann"))
        assert (joined.status_code, joined.json()) == (201, {"userId": f"_{people['ann'][0].id}_1"})
    with world.client(people["bob"][1]) as bob:
        full = bob.put(_path(course, f"/{open_group['id']}/users/userName:bob"))
        assert (full.status_code, full.json()) == (409, {"status": 409, "message": "the group is full"})
        with _teacher(world, klass) as learn:
            hidden = _made(learn.post(_path(course), json={"name": "Hidden", "availability": {"available": "No"},
                                                           "enrollment": {"type": "SelfEnrollment"}}))
        refused = bob.put(_path(course, f"/{hidden['id']}/users/userName:bob"))
        assert (refused.status_code, refused.json()) == (403, FORBIDDEN)
    with world.tx() as db:
        assert [m.user_id for m in db.scalars(select(GroupMembership))] == [people["ann"][0].id]


def test_a_teacher_of_another_course_is_refused(world, klass):
    course, _ = klass
    with _teacher(world, klass) as learn:
        group = _made(learn.post(_path(course), json={"name": "Mine"}))
    stranger, _ = world.user_with_token("stranger")
    world.enroll(stranger, world.course("Elsewhere"), "TeacherEnrollment")
    before = _counts(world)
    with world.client(world.blackboard_token(stranger)) as learn:
        answers = [learn.get(_path(course)), learn.get(_path(course, f"/{group['id']}")),
                   learn.post(_path(course, "/sets"), json={"name": "Mine"}),
                   learn.delete(_path(course, f"/{group['id']}"))]
        assert [(a.status_code, a.json()) for a in answers] == [(403, FORBIDDEN)] * 4
    assert _counts(world) == before


def test_an_application_without_group_entitlements_reads_only(world, klass):
    from courseport.core.identity import oauth_clients
    from courseport.schema import User

    course, people = klass
    with world.tx() as db:
        client, secret = oauth_clients.register_client(db, db.get(User, people["tina"][0].id), "reader",
                                                       ["course.groups.VIEW"])
        key = client.key
    with world.client() as http:
        token = http.post("/learn/api/public/v1/oauth2/token", data={"grant_type": "client_credentials"},
                          auth=(key, secret)).json()["access_token"]
    with world.client(token) as learn:
        assert learn.get(_path(course, "/sets")).json() == {"results": []}
        refused = learn.post(_path(course, "/sets"), json={"name": "Teams"})
        assert (refused.status_code, refused.json()) == (403, FORBIDDEN)
    assert _counts(world) == (0, 0, 0)


def test_groups_cross_between_the_faces(world, klass):
    course, people = klass
    ann = people["ann"][0]
    with world.client(world.admin_token) as canvas:
        category = canvas.post(f"/api/v1/courses/{course.id}/group_categories",
                               data={"name": "Canvas set", "self_signup": "enabled", "group_limit": "2"}).json()
        group = canvas.post(f"/api/v1/group_categories/{category['id']}/groups", data={"name": "Blue"}).json()
        canvas.post(f"/api/v1/groups/{group['id']}/memberships", data={"user_id": str(ann.id)})
    with _teacher(world, klass) as learn:
        seen = learn.get(_path(course, f"/sets/_{category['id']}_1")).json()
        assert (seen["name"], seen["enrollment"], seen["externalId"]) == (
            "Canvas set", {"type": "SelfEnrollment", "limit": 2}, seen["uuid"])
        blue = learn.get(_path(course, f"/_{group['id']}_1")).json()
        assert (blue["name"], blue["groupSetId"]) == ("Blue", f"_{category['id']}_1")
        assert learn.get(_path(course, f"/_{group['id']}_1/users")).json() == {"results": [{"userId": f"_{ann.id}_1"}]}
        solo = _made(learn.post(_path(course), json={"name": "Solo", "description": "made on Learn"}))
        team_set = _made(learn.post(_path(course, "/sets"), json={"name": "Learn set"}))
        assert learn.put(_path(course, f"/{solo['id']}/users/userName:ann")).status_code == 201
    with world.client(world.admin_token) as canvas:
        categories = canvas.get(f"/api/v1/courses/{course.id}/group_categories").json()
        assert [(c["name"], c["role"]) for c in categories] == [
            ("Canvas set", None), ("Imported Groups", "imported"), ("Learn set", None)]
        assert categories[2]["id"] == int(team_set["id"].split("_")[1])
        shown = canvas.get(f"/api/v1/groups/{solo['id'].split('_')[1]}").json()
        assert (shown["name"], shown["description"], shown["group_category_id"], shown["members_count"]) == (
            "Solo", "made on Learn", categories[1]["id"], 1)


def test_an_external_id_a_concurrent_request_took_first_is_the_same_409(world, klass, monkeypatch):
    """The check reads before the insert; a twin committed in between is caught by the unique key."""
    from courseport.core.courses import groups

    course, _ = klass
    with _teacher(world, klass) as learn:
        _made(learn.post(_path(course), json={"name": "First", "externalId": "club"}))
        before = _counts(world)
        monkeypatch.setattr(groups, "check_record", lambda *args: None)  # as if the twin came after the check
        twin = learn.post(_path(course), json={"name": "Twin", "externalId": "club"})
        assert (twin.status_code, twin.json()) == (409, {"status": 409,
                                                         "message": "externalId 'club' is already used in this course"})
    assert _counts(world) == before


def test_lists_search_by_name_times_availability_members_and_sort(world, klass):
    from datetime import UTC, datetime

    course, _ = klass
    with _teacher(world, klass) as learn:
        for name, external, available in (("Alpha team", "a", "Yes"), ("beta team", "c", "No"), ("Gamma", "b", "Yes")):
            _made(learn.post(_path(course, "/sets"), json={"name": name, "externalId": external,
                                                           "availability": {"available": available}}))
        blue = _made(learn.post(_path(course, "/sets/externalId:b/groups"), json={"name": "Blue"}))
        _made(learn.post(_path(course, "/sets/externalId:b/groups"), json={"name": "azure"}))
        assert learn.put(_path(course, f"/{blue['id']}/users/userName:ann")).status_code == 201
        with world.tx() as db:  # made in one second: give them their own times
            for month, row in enumerate(db.scalars(select(GroupCategory).where(GroupCategory.role.is_(None))
                                                   .order_by(GroupCategory.id)), 1):
                row.created_at = row.updated_at = datetime(2026, month, 1, tzinfo=UTC)
            row = db.scalars(select(GroupCategory).where(GroupCategory.name == "beta team")).one()
            row.updated_at = datetime(2026, 4, 1, tzinfo=UTC)

        def names(rest: str = "/sets", **params) -> list[str]:  # noqa: ANN003
            answer = learn.get(_path(course, rest), params=params)
            assert answer.status_code == 200, answer.text
            return [g["name"] for g in answer.json()["results"]]

        assert names(name="al") == ["Alpha team"]  # startsWith, whatever the case
        assert names(name="TEAM", nameCompare="contains") == ["Alpha team", "beta team"]
        assert names(name="team", nameCompare="notContains") == ["Gamma"]
        assert names(name="gamma", nameCompare="equals") == ["Gamma"]
        assert names(name="gamma", nameCompare="notEquals") == ["Alpha team", "beta team"]
        assert names(sort="name(desc)") == ["Gamma", "beta team", "Alpha team"]
        assert names(sort="externalId") == ["Alpha team", "Gamma", "beta team"]
        assert names(modified="2026-03-15T00:00:00Z") == ["beta team"]
        assert names(created="2026-02-01T00:00:00Z") == ["beta team", "Gamma"]
        assert names(created="2026-02-01T00:00:00Z", createdCompare="lessThan") == ["Alpha team"]
        assert names(onlyAvailableGroupSets="true") == ["Alpha team", "Gamma"]
        assert names(nonEmptyGroupSets="true") == ["Gamma"]
        assert names("", sort="name") == ["azure", "Blue"]
        assert names("/sets/externalId:b/groups", name="b") == ["Blue"]
        assert names("", nonEmptyGroupSets="true") == ["Blue"]
        for params, message in (({"nameCompare": "like"}, "nameCompare must be one of equals, notEquals, contains, "
                                                          "notContains, startsWith, got 'like'"),
                                ({"sort": "created"}, "sort may name only name, externalId, got 'created'"),
                                ({"createdCompare": "before"},
                                 "createdCompare must be one of greaterOrEqual, lessThan, got 'before'")):
            answer = learn.get(_path(course, "/sets"), params=params)
            assert (answer.status_code, answer.json()) == (400, {"status": 400, "message": message})
