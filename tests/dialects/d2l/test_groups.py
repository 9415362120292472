"""Valence group categories, groups and group enrollments, signed by d2lvalence: exact blocks, the rows
stored after each call, auto-enrollment, limits, rights, bad input and unknown ids."""

from __future__ import annotations

from sqlalchemy import func, select

from courseport.core.courses import org_units
from courseport.schema import Course, CourseGroup, GroupCategory, GroupMembership
from tests.clients.test_d2lvalence import SignedSession
from tests.dialects.d2l.org_ids import group_ou, ou, ref

LP = "/d2l/api/lp/1.4"
NONE = {"Text": "", "Html": ""}


def problem(status: int, detail: str) -> dict:
    title = {400: "Bad Request", 403: "Forbidden", 404: "Not Found"}[status]
    return {"type": "about:blank", "title": title, "status": status, "detail": detail}


FORBIDDEN = problem(403, "No permission to perform this action.")


def category_block(name: str = "Projects", style: int | str = 0, **extra) -> dict:
    return {"Name": name, "Description": {"Content": "Work <b>together</b>", "Type": "Html"},
            "EnrollmentStyle": style, "EnrollmentQuantity": None, "AutoEnroll": False, "RandomizeEnrollments": False,
            "NumberOfGroups": 3, "MaxUsersPerGroup": None, "AllocateAfterExpiry": False,
            "SelfEnrollmentExpiryDate": None, "GroupPrefix": None, "RestrictedByOrgUnitId": None,
            "DescriptionsVisibleToEnrolees": False, **extra}


def expected_category(cid: int, groups: list[int], **changed) -> dict:
    return {"GroupCategoryId": cid, "Name": "Projects",
            "Description": {"Text": "Work together", "Html": "Work <b>together</b>"}, "EnrollmentStyle": 0,
            "EnrollmentQuantity": None, "MaxUsersPerGroup": None, "AutoEnroll": False, "RandomizeEnrollments": False,
            "Groups": groups, "AllocateAfterExpiry": False, "SelfEnrollmentExpiryDate": None,
            "RestrictedByOrgUnitId": None, "DescriptionsVisibleToEnrolees": False, **changed}


def stored(world, category_id: int) -> tuple[GroupCategory, list[tuple[str, str]], dict[int, list[int]]]:
    """The category row, its live groups (name, state) and each group's members, by the group's org unit id."""
    with world.tx() as db:
        category = db.get_one(GroupCategory, category_id)
        rows = db.scalars(select(CourseGroup).where(CourseGroup.category_id == category_id)
                          .order_by(CourseGroup.id)).all()
        members = {org_units.org_unit_id_of(db, org_units.GROUP, g.id): list(db.scalars(
            select(GroupMembership.user_id).where(GroupMembership.group_id == g.id).order_by(GroupMembership.user_id)))
            for g in rows}
        return category, [(g.name, g.workflow_state) for g in rows], members


def setup(world, students: int = 0):  # noqa: ANN201
    course = world.course("Biology")
    teacher = world.user(f"teacher{course.id}")
    world.enroll(teacher, course, "TeacherEnrollment")
    learners = [world.user(f"s{course.id}x{n}") for n in range(students)]
    for learner in learners:
        world.enroll(learner, course)
    return course, ou(world, course), teacher, learners


