"""SIS ids of group categories and groups over raw HTTP: the ids an SIS import gave them shown (with the
import's id) to admins of the root account on every route that renders one, and left out for a teacher, as
Canvas includes them only for those who read SIS data; `sis_group_id` and `sis_group_category_id` set on
create and edit by admins, refused (groups) or ignored (categories) for others, and a taken id refused in
Canvas's record-errors shape, with the stored state after each call."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

from sqlalchemy import func, select

from courseport.core.courses import group_sis
from courseport.schema import Course, CourseGroup, GroupCategory, Login, User
from tests.dialects.canvas import sis_csv
from tests.races import meeting

GROUP_FILES = {
    "group_categories.csv": "group_category_id,course_id,category_name,status\nGC1,BIO101,Projects,active\n",
    "groups.csv": "group_id,group_category_id,course_id,name,status\nG1,GC1,,Team 1,available\n"
                  "G2,,BIO101,Loose,available\n",
    "group_memberships.csv": "group_id,user_id,status\nG1,t1,accepted\n"}
TAKEN = {"sis_source_id": [{"attribute": "sis_source_id", "type": "taken",
                            "message": "sis_source_id has already been taken"}]}


def _imported(world) -> dict:
    """The roster and the groups imported; the ids the tests need, and a token for Tess (t1), BIO101's teacher."""
    with world.client(world.admin_token) as c:
        sis_csv.imported(world, c, sis_csv.zip_of(sis_csv.ALL), "roster.zip")
        done = sis_csv.imported(world, c, sis_csv.zip_of(GROUP_FILES), "groups.zip")
    assert done["workflow_state"] == "imported", done
    with world.tx() as db:
        ids = {"import": done["id"], "course": db.scalar(select(Course.id).where(Course.sis_course_id == "BIO101"))}
        for sis_id in ("GC1", "G1", "G2"):
            model = GroupCategory if sis_id.startswith("GC") else CourseGroup
            ids[sis_id] = db.scalar(select(model.id).where(model.sis_source_id == sis_id))
        ids["imported_set"] = db.get_one(CourseGroup, ids["G2"]).category_id
        teacher = db.scalar(select(User).join(Login, Login.user_id == User.id).where(Login.sis_user_id == "t1"))
    ids["teacher_token"] = world.token(teacher)
    return ids


def _category(ids: dict, sis: bool, **fields) -> dict:
    body = {"id": ids["GC1"], "name": "Projects", "role": None, "self_signup": None, "auto_leader": None,
            "context_type": "Course", "course_id": ids["course"], "group_limit": None}
    if sis:
        body |= {"sis_group_category_id": "GC1", "sis_import_id": ids["import"]}
    return body | {"progress": None, "non_collaborative": False} | fields


def _group(ids: dict, sis_id: str, sis: bool, **fields) -> dict:
    body = {"id": ids[sis_id], "name": "Team 1", "description": None, "is_public": False, "followed_by_user": False,
            "join_level": "invitation_only", "members_count": 1, "avatar_url": None, "context_type": "Course",
            "course_id": ids["course"], "role": None, "group_category_id": ids["GC1"]}
    if sis:
        body |= {"sis_group_id": sis_id, "sis_import_id": ids["import"]}
    return body | {"storage_quota_mb": 50} | fields


def _reads(world, token: str, ids: dict) -> dict:
    with world.client(token) as c:
        answers = {"category": c.get(f"/api/v1/group_categories/{ids['GC1']}"),
                   "categories": c.get(f"/api/v1/courses/{ids['course']}/group_categories"),
                   "in_set": c.get(f"/api/v1/group_categories/{ids['GC1']}/groups"),
                   "course_groups": c.get(f"/api/v1/courses/{ids['course']}/groups"),
                   "group": c.get(f"/api/v1/groups/{ids['G1']}"),
                   "mine": c.get("/api/v1/users/self/groups")}
    assert {name: r.status_code for name, r in answers.items()} == dict.fromkeys(answers, 200)
    return {name: r.json() for name, r in answers.items()}


