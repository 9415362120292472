"""Valence users, roles and enrollments over HTTP: exact blocks, lookups, paging, rights and errors."""

from __future__ import annotations

from tests.dialects.d2l.org_ids import ou

LP = "/d2l/api/lp/1.4"


def new_user(user_name="ada", **extra):
    return {"OrgDefinedId": "S-1", "FirstName": "Ada", "MiddleName": None, "LastName": "Lovelace",
            "ExternalEmail": "ada@example.edu", "UserName": user_name, "RoleId": None, "IsActive": True,
            "SendCreationEmail": False, **extra}


def test_whoami_names_the_caller(world):
    user, token = world.user_with_token("grace", name="Grace Brewster Hopper")
    with world.client(token) as http:
        me = http.get(f"{LP}/users/whoami")
    assert me.status_code == 200
    assert me.json() == {"Identifier": str(user.id), "FirstName": "Grace Brewster", "LastName": "Hopper",
                         "UniqueName": "grace", "ProfileIdentifier": user.uuid}


def test_user_create_read_find_update_delete(world):
    with world.client(world.admin_token) as http:
        made = http.post(f"{LP}/users/", json=new_user())
        assert made.status_code == 200, made.text
        uid = made.json()["UserId"]
        org = int(http.get(f"{LP}/organization/info").json()["Identifier"])
        expected = {"OrgId": org, "UserId": uid, "FirstName": "Ada", "MiddleName": None, "LastName": "Lovelace",
                    "UserName": "ada", "ExternalEmail": "ada@example.edu", "OrgDefinedId": "S-1",
                    "UniqueIdentifier": "ada", "Activation": {"IsActive": True}, "LastAccessedDate": None,
                    "DisplayName": "Ada Lovelace"}
        assert made.json() == expected
        assert http.get(f"{LP}/users/{uid}").json() == expected
        assert http.get(f"{LP}/users/", params={"userName": "ada"}).json() == expected
        assert http.get(f"{LP}/users/", params={"orgDefinedId": "S-1"}).json() == [expected]
        assert http.get(f"{LP}/users/", params={"orgDefinedId": "nobody"}).json() == []
        assert http.get(f"{LP}/users/", params={"externalEmail": "ADA@example.edu"}).json() == [expected]
        assert http.get(f"{LP}/users/", params={"userName": "nobody"}).status_code == 404
        taken = http.post(f"{LP}/users/", json=new_user(OrgDefinedId="S-2"))
        assert taken.status_code == 400, taken.text

        changed = http.put(f"{LP}/users/{uid}", json={
            "OrgDefinedId": "S-9", "FirstName": "Augusta Ada", "MiddleName": None, "LastName": "King",
            "ExternalEmail": None, "UserName": "ada.king", "Activation": {"IsActive": False}})
        assert changed.status_code == 200, changed.text
        assert {k: changed.json()[k] for k in ("FirstName", "LastName", "UserName", "OrgDefinedId",
                                               "ExternalEmail", "Activation")} == {
            "FirstName": "Augusta Ada", "LastName": "King", "UserName": "ada.king", "OrgDefinedId": "S-9",
            "ExternalEmail": None, "Activation": {"IsActive": False}}
        assert http.get(f"{LP}/users/", params={"userName": "ada.king"}).json()["UserId"] == uid

        gone = http.delete(f"{LP}/users/{uid}")
        assert (gone.status_code, gone.content) == (200, b"")
        assert http.get(f"{LP}/users/{uid}").status_code == 404


def test_users_page_by_bookmark(world):
    for n in range(105):
        world.user(f"u{n:03}")
    with world.client(world.admin_token) as http:
        first = http.get(f"{LP}/users/").json()
        assert len(first["Items"]) == 100 and first["PagingInfo"]["HasMoreItems"] is True
        bookmark = first["PagingInfo"]["Bookmark"]
        rest = http.get(f"{LP}/users/", params={"bookmark": bookmark}).json()
        assert rest["PagingInfo"]["HasMoreItems"] is False
        seen = {u["UserId"] for u in first["Items"]} | {u["UserId"] for u in rest["Items"]}
        assert len(seen) == len(first["Items"]) + len(rest["Items"]) >= 106
        assert http.get(f"{LP}/users/", params={"bookmark": "x"}).status_code == 400


def test_a_user_without_the_admin_role_cannot_create_users(world):
    _, token = world.user_with_token("learner")
    with world.client(token) as http:
        refused = http.post(f"{LP}/users/", json=new_user("eve"))
    assert refused.status_code == 403
    assert refused.json() == {"type": "about:blank", "title": "Forbidden", "status": 403,
                              "detail": "No permission to perform this action."}


def test_bad_user_blocks_name_the_field(world):
    with world.client(world.admin_token) as http:
        missing = http.post(f"{LP}/users/", json={k: v for k, v in new_user().items() if k != "UserName"})
        assert (missing.status_code, missing.json()["detail"]) == (400, "UserName is required.")
        wrong = http.post(f"{LP}/users/", json=new_user(IsActive="yes"))
        assert (wrong.status_code, wrong.json()["detail"]) == (400, "IsActive must be boolean.")
        assert http.post(f"{LP}/users/", json=new_user(RoleId=99999999)).status_code == 400
        assert http.get(f"{LP}/users/abc").status_code == 404