def test_category_create_read_list_update_delete(world):
    course, o, teacher, _ = setup(world)
    api = SignedSession(world.base_url, world.d2l(teacher))
    made = api.post(f"{LP}/{o}/groupcategories/", json=category_block(GroupPrefix="Team"))
    assert made.status_code == 200, made.text
    cid = made.json()["GroupCategoryId"]
    category, rows, members = stored(world, cid)
    gids = list(members)
    assert made.json() == expected_category(cid, gids)
    assert rows == [("Team 1", "available"), ("Team 2", "available"), ("Team 3", "available")]
    assert (category.course_id, category.self_signup, category.group_limit, category.description) == (
        course.id, None, None, "Work <b>together</b>")
    assert category.placement == {"style": "manual_by_count", "auto_enroll": False, "randomize": False,
                                  "quantity": None, "self_signup_ends_at": None, "allocate_after_expiry": False,
                                  "group_prefix": "Team", "descriptions_visible": False}
    assert api.get(f"{LP}/{o}/groupcategories/").json() == [made.json()]
    assert api.get(f"{LP}/{o}/groupcategories/{cid}").json() == made.json()

    changed = api.put(f"{LP}/{o}/groupcategories/{cid}", json={
        **made.json(), "Name": "Labs", "Description": {"Content": "Bench work", "Type": "Text"},
        "MaxUsersPerGroup": 4, "RandomizeEnrollments": True, "SelfEnrollmentExpiryDate": "2027-01-31T12:00:00.000Z",
        "DescriptionsVisibleToEnrolees": True})
    assert changed.status_code == 200, changed.text
    assert changed.json() == expected_category(
        cid, gids, Name="Labs", Description={"Text": "Bench work", "Html": "Bench work"}, MaxUsersPerGroup=4,
        RandomizeEnrollments=True, SelfEnrollmentExpiryDate="2027-01-31T12:00:00.000Z",
        DescriptionsVisibleToEnrolees=True)
    category, _, _ = stored(world, cid)
    assert (category.name, category.group_limit, category.placement["self_signup_ends_at"]) == (
        "Labs", 4, "2027-01-31T12:00:00+00:00")
    as_read = api.put(f"{LP}/{o}/groupcategories/{cid}", json={**changed.json(), "Name": "Lost"})
    assert (as_read.status_code, as_read.json()) == (400, problem(
        400, "Description must be a RichTextInput {Content, Type: Text or Html}."))  # RichText is no input
    assert stored(world, cid)[0].description == "Bench work"
    assert api.get(f"{LP}/{o}/groupcategories/{cid}").json() == changed.json()

    gone = api.delete(f"{LP}/{o}/groupcategories/{cid}")
    assert (gone.status_code, gone.content) == (200, b"")
    category, rows, _ = stored(world, cid)
    assert category.workflow_state == "deleted" and {state for _, state in rows} == {"deleted"}
    again = api.get(f"{LP}/{o}/groupcategories/{cid}")
    assert (again.status_code, again.json()) == (404, problem(404, "The specified group category does not exist."))
    assert api.get(f"{LP}/{o}/groupcategories/").json() == []
    assert api.delete(f"{LP}/{o}/groupcategories/{cid}").status_code == 404


