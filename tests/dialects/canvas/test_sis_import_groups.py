"""SIS group_categories.csv, groups.csv and group_memberships.csv over raw HTTP: what each row makes, changes
and deletes in the course's groups (read back through Canvas's groups API and the store), and every row
problem a warning naming its file, row and column."""

from __future__ import annotations

from sqlalchemy import select

from courseport.schema import Course, CourseGroup, GroupCategory, GroupMembership, Login
from tests.dialects.canvas import sis_csv
from tests.dialects.canvas.test_sis_imports import NO_CHANGES, NO_COUNTS, UNTOUCHED_CLASSES

ROSTER = sis_csv.zip_of(sis_csv.ALL)
CATEGORIES = ("group_category_id,account_id,course_id,category_name,status\n"
              "GC1,,BIO101,Projects,active\n"
              "GC2,,NOPE,Ghost,active\n"
              "GC3,SCI,,Account level,active\n"
              "GC4,,BIO101,Projects,active\n"
              "GC5,,BIO101,Labs,frozen\n")
GROUPS = ("group_id,group_category_id,account_id,course_id,name,status\n"
          "G1,GC1,,,Team 1,available\n"
          "G2,,,BIO101,Loose,available\n"
          "G3,GCX,,,Ghost,available\n"
          "G4,GC1,,,,available\n")
MEMBERS = ("group_id,user_id,status\n"
           "G1,u1,accepted\n"
           "G1,u2,accepted\n"
           "G2,u1,accepted\n"
           "G1,ghost,accepted\n"
           "G9,u1,accepted\n")


def _run(world, files: dict[str, str], name: str = "groups.zip") -> dict:
    with world.client(world.admin_token) as c:
        return sis_csv.imported(world, c, sis_csv.zip_of(files), name)


def _members(world) -> dict[str, list[str]]:
    with world.tx() as db:
        rows = db.execute(select(CourseGroup.sis_source_id, Login.sis_user_id)
                          .join(GroupMembership, GroupMembership.group_id == CourseGroup.id)
                          .join(Login, Login.user_id == GroupMembership.user_id)).all()
    found: dict[str, list[str]] = {}
    for group, user in rows:
        found.setdefault(group, []).append(user)
    return {group: sorted(users) for group, users in found.items()}


def test_group_categories_groups_and_memberships_whole(world):
    _run(world, sis_csv.ALL, "roster.zip")
    files = {"group_memberships.csv": MEMBERS, "groups.csv": GROUPS, "group_categories.csv": CATEGORIES}
    done = _run(world, files)
    assert done == {
        **done, "workflow_state": "imported_with_messages", "progress": 100, "processing_errors": [],
        "data": {"import_type": "instructure_csv", "supplied_batches": ["group_category", "group", "group_membership"],
                 "counts": {**NO_COUNTS, "group_categories": 1, "groups": 2, "group_memberships": 3,
                            "warning_count": 8}},
        "statistics": {"total_state_changes": 6, "Account": NO_CHANGES, "EnrollmentTerm": NO_CHANGES,
                       "Pseudonym": NO_CHANGES, "Course": NO_CHANGES, "CourseSection": NO_CHANGES,
                       "Enrollment": NO_CHANGES, **UNTOUCHED_CLASSES, "GroupCategory": {**NO_CHANGES, "created": 1},
                       "Group": {**NO_CHANGES, "created": 2}, "GroupMembership": {**NO_CHANGES, "created": 3}},
        "processing_warnings": [
            ["group_categories.csv", 'Course not found "NOPE" for group category GC2 (row 3, column course_id)'],
            ["group_categories.csv", "Account-level group categories and groups are not supported by this import; "
                                     "no course_id given for group category GC3 (row 4, column account_id)"],
            ["group_categories.csv", "name has already been taken (row 5, column category_name)"],
            ["group_categories.csv", 'Improper status "frozen" for group category GC5; status must be one of '
                                     "active, deleted (row 6, column status)"],
            ["groups.csv", 'Group category not found "GCX" for group G3 (row 4, column group_category_id)'],
            ["groups.csv", "No name given for group G4 (row 5, column name)"],
            ["group_memberships.csv", "User not found for group membership (Group ID: G1, User ID: ghost) "
                                      "(row 5, column user_id)"],
            ["group_memberships.csv", "Group not found for group membership (Group ID: G9, User ID: u1) "
                                      "(row 6, column group_id)"]]}
    with world.tx() as db:
        course = db.scalar(select(Course.id).where(Course.sis_course_id == "BIO101"))
        category = db.scalar(select(GroupCategory).where(GroupCategory.sis_source_id == "GC1"))
        loose = db.scalar(select(CourseGroup).where(CourseGroup.sis_source_id == "G2"))
        assert (category.name, category.course_id, category.sis_import_id) == ("Projects", course, done["id"])
        assert db.get(GroupCategory, loose.category_id).role == "imported"
    with world.client(world.admin_token) as c:
        sets = c.get(f"/api/v1/courses/{course}/group_categories").json()
        in_set = c.get(f"/api/v1/group_categories/{category.id}/groups").json()
        members = c.get(f"/api/v1/groups/{in_set[0]['id']}/users").json()
    assert [(s["name"], s["role"]) for s in sets] == [("Projects", None), ("Imported Groups", "imported")]
    assert [(g["name"], g["members_count"]) for g in in_set] == [("Team 1", 2)]
    assert sorted(m["name"] for m in members) == ["Alice Smith", "Bob Jones"]
    assert _members(world) == {"G1": ["u1", "u2"], "G2": ["u1"]}
    again = _run(world, files)  # the same rows again: the same state
    assert (again["data"]["counts"]["group_memberships"], again["statistics"]["GroupMembership"]) == (3, NO_CHANGES)
    assert _members(world) == {"G1": ["u1", "u2"], "G2": ["u1"]}