def test_roles(world):
    with world.client(world.admin_token) as http:
        listed = http.get(f"{LP}/roles/").json()
        assert {"Identifier": "3", "DisplayName": "Student", "Code": "StudentEnrollment"} in listed
        assert {"Identifier": "4", "DisplayName": "Teacher", "Code": "TeacherEnrollment"} in listed
        assert http.get(f"{LP}/roles/4").json() == {"Identifier": "4", "DisplayName": "Teacher",
                                                    "Code": "TeacherEnrollment"}
        assert http.get(f"{LP}/roles/99999999").status_code == 404


def test_enrollment_create_list_read_delete(world):
    course = world.course("Biology")
    course_ou = ou(world, course)
    student = world.user("sam", name="Sam Student")
    teacher = world.user("tia", name="Tia Teacher")
    with world.client(world.admin_token) as http:
        made = http.post(f"{LP}/enrollments/", json={"OrgUnitId": course_ou, "UserId": student.id, "RoleId": 3})
        assert made.status_code == 200, made.text
        assert made.json() == {"OrgUnitId": course_ou, "UserId": student.id, "RoleId": 3, "IsCascading": False}
        assert http.post(f"{LP}/enrollments/", json={"OrgUnitId": course_ou, "UserId": teacher.id,
                                                     "RoleId": 4}).status_code == 200
        listed = http.get(f"{LP}/enrollments/orgUnits/{course_ou}/users/").json()
        assert listed["PagingInfo"]["HasMoreItems"] is False
        assert [i["User"]["Identifier"] for i in listed["Items"]] == [str(student.id), str(teacher.id)]
        assert listed["Items"][0] == {
            "User": {"Identifier": str(student.id), "DisplayName": "Sam Student", "EmailAddress": "sam@example.test",
                     "OrgDefinedId": None, "ProfileBadgeUrl": None, "ProfileIdentifier": student.uuid},
            "Role": {"Id": 3, "Code": "StudentEnrollment", "Name": "Student"}}
        teachers = http.get(f"{LP}/enrollments/orgUnits/{course_ou}/users/", params={"roleId": 4}).json()
        assert [i["User"]["Identifier"] for i in teachers["Items"]] == [str(teacher.id)]
        assert http.get(f"{LP}/enrollments/orgUnits/{course_ou}/users/{student.id}").json() == made.json()
        mine = http.get(f"{LP}/enrollments/users/{student.id}/orgUnits/").json()
        assert mine["Items"] == [{"OrgUnit": {"Id": course_ou, "Type": {"Id": 3, "Code": "Course Offering",
                                                                        "Name": "Course Offering"},
                                              "Name": "Biology", "Code": course.course_code},
                                  "Role": {"Id": 3, "Code": "StudentEnrollment", "Name": "Student"}}]
        assert http.get(f"{LP}/enrollments/users/{student.id}/orgUnits/",
                        params={"orgUnitTypeId": 2}).json()["Items"] == []
        again = http.post(f"{LP}/enrollments/", json={"OrgUnitId": course_ou, "UserId": teacher.id, "RoleId": 5})
        assert again.json()["RoleId"] == 5  # one role per org unit: the TA enrollment replaces the teacher one
        assert [i["Role"]["Id"] for i in http.get(f"{LP}/enrollments/users/{teacher.id}/orgUnits/").json()[
            "Items"]] == [5]
        gone = http.delete(f"{LP}/enrollments/orgUnits/{course_ou}/users/{student.id}")
        assert (gone.status_code, gone.json()) == (200, made.json())
        assert http.get(f"{LP}/enrollments/orgUnits/{course_ou}/users/{student.id}").status_code == 404
        assert http.delete(f"{LP}/enrollments/orgUnits/{course_ou}/users/{student.id}").status_code == 404


def test_enrollment_errors(world):
    course = world.course("Biology")
    course_ou = ou(world, course)
    student = world.user("sam")
    with world.client(world.admin_token) as http:
        missing = http.post(f"{LP}/enrollments/", json={"OrgUnitId": course_ou, "UserId": student.id})
        assert (missing.status_code, missing.json()["detail"]) == (400, "RoleId is required.")
        bad_role = http.post(f"{LP}/enrollments/", json={"OrgUnitId": course_ou, "UserId": student.id,
                                                         "RoleId": 99999999})
        assert bad_role.status_code == 400
        assert http.post(f"{LP}/enrollments/", json={"OrgUnitId": 99999999, "UserId": student.id,
                                                      "RoleId": 3}).status_code == 404
    _, token = world.user_with_token("outsider")
    with world.client(token) as http:
        refused = http.post(f"{LP}/enrollments/", json={"OrgUnitId": course_ou, "UserId": student.id, "RoleId": 3})
        assert refused.status_code == 403