def test_groups_create_read_update_delete(world):
    _, o, teacher, (sam,) = setup(world, 1)
    api = SignedSession(world.base_url, world.d2l(teacher))
    cid = api.post(f"{LP}/{o}/groupcategories/", json=category_block(NumberOfGroups=1)).json()["GroupCategoryId"]
    made = api.post(f"{LP}/{o}/groupcategories/{cid}/groups/", json={
        "Name": "Red", "Code": "RED-1", "Description": {"Content": "<p>Reds</p>", "Type": "Html"}})
    assert made.status_code == 200, made.text
    gid = made.json()["GroupId"]
    row_id = ref(world, gid)  # the group's own id, which the Canvas face names it by
    assert made.json() == {"GroupId": gid, "Name": "Red", "Code": "RED-1",
                           "Description": {"Text": "Reds", "Html": "<p>Reds</p>"}, "Enrollments": []}
    with world.tx() as db:
        row = db.get_one(CourseGroup, row_id)
        assert (row.category_id, row.name, row.external_id, row.description) == (cid, "Red", "RED-1", "<p>Reds</p>")
    listed = api.get(f"{LP}/{o}/groupcategories/{cid}/groups/").json()
    assert [g["Name"] for g in listed] == ["Projects 1", "Red"] and listed[1] == made.json()
    assert listed[0]["Code"] == ""  # a group made without a code shows none (its uuid stands for it)
    assert api.get(f"{LP}/{o}/groupcategories/{cid}").json()["Groups"] == [listed[0]["GroupId"], gid]

    assert api.post(f"{LP}/{o}/groupcategories/{cid}/groups/{gid}/enrollments/", json={"UserId": sam.id}).ok
    changed = api.put(f"{LP}/{o}/groupcategories/{cid}/groups/{gid}", json={"Name": "Crimson", "Code": ""})
    assert changed.status_code == 200, changed.text
    assert changed.json() == {"GroupId": gid, "Name": "Crimson", "Code": "",
                              "Description": {"Text": "Reds", "Html": "<p>Reds</p>"}, "Enrollments": [sam.id]}
    with world.tx() as db:
        row = db.get_one(CourseGroup, row_id)
        assert (row.name, row.external_id) == ("Crimson", row.uuid)
    assert api.get(f"{LP}/{o}/groupcategories/{cid}/groups/{gid}").json() == changed.json()

    gone = api.delete(f"{LP}/{o}/groupcategories/{cid}/groups/{gid}")
    assert (gone.status_code, gone.content) == (200, b"")
    with world.tx() as db:
        assert db.get_one(CourseGroup, row_id).workflow_state == "deleted"
        assert db.scalar(select(func.count()).select_from(GroupMembership)
                         .where(GroupMembership.group_id == row_id)) == 0
    missing = api.get(f"{LP}/{o}/groupcategories/{cid}/groups/{gid}")
    assert (missing.status_code, missing.json()) == (404, problem(404, "The specified group does not exist."))
    assert api.get(f"{LP}/{o}/groupcategories/{cid}").json()["Groups"] == [listed[0]["GroupId"]]


def test_auto_enrollment_places_the_students_by_group_assignment(world):
    _, o, teacher, learners = setup(world, 5)
    api = SignedSession(world.base_url, world.d2l(teacher))
    made = api.post(f"{LP}/{o}/groupcategories/", json=category_block(
        style=1, NumberOfGroups=None, MaxUsersPerGroup=2, AutoEnroll=True, GroupPrefix="Pod"))
    assert made.status_code == 200, made.text
    body = made.json()
    assert (body["EnrollmentStyle"], body["MaxUsersPerGroup"], body["AutoEnroll"]) == (1, 2, True)
    category, rows, members = stored(world, body["GroupCategoryId"])
    ids = [u.id for u in learners]
    assert rows == [("Pod 1", "available"), ("Pod 2", "available"), ("Pod 3", "available")]  # 5 students, 2 a group
    assert list(members.values()) == [[ids[0], ids[3]], [ids[1], ids[4]], [ids[2]]]  # the teacher is in none
    groups = api.get(f"{LP}/{o}/groupcategories/{body['GroupCategoryId']}/groups/").json()
    assert [g["Enrollments"] for g in groups] == list(members.values())
    assert category.group_limit == 2

    newcomer = world.user("late")
    world.enroll(newcomer, world_course(world, o))
    update = {"Name": "Projects", "AutoEnroll": True}
    assert api.put(f"{LP}/{o}/groupcategories/{body['GroupCategoryId']}", json=update).ok
    assert list(stored(world, body["GroupCategoryId"])[2].values())[2] == [ids[2], newcomer.id]


def world_course(world, o: int) -> Course:
    """The course behind an offering's org unit id."""
    with world.tx() as db:
        return db.get_one(Course, ref(world, o))