def test_renames_moves_between_groups_and_deletes(world):
    _run(world, sis_csv.ALL, "roster.zip")
    _run(world, {"group_categories.csv": CATEGORIES, "groups.csv": GROUPS + "G5,GC1,,,Team 2,available\n",
                 "group_memberships.csv": MEMBERS})
    done = _run(world, {
        "group_categories.csv": "group_category_id,course_id,category_name,status\nGC1,BIO101,Projects 2,active\n",
        "groups.csv": "group_id,group_category_id,course_id,name,status\nG1,GC1,,Team One,available\n"
                      "G2,,BIO101,Loose,deleted\nG2,,BIO101,Loose,deleted\nG5,GC1,ZOO,Team 2,available\n",
        "group_memberships.csv": "group_id,user_id,status\nG5,u1,accepted\nG1,u2,deleted\nG1,u2,deleted\n"
                                 "G1,t1,maybe\n"})
    assert done["processing_warnings"] == [
        ["groups.csv", 'Course not found "ZOO" for group G5 (row 5, column course_id)'],
        ["group_memberships.csv", 'Improper status "maybe" for group membership (Group ID: G1, User ID: t1); status '
                                  "must be one of accepted, deleted (row 5, column status)"]]
    assert (done["data"]["counts"]["group_categories"], done["data"]["counts"]["groups"],
            done["data"]["counts"]["group_memberships"]) == (1, 2, 2)
    assert (done["statistics"]["Group"], done["statistics"]["GroupMembership"]) == (
        {**NO_CHANGES, "deleted": 1}, {**NO_CHANGES, "created": 1, "deleted": 1})
    assert _members(world) == {"G5": ["u1"]}  # u1 left Team One for Team 2 (one group of a set at a time)
    with world.tx() as db:
        assert db.scalar(select(GroupCategory.name).where(GroupCategory.sis_source_id == "GC1")) == "Projects 2"
        names = dict(db.execute(select(CourseGroup.sis_source_id, CourseGroup.name)).all())
        assert names == {"G1": "Team One", "G2": "Loose", "G5": "Team 2"}
        assert db.scalar(select(CourseGroup.workflow_state).where(CourseGroup.sis_source_id == "G2")) == "deleted"
    gone = _run(world, {"group_categories.csv": "group_category_id,course_id,category_name,status\n"
                                                "GC1,BIO101,Projects 2,deleted\n"})
    assert (gone["statistics"]["GroupCategory"]["deleted"], _members(world)) == (1, {})
    with world.tx() as db:
        states = set(db.scalars(select(CourseGroup.workflow_state).where(CourseGroup.category_id == db.scalar(
            select(GroupCategory.id).where(GroupCategory.sis_source_id == "GC1")))))
        assert states == {"deleted"}