def test_admins_see_the_imported_sis_ids_and_a_teacher_does_not(world):
    ids = _imported(world)
    world.enroll(world.admin, world_course(world, ids), "TeacherEnrollment")
    with world.client(world.admin_token) as c:  # the admin joins Loose, so their own groups list one
        assert c.post(f"/api/v1/groups/{ids['G2']}/memberships", data={"user_id": "self"}).status_code == 200
    loose = {"name": "Loose", "group_category_id": ids["imported_set"]}
    imported_set = {"id": ids["imported_set"], "name": "Imported Groups", "role": "imported"}

    admin = _reads(world, world.admin_token, ids)
    assert admin["category"] == _category(ids, True)
    assert admin["categories"] == [_category(ids, True), _category(
        ids, False, **imported_set, sis_group_category_id=None, sis_import_id=None)]
    assert admin["in_set"] == [_group(ids, "G1", True)] and admin["group"] == _group(ids, "G1", True)
    assert admin["course_groups"] == [_group(ids, "G1", True), _group(ids, "G2", True, **loose)]
    assert admin["mine"] == [_group(ids, "G2", True, **loose)]

    teacher = _reads(world, ids["teacher_token"], ids)
    assert teacher["category"] == _category(ids, False)
    assert teacher["categories"] == [_category(ids, False), _category(ids, False, **imported_set)]
    assert teacher["in_set"] == [_group(ids, "G1", False)] and teacher["group"] == _group(ids, "G1", False)
    assert teacher["course_groups"] == [_group(ids, "G1", False), _group(ids, "G2", False, **loose)]
    assert teacher["mine"] == [_group(ids, "G1", False)]  # Tess is in Team 1 by the import


def world_course(world, ids: dict):
    with world.tx() as db:
        return db.get_one(Course, ids["course"])


def _stored(world, model, row_id: int) -> tuple[str | None, int | None]:
    with world.tx() as db:
        row = db.get_one(model, row_id)
        return row.sis_source_id, row.sis_import_id


def _count(world, model) -> int:
    with world.tx() as db:
        return db.scalar(select(func.count()).select_from(model).where(model.workflow_state != "deleted"))


def test_admins_set_group_sis_ids_teachers_are_refused(world):
    ids = _imported(world)
    base = f"/api/v1/group_categories/{ids['GC1']}/groups"
    with world.client(world.admin_token) as c:
        made = c.post(base, data={"name": "Team 2", "sis_group_id": "G-NEW"})
        taken = c.post(base, data={"name": "Team 3", "sis_group_id": "G1"})
        moved = c.put(f"/api/v1/groups/{made.json()['id']}", data={"sis_group_id": "G-MOVED"})
        taken_on_edit = c.put(f"/api/v1/groups/{made.json()['id']}", data={"sis_group_id": "G2"})
    new = made.json()["id"]
    assert (made.status_code, made.json()) == (200, {
        "id": new, "name": "Team 2", "description": None, "is_public": False, "followed_by_user": False,
        "join_level": "invitation_only", "members_count": 0, "avatar_url": None, "context_type": "Course",
        "course_id": ids["course"], "role": None, "group_category_id": ids["GC1"], "sis_group_id": "G-NEW",
        "sis_import_id": None, "storage_quota_mb": 50})
    assert (taken.status_code, taken.json()) == (400, {"errors": TAKEN})
    assert (taken_on_edit.status_code, taken_on_edit.json()) == (400, {"errors": TAKEN})
    assert (moved.status_code, moved.json()["sis_group_id"]) == (200, "G-MOVED")
    assert _stored(world, CourseGroup, new) == ("G-MOVED", None) and _count(world, CourseGroup) == 3

    with world.client(ids["teacher_token"]) as c:
        refused = c.post(base, data={"name": "Team 4", "sis_group_id": "G-T"})
        refused_edit = c.put(f"/api/v1/groups/{ids['G1']}", data={"name": "Renamed", "sis_group_id": "G-T"})
        renamed = c.put(f"/api/v1/groups/{ids['G1']}", data={"name": "Renamed"})
    assert (refused.status_code, refused.json()) == (403, {"status": "unauthorized", "errors": [
        {"message": "You must have manage_sis permission to set sis attributes"}]})
    assert (refused_edit.status_code, refused_edit.json()) == (403, {"status": "unauthorized", "errors": [
        {"message": "You must have manage_sis permission to update sis attributes"}]})
    assert (renamed.status_code, renamed.json()) == (200, _group(ids, "G1", False, name="Renamed"))
    assert _stored(world, CourseGroup, ids["G1"]) == ("G1", ids["import"]) and _count(world, CourseGroup) == 3

    with world.client(world.admin_token) as c:
        cleared = c.put(f"/api/v1/groups/{new}", data={"sis_group_id": ""})
        c.delete(f"/api/v1/groups/{ids['G2']}")
        reused = c.post(base, data={"name": "Team 5", "sis_group_id": "G2"})  # a deleted group's id is free
    assert (cleared.status_code, cleared.json()["sis_group_id"]) == (200, None)
    assert _stored(world, CourseGroup, new) == (None, None)
    assert (reused.status_code, _stored(world, CourseGroup, reused.json()["id"])) == (200, ("G2", None))