def test_styles_that_do_not_auto_enroll_place_nobody_and_single_user_groups_hold_one_each(world):
    _, o, teacher, learners = setup(world, 3)
    api = SignedSession(world.base_url, world.d2l(teacher))
    by_count = api.post(f"{LP}/{o}/groupcategories/", json=category_block(
        "Counted", style="NumberOfGroupsAutoEnrollment", NumberOfGroups=2)).json()
    assert by_count["EnrollmentStyle"] == 2 and by_count["AutoEnroll"] is False
    assert list(stored(world, by_count["GroupCategoryId"])[2].values()) == [[], []]
    single = api.post(f"{LP}/{o}/groupcategories/", json=category_block("Journals", style=6, NumberOfGroups=None))
    assert single.status_code == 200, single.text
    category, rows, members = stored(world, single.json()["GroupCategoryId"])
    assert list(members.values()) == [[u.id] for u in learners] and category.group_limit == 1
    assert single.json()["EnrollmentStyle"] == 6 and len(single.json()["Groups"]) == 3


def test_self_enrollment_styles_are_core_self_sign_up_read_by_the_canvas_face(world):
    course, o, teacher, (sam,) = setup(world, 1)
    api = SignedSession(world.base_url, world.d2l(teacher))
    made = api.post(f"{LP}/{o}/groupcategories/", json=category_block(
        "Clubs", style=5, NumberOfGroups=2, MaxUsersPerGroup=1, SelfEnrollmentExpiryDate="2027-02-01T00:00:00Z"))
    assert made.status_code == 200, made.text
    cid = made.json()["GroupCategoryId"]
    assert (made.json()["EnrollmentStyle"], made.json()["SelfEnrollmentExpiryDate"]) == (5, "2027-02-01T00:00:00.000Z")
    with world.client(world.admin_token) as canvas:
        seen = canvas.get(f"/api/v1/group_categories/{cid}").json()
        assert (seen["name"], seen["self_signup"], seen["group_limit"]) == ("Clubs", "enabled", 1)
        first, second = made.json()["Groups"]
        student = SignedSession(world.base_url, world.d2l(sam))  # a student signs themself up
        assert student.post(f"{LP}/{o}/groupcategories/{cid}/groups/{first}/enrollments/",
                            json={"UserId": sam.id}).status_code == 200
        in_canvas = ref(world, first)  # Canvas names the group by its own id
        assert [m["user_id"] for m in canvas.get(f"/api/v1/groups/{in_canvas}/memberships").json()] == [sam.id]
        assert student.delete(f"{LP}/{o}/groupcategories/{cid}/groups/{first}/enrollments/{sam.id}").ok  # leaves
        assert canvas.get(f"/api/v1/groups/{in_canvas}/memberships").json() == []
        assert student.post(f"{LP}/{o}/groupcategories/{cid}/groups/{first}/enrollments/",
                            json={"UserId": sam.id}).ok
        canvas.put(f"/api/v1/group_categories/{cid}", data={"self_signup": ""})  # Canvas turns sign-up off
    derived = api.get(f"{LP}/{o}/groupcategories/{cid}").json()
    assert (derived["EnrollmentStyle"], derived["Groups"]) == (0, [first, second])
    refused = student.post(f"{LP}/{o}/groupcategories/{cid}/groups/{second}/enrollments/", json={"UserId": sam.id})
    assert (refused.status_code, refused.json()) == (403, FORBIDDEN)


