"""Learn course group rules beyond the bodies (test_groups.py has those): which groups a student sees,
a full group, the one "Imported Groups" category under concurrent first groups, sign-up sheets, and a
user unenrolled on the Learn face leaving the course's groups."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

from sqlalchemy import select

from courseport.schema import CourseGroup, GroupCategory, GroupMembership
from tests.dialects.blackboard.test_groups import _counts, _made, _path, _teacher, klass  # noqa: F401 - fixture
from tests.races import meeting

V1 = "/learn/api/public/v1"


def _names(answer) -> list[str]:
    assert answer.status_code == 200, answer.text
    return [g["name"] for g in answer.json()["results"]]


def _seen_setup(world, klass) -> dict[str, dict]:
    """Sets and groups of every kind, ann in "Lab 1": name -> Learn body."""
    course, _ = klass
    made: dict[str, dict] = {}
    with _teacher(world, klass) as learn:
        for name, body in (("Teams", {"enrollment": {"type": "SelfEnrollment"}}), ("Labs", {}),
                           ("Secret", {"enrollment": {"type": "SelfEnrollment"}, "availability": {"available": "No"}})):
            made[name] = _made(learn.post(_path(course, "/sets"), json={"name": name, **body}))
        for set_name, name, body in (("Teams", "Red", {}), ("Teams", "Veiled", {"availability": {"available": "No"}}),
                                     ("Labs", "Lab 1", {}), ("Labs", "Lab 2", {}), ("Secret", "Shadow", {})):
            made[name] = _made(learn.post(_path(course, f"/sets/{made[set_name]['id']}/groups"),
                                          json={"name": name, **body}))
        for name, body in (("Open", {"enrollment": {"type": "SelfEnrollment"}}), ("Closed", {}),
                           ("Hidden open", {"enrollment": {"type": "SelfEnrollment"},
                                            "availability": {"available": "No"}})):
            made[name] = _made(learn.post(_path(course), json={"name": name, **body}))
        assert learn.put(_path(course, f"/{made['Lab 1']['id']}/users/userName:ann")).status_code == 201
    return made


def test_a_student_sees_their_groups_and_the_open_ones_an_instructor_all(world, klass):
    course, people = klass
    made = _seen_setup(world, klass)
    every = ["Red", "Veiled", "Lab 1", "Lab 2", "Shadow", "Open", "Closed", "Hidden open"]
    with _teacher(world, klass) as learn:
        assert _names(learn.get(_path(course))) == every
        assert _names(learn.get(_path(course, f"/sets/{made['Labs']['id']}/groups"))) == ["Lab 1", "Lab 2"]
    with world.client(people["ann"][1]) as ann:
        assert _names(ann.get(_path(course))) == ["Red", "Lab 1", "Open"]
        assert _names(ann.get(_path(course), params={"inGroupSet": "false"})) == ["Open"]
        assert _names(ann.get(_path(course, f"/sets/{made['Labs']['id']}/groups"))) == ["Lab 1"]
        assert _names(ann.get(_path(course, f"/sets/{made['Secret']['id']}/groups"))) == []
        for name in ("Red", "Lab 1", "Open"):
            assert _made(ann.get(_path(course, f"/{made[name]['id']}")), 200) == made[name]
        assert ann.get(_path(course, f"/{made['Lab 1']['id']}/users")).json() == {
            "results": [{"userId": f"_{people['ann'][0].id}_1"}]}
        not_found = {"status": 404, "message": "Group not found"}
        for name in ("Veiled", "Lab 2", "Shadow", "Closed", "Hidden open"):
            for rest in ("", "/users", "/users/userName:ann"):
                answer = ann.get(_path(course, f"/{made[name]['id']}{rest}"))
                assert (answer.status_code, answer.json()) == (404, not_found), (name, rest)
        refused = ann.put(_path(course, f"/{made['Closed']['id']}/users/userName:ann"))  # writes refuse by right
        assert (refused.status_code, refused.json()["status"]) == (403, 403)
    with world.client(world.token(people["ann"][0])) as canvas:  # Canvas's rule: the course's groups
        listed = canvas.get(f"/api/v1/courses/{course.id}/groups")
        assert [g["name"] for g in listed.json()] == every
    with world.tx() as db:
        assert [(m.user_id, m.group_id) for m in db.scalars(select(GroupMembership))] == [
            (people["ann"][0].id, int(made["Lab 1"]["id"].split("_")[1]))]


def test_joining_a_full_group_is_409_on_learn_and_400_on_canvas(world, klass):
    course, people = klass
    with _teacher(world, klass) as learn:
        solo = _made(learn.post(_path(course), json={"name": "Pair", "enrollment": {"type": "SelfEnrollment",
                                                                                      "limit": 1}}))
        team_set = _made(learn.post(_path(course, "/sets"), json={"name": "Teams", "enrollment": {
            "type": "SelfEnrollment", "limit": 1}}))
        red = _made(learn.post(_path(course, f"/sets/{team_set['id']}/groups"), json={"name": "Red"}))
    with world.client(people["ann"][1]) as ann:
        for group in (solo, red):
            assert ann.put(_path(course, f"/{group['id']}/users/userName:ann")).status_code == 201
    before = _counts(world)
    with world.client(people["bob"][1]) as bob:
        for group in (solo, red):
            full = bob.put(_path(course, f"/{group['id']}/users/userName:bob"))
            assert (full.status_code, full.json()) == (409, {"status": 409, "message": "the group is full"})
    with world.client(world.token(people["bob"][0])) as canvas:
        full = canvas.post(f"/api/v1/groups/{red['id'].split('_')[1]}/memberships", data={"user_id": "self"})
        assert (full.status_code, full.json()) == (400, {"errors": [{"message": "the group is full",
                                                                     "field": "group_id"}]})
    assert _counts(world) == before


def _imported(world) -> list[tuple[int, int]]:
    """The live imported categories: (id, how many live groups)."""
    with world.tx() as db:
        rows = db.scalars(select(GroupCategory).where(GroupCategory.role == "imported",
                                                      GroupCategory.workflow_state != "deleted")).all()
        return [(c.id, len(db.scalars(select(CourseGroup).where(CourseGroup.category_id == c.id)).all()))
                for c in rows]


def test_two_first_standalone_groups_at_once_share_one_imported_category(world, klass, monkeypatch):
    """Both requests look for the category before either makes it (on PostgreSQL; SQLite's writes take
    turns, so there the second finds the first's): one category, both groups in it."""
    from courseport.core.courses import groups

    course, _ = klass
    monkeypatch.setattr(groups, "_find_imported", meeting(groups._find_imported, after=True))

    def create(name: str) -> int:
        with _teacher(world, klass) as learn:
            return learn.post(_path(course), json={"name": name}).status_code

    with ThreadPoolExecutor(2) as pool:
        assert list(pool.map(create, ["One", "Two"])) == [201, 201]
    assert [count for _, count in _imported(world)] == [2]


def test_an_imported_category_a_concurrent_request_made_first_is_used(world, klass, monkeypatch):
    """The look-up missed a twin committed after it: the unique index refuses a second category."""
    from courseport.core.courses import groups

    course, _ = klass
    with _teacher(world, klass) as learn:
        first = _made(learn.post(_path(course), json={"name": "First"}))
        real, calls = groups._find_imported, []

        def miss_once(db, course_id):  # noqa: ANN001, ANN202
            calls.append(course_id)
            return None if len(calls) == 1 else real(db, course_id)

        monkeypatch.setattr(groups, "_find_imported", miss_once)
        second = _made(learn.post(_path(course), json={"name": "Second"}))
    (category_id, count), = _imported(world)
    with world.tx() as db:
        assert {db.get_one(CourseGroup, int(g["id"].split("_")[1])).category_id for g in (first, second)} == {
            category_id}
    assert (count, len(calls)) == (2, 2)  # missed, refused by the index, read again


def test_a_signup_sheet_is_kept_shown_and_patched(world, klass):
    course, _ = klass
    sheet = {"name": "Sign up here", "description": "pick a <b>team</b>", "showMembers": True}
    with _teacher(world, klass) as learn:
        team_set = _made(learn.post(_path(course, "/sets"), json={
            "name": "Teams", "enrollment": {"type": "SelfEnrollment", "signupSheet": sheet}}))
        assert team_set["enrollment"] == {"type": "SelfEnrollment", "signupSheet": sheet}
        solo = _made(learn.post(_path(course), json={"name": "Solo", "enrollment": {"signupSheet": {"name": "S"}}}))
        assert solo["enrollment"] == {"type": "InstructorOnly", "signupSheet": {"name": "S"}}
        patched = learn.patch(_path(course, f"/{solo['id']}"), json={"enrollment": {"signupSheet": {
            "showMembers": False, "description": "d"}}})
        assert (patched.status_code, patched.json()["enrollment"]) == (200, {
            "type": "InstructorOnly", "signupSheet": {"name": "S", "description": "d", "showMembers": False}})
        cleared = learn.patch(_path(course, f"/sets/{team_set['id']}"), json={"enrollment": {"signupSheet": {
            "name": None, "description": None, "showMembers": None}}})
        assert (cleared.status_code, cleared.json()["enrollment"]) == (200, {"type": "SelfEnrollment"})
        assert learn.get(_path(course, f"/{solo['id']}")).json()["enrollment"]["signupSheet"] == {
            "name": "S", "description": "d", "showMembers": False}
    with world.tx() as db:
        assert db.get_one(CourseGroup, int(solo["id"].split("_")[1])).signup_sheet == {
            "name": "S", "description": "d", "show_members": False}
        assert db.get_one(GroupCategory, int(team_set["id"].split("_")[1])).signup_sheet is None


def test_a_user_unenrolled_on_learn_leaves_the_course_groups(world, klass):
    course, people = klass
    ann, bob = people["ann"][0], people["bob"][0]
    with _teacher(world, klass) as learn:
        team_set = _made(learn.post(_path(course, "/sets"), json={"name": "Teams"}))
        red = _made(learn.post(_path(course, f"/sets/{team_set['id']}/groups"), json={"name": "Red"}))
        solo = _made(learn.post(_path(course), json={"name": "Solo"}))
        for group in (red, solo):
            for login in ("ann", "bob"):
                assert learn.put(_path(course, f"/{group['id']}/users/userName:{login}")).status_code == 201
    with world.client(world.blackboard_token()) as admin:
        gone = admin.delete(f"{V1}/courses/_{course.id}_1/users/userName:ann")
        assert gone.status_code == 204, gone.text
    with _teacher(world, klass) as learn:
        for group in (red, solo):
            assert learn.get(_path(course, f"/{group['id']}/users")).json() == {"results": [{"userId": f"_{bob.id}_1"}]}
            assert learn.get(_path(course, f"/{group['id']}/users/_{ann.id}_1")).json() == {
                "status": 404, "message": "Group membership not found"}
    with world.tx() as db:
        assert {m.user_id for m in db.scalars(select(GroupMembership))} == {bob.id}