def test_admins_set_category_sis_ids_and_others_are_ignored(world):
    ids = _imported(world)
    base = f"/api/v1/courses/{ids['course']}/group_categories"
    with world.client(world.admin_token) as c:
        made = c.post(base, data={"name": "Labs", "sis_group_category_id": "GC-LABS"})
        taken = c.post(base, data={"name": "Seminars", "sis_group_category_id": "GC1"})
        edited = c.put(f"/api/v1/group_categories/{made.json()['id']}", data={"sis_group_category_id": "GC-L2"})
        taken_on_edit = c.put(f"/api/v1/group_categories/{made.json()['id']}",
                              data={"name": "Labs 2", "sis_group_category_id": "GC1"})
    labs = made.json()["id"]
    assert (made.status_code, made.json()) == (200, {
        "id": labs, "name": "Labs", "role": None, "self_signup": None, "auto_leader": None, "context_type": "Course",
        "course_id": ids["course"], "group_limit": None, "sis_group_category_id": "GC-LABS", "sis_import_id": None,
        "progress": None, "non_collaborative": False})
    assert [(r.status_code, r.json()) for r in (taken, taken_on_edit)] == [(400, {"errors": TAKEN})] * 2
    assert (edited.status_code, edited.json()["sis_group_category_id"]) == (200, "GC-L2")
    with world.tx() as db:
        assert (db.get_one(GroupCategory, labs).name, db.get_one(GroupCategory, labs).sis_source_id) == (
            "Labs", "GC-L2")  # the refused edit changed nothing
    assert _count(world, GroupCategory) == 3

    with world.client(ids["teacher_token"]) as c:
        mine = c.post(base, data={"name": "Mine", "sis_group_category_id": "GC-T"})
        edited = c.put(f"/api/v1/group_categories/{ids['GC1']}", data={"name": "Projects 2",
                                                                       "sis_group_category_id": "GC-T"})
    assert (mine.status_code, mine.json()) == (200, {
        "id": mine.json()["id"], "name": "Mine", "role": None, "self_signup": None, "auto_leader": None,
        "context_type": "Course", "course_id": ids["course"], "group_limit": None, "progress": None,
        "non_collaborative": False})
    assert (edited.status_code, edited.json()) == (200, _category(ids, False, name="Projects 2"))
    assert _stored(world, GroupCategory, mine.json()["id"]) == (None, None)
    assert _stored(world, GroupCategory, ids["GC1"]) == ("GC1", ids["import"])


def test_two_groups_made_at_once_with_one_sis_id_one_is_refused(world, monkeypatch):
    ids = _imported(world)
    # both past the account lock's place, then the look-up of the id's holder
    monkeypatch.setattr(group_sis, "holder", meeting(group_sis.holder))

    def make(n: int) -> int:
        with world.client(world.admin_token) as c:
            return c.post(f"/api/v1/group_categories/{ids['GC1']}/groups",
                          data={"name": f"Twin {n}", "sis_group_id": "TWIN"}).status_code

    with ThreadPoolExecutor(2) as pool:
        assert sorted(pool.map(make, [1, 2])) == [200, 400]
    with world.tx() as db:
        assert db.scalar(select(func.count()).select_from(CourseGroup).where(CourseGroup.sis_source_id == "TWIN")) == 1