def test_what_one_face_makes_the_other_reads(world):
    course, o, teacher, (sam, kim) = setup(world, 2)
    with world.client(world.admin_token) as canvas:
        category = canvas.post(f"/api/v1/courses/{course.id}/group_categories",
                               data={"name": "Canvas set", "group_limit": "3"}).json()
        group = canvas.post(f"/api/v1/group_categories/{category['id']}/groups", data={"name": "Blue"}).json()
        canvas.post(f"/api/v1/groups/{group['id']}/memberships", data={"user_id": sam.id})
    api = SignedSession(world.base_url, world.d2l(teacher))
    gid = group_ou(world, group["id"])  # Valence names the group by its org unit id, Canvas by the group's id
    assert gid != group["id"] and ref(world, gid) == group["id"]
    assert api.get(f"{LP}/{o}/groupcategories/").json() == [{
        "GroupCategoryId": category["id"], "Name": "Canvas set", "Description": NONE, "EnrollmentStyle": 0,
        "EnrollmentQuantity": None, "MaxUsersPerGroup": 3, "AutoEnroll": False, "RandomizeEnrollments": False,
        "Groups": [gid], "AllocateAfterExpiry": False, "SelfEnrollmentExpiryDate": None,
        "RestrictedByOrgUnitId": None, "DescriptionsVisibleToEnrolees": False}]
    assert api.get(f"{LP}/{o}/groupcategories/{category['id']}/groups/{gid}").json() == {
        "GroupId": gid, "Name": "Blue", "Code": "", "Description": NONE, "Enrollments": [sam.id]}
    assert api.post(f"{LP}/{o}/groupcategories/{category['id']}/groups/{gid}/enrollments/",
                    json={"UserId": kim.id}).ok
    made = api.post(f"{LP}/{o}/groupcategories/", json=category_block("D2L set", NumberOfGroups=1)).json()
    with world.client(world.admin_token) as canvas:
        users = canvas.get(f"/api/v1/groups/{group['id']}/users").json()
        assert sorted(u["id"] for u in users) == [sam.id, kim.id]
        sets = canvas.get(f"/api/v1/courses/{course.id}/group_categories").json()
        assert [s["name"] for s in sets] == ["Canvas set", "D2L set"]
        in_d2l_set = canvas.get(f"/api/v1/group_categories/{made['GroupCategoryId']}/groups").json()
        assert [(g["id"], g["name"]) for g in in_d2l_set] == [(ref(world, made["Groups"][0]), "D2L set 1")]


def test_group_enrollments_move_members_within_a_category_and_respect_limits(world):
    course, o, teacher, (sam, kim) = setup(world, 2)
    stranger = world.user("stranger")
    api = SignedSession(world.base_url, world.d2l(teacher))
    made = api.post(f"{LP}/{o}/groupcategories/", json=category_block(
        style=5, NumberOfGroups=2, MaxUsersPerGroup=1)).json()
    cid, (first, second) = made["GroupCategoryId"], made["Groups"]
    base = f"{LP}/{o}/groupcategories/{cid}/groups"
    joined = api.post(f"{base}/{first}/enrollments/", json={"UserId": sam.id})
    assert (joined.status_code, joined.content) == (200, b"")
    assert api.post(f"{base}/{first}/enrollments/", json={"UserId": sam.id}).status_code == 200  # again: the same
    full = api.post(f"{base}/{first}/enrollments/", json={"UserId": kim.id})
    assert (full.status_code, full.json()) == (400, problem(400, "the group is full"))
    assert list(stored(world, cid)[2].values()) == [[sam.id], []]  # nothing written
    assert api.post(f"{base}/{second}/enrollments/", json={"UserId": sam.id}).ok  # moves within the category
    assert list(stored(world, cid)[2].values()) == [[], [sam.id]]
    assert api.post(f"{base}/{first}/enrollments/", json={"UserId": kim.id}).ok
    outsider = api.post(f"{base}/{second}/enrollments/", json={"UserId": stranger.id})
    assert (outsider.status_code, outsider.json()) == (
        400, problem(400, "UserId must name a user enrolled in the group's course"))
    unknown = api.post(f"{base}/{second}/enrollments/", json={"UserId": 99999999})
    assert (unknown.status_code, unknown.json()) == (404, problem(404, "The specified user does not exist."))
    missing = api.post(f"{base}/{second}/enrollments/", json={})
    assert (missing.status_code, missing.json()) == (400, problem(400, "UserId is required."))
    assert list(stored(world, cid)[2].values()) == [[kim.id], [sam.id]]

    left = api.delete(f"{base}/{second}/enrollments/{sam.id}")
    assert (left.status_code, left.content) == (200, b"")
    assert list(stored(world, cid)[2].values()) == [[kim.id], []]
    again = api.delete(f"{base}/{second}/enrollments/{sam.id}")
    assert (again.status_code, again.json()) == (404, problem(404, "Group membership not found"))
    assert api.delete(f"{base}/{second}/enrollments/x").status_code == 404