def test_my_enrollments(world):
    course = world.course("Biology")
    course_ou = ou(world, course)
    user, token = world.user_with_token("sam", name="Sam Student")
    world.enroll(user, course)
    with world.client(token) as http:
        page = http.get(f"{LP}/enrollments/myenrollments/").json()
        assert page["PagingInfo"] == {"Bookmark": "1", "HasMoreItems": False}
        [item] = page["Items"]
        assert item["OrgUnit"]["Id"] == course_ou and item["OrgUnit"]["HomeUrl"] == f"/d2l/home/{course_ou}"
        assert item["Access"]["ClasslistRoleName"] == "Student" and item["Access"]["CanAccess"] is True
        assert http.get(f"{LP}/enrollments/myenrollments/", params={"isActive": "false"}).json()["Items"] == []
        assert http.get(f"{LP}/enrollments/myenrollments/", params={"isActive": "maybe"}).status_code == 400


def test_a_user_without_the_admin_role_finds_only_themselves(world):
    me, token = world.user_with_token("lee")
    with world.client(token) as http:
        assert http.get(f"{LP}/users/", params={"userName": "lee"}).json()["UserId"] == me.id
        assert http.get(f"{LP}/users/", params={"userName": "admin"}).status_code == 404
        assert http.get(f"{LP}/users/{world.admin.id}").status_code == 404
        assert http.get(f"{LP}/users/").status_code == 403
        assert http.get(f"{LP}/users/", params={"externalEmail": "admin@example.test"}).status_code == 403
        assert http.get(f"{LP}/roles/").status_code == 403
        assert http.delete(f"{LP}/users/{world.admin.id}").status_code == 404


def test_user_activation_read_and_set(world):
    _, token = world.user_with_token("plain")
    with world.client(world.admin_token) as http:
        uid = http.post(f"{LP}/users/", json=new_user()).json()["UserId"]
        assert http.get(f"{LP}/users/{uid}/activation").json() == {"IsActive": True}
        off = http.put(f"{LP}/users/{uid}/activation", json={"IsActive": False})
        assert (off.status_code, off.json()) == (200, {"IsActive": False})
        assert http.get(f"{LP}/users/{uid}").json()["Activation"] == {"IsActive": False}
        bad = http.put(f"{LP}/users/{uid}/activation", json={"IsActive": "yes"})
        assert bad.status_code == 400 and "IsActive" in bad.json()["detail"]
        assert http.get(f"{LP}/users/999999/activation").status_code == 404
    with world.client(token) as http:
        assert http.put(f"{LP}/users/{uid}/activation", json={"IsActive": True}).status_code == 404  # not theirs to see
    with world.client(world.admin_token) as http:
        assert http.get(f"{LP}/users/{uid}/activation").json() == {"IsActive": False}


def test_classlist_lists_each_member_once_with_what_the_viewer_may_see(world):
    from courseport.core.courses import sections
    from courseport.core.courses.sections import SectionChanges

    course = world.course("Chemistry")
    teacher, teacher_token = world.user_with_token("tina", name="Tina Teach")
    ann, ann_token = world.user_with_token("ann", name="Ann Able")
    bob = world.user("bob", "Bob Baker", sis_user_id="S-BOB")
    _, outsider_token = world.user_with_token("otto")
    with world.tx() as db:
        lab = sections.create_section(db, world.admin, str(course.id), SectionChanges({"name"}, name="Lab"))
    world.enroll(teacher, course, "TeacherEnrollment")
    world.enroll(ann, course)
    world.enroll(ann, course, section_id=lab.id)  # in the course and a section: one member
    world.enroll(bob, course)
    classlist = f"/d2l/api/le/1.40/{ou(world, course)}/classlist/"
    with world.client(teacher_token) as http:
        staff_view = http.get(classlist)
    with world.client(ann_token) as http:
        student_view = http.get(classlist).json()
    with world.client(outsider_token) as http:
        refused = http.get(classlist)
    assert staff_view.status_code == 200
    rows = {r["DisplayName"]: r for r in staff_view.json()}
    assert sorted(rows) == ["Ann Able", "Bob Baker", "Tina Teach"] and len(staff_view.json()) == 3
    assert rows["Bob Baker"] == {
        "Identifier": str(bob.id), "ProfileIdentifier": bob.uuid, "DisplayName": "Bob Baker", "Username": "bob",
        "OrgDefinedId": "S-BOB", "Email": "bob@example.test", "FirstName": "Bob", "LastName": "Baker",
        "RoleId": 3, "LastAccessed": None, "IsOnline": False, "ClasslistRoleDisplayName": "Student"}
    assert (rows["Tina Teach"]["RoleId"], rows["Tina Teach"]["ClasslistRoleDisplayName"]) == (4, "Teacher")
    theirs = {r["DisplayName"]: r for r in student_view}
    assert (theirs["Bob Baker"]["Email"], theirs["Bob Baker"]["OrgDefinedId"], theirs["Bob Baker"]["Username"]) == (
        None, None, None)
    assert theirs["Ann Able"]["Email"] == "ann@example.test"  # their own
    assert refused.status_code == 403