def test_who_may_read_and_write_groups(world):
    course, o, teacher, (sam,) = setup(world, 1)
    made = SignedSession(world.base_url, world.d2l(teacher)).post(
        f"{LP}/{o}/groupcategories/", json=category_block(NumberOfGroups=1)).json()
    cid, gid = made["GroupCategoryId"], made["Groups"][0]
    student = SignedSession(world.base_url, world.d2l(sam))
    assert student.get(f"{LP}/{o}/groupcategories/").json() == [made]  # members read the offering's groups
    assert student.get(f"{LP}/{o}/groupcategories/{cid}/groups/{gid}").status_code == 200
    for method, path, body in (("post", "", category_block("Mine")), ("put", f"{cid}", category_block()),
                               ("delete", f"{cid}", None), ("post", f"{cid}/groups/", {"Name": "X"}),
                               ("put", f"{cid}/groups/{gid}", {"Name": "X"}), ("delete", f"{cid}/groups/{gid}", None),
                               ("post", f"{cid}/groups/{gid}/enrollments/", {"UserId": sam.id})):
        refused = getattr(student, method)(f"{LP}/{o}/groupcategories/{path}", json=body)
        assert (refused.status_code, refused.json()) == (403, FORBIDDEN), (method, path)
    outsider = SignedSession(world.base_url, world.d2l(world.user("nobody")))
    assert (outsider.get(f"{LP}/{o}/groupcategories/").status_code,
            outsider.get(f"{LP}/{o}/groupcategories/").json()) == (403, FORBIDDEN)
    admin = SignedSession(world.base_url, world.d2l())
    assert admin.post(f"{LP}/{o}/groupcategories/{cid}/groups/{gid}/enrollments/", json={"UserId": sam.id}).ok
    category, rows, members = stored(world, cid)
    assert (category.name, rows, members) == ("Projects", [("Projects 1", "available")], {gid: [sam.id]})


def test_bad_blocks_name_the_field_and_write_nothing(world):
    _, o, teacher, _ = setup(world)
    api = SignedSession(world.base_url, world.d2l(teacher))
    url = f"{LP}/{o}/groupcategories/"
    cases = [
        ({k: v for k, v in category_block().items() if k != "Name"}, "Name is required."),
        (category_block(style=9), "EnrollmentStyle must be a GRPENROLL_T: a number from 0 to 6."),
        (category_block(style="Sometimes"), "EnrollmentStyle must be a GRPENROLL_T: a number from 0 to 6."),
        (category_block(NumberOfGroups=None), "NumberOfGroups must be from 1 to 200 for this style"),
        (category_block(NumberOfGroups=201), "NumberOfGroups must be from 1 to 200 for this style"),
        (category_block(NumberOfGroups="3"), "NumberOfGroups must be a number (0 or more) or null."),
        (category_block(MaxUsersPerGroup=0), "MaxUsersPerGroup must be 1 or more"),
        (category_block(style=1, NumberOfGroups=None), "MaxUsersPerGroup (people per group) must be 1 or more for "
                                                       "this style"),
        (category_block(style=5), "MaxUsersPerGroup is required for this style"),
        (category_block(style=3, MaxUsersPerGroup=2, AutoEnroll=True),
         "AutoEnroll may be true only for a style the system fills"),
        (category_block(RestrictedByOrgUnitId=o), "RestrictedByOrgUnitId must be null: a category restricted to a "
                                                  "section is not offered here."),
        (category_block(AutoEnroll="yes"), "AutoEnroll must be boolean."),
        (category_block(SelfEnrollmentExpiryDate="soon"),
         "SelfEnrollmentExpiryDate must be a UTC date-time such as 2014-09-01T00:00:00.000Z."),
        (category_block(Name="   "), "Name is required"),
        (category_block(GroupPrefix="p" * 201), "GroupPrefix may be at most 200 characters long"),
        (category_block(Name="x" * 129), "Name may be at most 128 characters long."),
    ]
    for block, detail in cases:
        answer = api.post(url, json=block)
        assert (answer.status_code, answer.json()) == (400, problem(400, detail)), detail
    not_object = api.post(url, json=[1])
    assert not_object.json() == problem(400, "The request body must be a JSON object.")
    cid = api.post(url, json=category_block(NumberOfGroups=1)).json()["GroupCategoryId"]
    twin = api.post(url, json=category_block(NumberOfGroups=1))
    assert (twin.status_code, twin.json()) == (400, problem(400, "Name has already been taken"))
    restyled = api.put(f"{url}{cid}", json={"Name": "Projects", "EnrollmentStyle": 2})
    assert restyled.json() == problem(400, "EnrollmentStyle cannot be changed once the category is made")
    with world.tx() as db:
        assert db.scalar(select(func.count()).select_from(GroupCategory)) == 1
        assert db.scalar(select(func.count()).select_from(CourseGroup)) == 1
        assert db.get_one(GroupCategory, cid).placement["style"] == "manual_by_count"

    groups = f"{url}{cid}/groups/"
    for block, detail in (({"Code": "A"}, "Name is required."), ({"Name": "A", "Code": "c" * 51},
                                                                   "Code may be at most 50 characters long."),
                          ({"Name": "A", "Code": "A&B"}, "Code may not hold any of \\ : * ? \" < > | ' # , % &"),
                          ({"Name": "A", "Description": "plain"},
                           "Description must be a RichTextInput {Content, Type: Text or Html}.")):
        answer = api.post(groups, json=block)
        assert (answer.status_code, answer.json()) == (400, problem(400, detail)), detail
    assert api.post(groups, json={"Name": "A", "Code": "A-1"}).ok
    taken = api.post(groups, json={"Name": "B", "Code": "A-1"})
    assert (taken.status_code, taken.json()) == (400, problem(400, "Code 'A-1' is already used in this course"))
    with world.tx() as db:
        assert db.scalar(select(func.count()).select_from(CourseGroup)) == 2


def test_unknown_ids_and_another_offerings_rows_are_not_found(world):
    course, o, teacher, _ = setup(world)
    other = world.course("Chemistry")
    world.enroll(teacher, other, "TeacherEnrollment")
    api = SignedSession(world.base_url, world.d2l(teacher))
    mine = api.post(f"{LP}/{o}/groupcategories/", json=category_block(NumberOfGroups=1)).json()
    theirs = api.post(f"{LP}/{ou(world, other)}/groupcategories/", json=category_block(NumberOfGroups=1)).json()
    no_category = problem(404, "The specified group category does not exist.")
    no_group = problem(404, "The specified group does not exist.")
    for path, body in ((f"{theirs['GroupCategoryId']}", no_category), ("999999", no_category), ("abc", None),
                       (f"{theirs['GroupCategoryId']}/groups/", no_category),
                       (f"{mine['GroupCategoryId']}/groups/{theirs['Groups'][0]}", no_group),
                       (f"{mine['GroupCategoryId']}/groups/999999", no_group)):
        answer = api.get(f"{LP}/{o}/groupcategories/{path}")
        assert answer.status_code == 404, path
        if body is not None:
            assert answer.json() == body, path
    moved = api.post(f"{LP}/{o}/groupcategories/{mine['GroupCategoryId']}/groups/{theirs['Groups'][0]}/enrollments/",
                     json={"UserId": teacher.id})
    assert (moved.status_code, moved.json()) == (404, no_group)
    assert api.delete(f"{LP}/{o}/groupcategories/{theirs['GroupCategoryId']}").status_code == 404
    assert stored(world, theirs["GroupCategoryId"])[0].workflow_state == "active"
    assert api.get(f"{LP}/99999999/groupcategories/").status_code == 404
    org = api.get(f"{LP}/organization/info").json()["Identifier"]
    assert api.get(f"{LP}/{org}/groupcategories/").status_code == 404  # the organization is no offering
