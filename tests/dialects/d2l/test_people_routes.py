"""Valence people routes over HTTP beyond the basics: an enrollment read and deleted from the user's side,
the caller's own enrollment and access in one org unit, the paged classlist (ObjectListPage, search, order)
and a user's password set and cleared; exact blocks, errors and the stored state after each call."""

from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

from sqlalchemy import select

from courseport.core.identity import logins
from courseport.schema import Enrollment, Login, User
from tests.dialects.d2l.org_ids import ou

LP, LE = "/d2l/api/lp/1.4", "/d2l/api/le/1.7"


def _states(world, course, user) -> list[str]:
    with world.tx() as db:
        return list(db.scalars(select(Enrollment.workflow_state).where(
            Enrollment.course_id == course.id, Enrollment.user_id == user.id)))


def test_an_enrollment_is_read_and_deleted_from_the_users_side(world):
    course = world.course("Biology")
    course_ou = ou(world, course)
    sam = world.user("sam")
    world.enroll(sam, course)
    tia, teacher_token = world.user_with_token("tia")
    world.enroll(tia, course, "TeacherEnrollment")
    expected = {"OrgUnitId": course_ou, "UserId": sam.id, "RoleId": 3, "IsCascading": False}
    with world.client(world.admin_token) as http:
        read = http.get(f"{LP}/enrollments/users/{sam.id}/orgUnits/{course_ou}")
        assert (read.status_code, read.json()) == (200, expected)
        assert read.json() == http.get(f"{LP}/enrollments/orgUnits/{course_ou}/users/{sam.id}").json()
        assert http.get(f"{LP}/enrollments/users/{world.admin.id}/orgUnits/{course_ou}").status_code == 404
        assert http.get(f"{LP}/enrollments/users/{sam.id}/orgUnits/99999999").status_code == 404
        assert http.get(f"{LP}/enrollments/users/abc/orgUnits/{course_ou}").status_code == 404
    with world.client(teacher_token) as http:  # a teacher reads the roster but may not unenroll
        assert http.get(f"{LP}/enrollments/users/{sam.id}/orgUnits/{course_ou}").json() == expected
        refused = http.delete(f"{LP}/enrollments/users/{sam.id}/orgUnits/{course_ou}")
        assert (refused.status_code, refused.json()["detail"]) == (403, "No permission to perform this action.")
    assert _states(world, course, sam) == ["active"]
    with world.client(world.admin_token) as http:
        gone = http.delete(f"{LP}/enrollments/users/{sam.id}/orgUnits/{course_ou}")
        assert (gone.status_code, gone.json()) == (200, expected)
        assert _states(world, course, sam) == ["deleted"]
        assert http.get(f"{LP}/enrollments/users/{sam.id}/orgUnits/{course_ou}").status_code == 404
        assert http.delete(f"{LP}/enrollments/users/{sam.id}/orgUnits/{course_ou}").status_code == 404


def test_my_enrollment_and_access_in_one_org_unit(world):
    course = world.course("Biology", course_code="BIO-1")
    course_ou = ou(world, course)
    other_ou = ou(world, world.course("Chemistry"))
    sam, token = world.user_with_token("sam")
    world.enroll(sam, course, "TaEnrollment")
    with world.client(token) as http:
        mine = http.get(f"{LP}/enrollments/myenrollments/{course_ou}")
        assert mine.status_code == 200, mine.text
        access = {"IsActive": True, "StartDate": None, "EndDate": None, "CanAccess": True,
                  "ClasslistRoleName": "TA", "LISRoles": [], "LastAccessed": None}
        assert mine.json() == {
            "OrgUnit": {"Id": course_ou, "Type": {"Id": 3, "Code": "Course Offering", "Name": "Course Offering"},
                        "Name": "Biology", "Code": "BIO-1", "HomeUrl": f"/d2l/home/{course_ou}", "ImageUrl": None},
            "Access": access, "PinDate": None}
        [listed] = http.get(f"{LP}/enrollments/myenrollments/").json()["Items"]
        assert listed == mine.json()
        assert http.get(f"{LP}/enrollments/myenrollments/{course_ou}/access").json() == access
        for path in (f"{other_ou}", f"{other_ou}/access", "99999999", "99999999/access"):
            missing = http.get(f"{LP}/enrollments/myenrollments/{path}")
            assert missing.status_code == 404, path
    with world.tx() as db:
        db.execute(Enrollment.__table__.update().where(Enrollment.user_id == sam.id).values(
            workflow_state="inactive"))
    with world.client(token) as http:
        assert http.get(f"{LP}/enrollments/myenrollments/{course_ou}/access").json()["CanAccess"] is False


def test_classlist_pages_as_an_object_list_page(world):
    course = world.course("Chemistry")
    course_ou = ou(world, course)
    teacher, teacher_token = world.user_with_token("tina", name="Tina Teach")
    world.enroll(teacher, course, "TeacherEnrollment")
    students = [world.user(f"s{n:03}", f"Student {n:03}", sis_user_id=f"SIS-{n:03}") for n in range(103)]
    for student in reversed(students):
        world.enroll(student, course)
    ada = world.user("ada", "ada lowercase")
    world.enroll(ada, course)
    url = f"{LE}/{course_ou}/classlist/paged/"
    with world.client(teacher_token) as http:
        first = http.get(url)
        assert first.status_code == 200, first.text
        assert set(first.json()) == {"Next", "Objects"}
        names = [r["DisplayName"] for r in first.json()["Objects"]]
        assert len(names) == 100 and names[:2] == ["ada lowercase", "Student 000"]  # by DisplayName, any case
        whole = {r["Identifier"]: r for r in http.get(f"{LE}/{course_ou}/classlist/").json()}
        assert first.json()["Objects"][0] == whole[str(ada.id)]  # the same ClasslistUser blocks
        next_url = first.json()["Next"]
        assert next_url.startswith(world.base_url + url) and parse_qs(urlsplit(next_url).query) == {
            "bookmark": ["100"]}
        rest = http.get(next_url).json()
        assert rest["Next"] is None
        assert [r["DisplayName"] for r in rest["Objects"]] == ["Student 099", "Student 100", "Student 101",
                                                               "Student 102", "Tina Teach"]
        found = http.get(url, params={"searchTerm": "sis-10"}).json()
        assert [r["OrgDefinedId"] for r in found["Objects"]] == ["SIS-100", "SIS-101", "SIS-102"]
        assert found["Next"] is None
        assert http.get(url, params={"searchTerm": str(ada.id)}).json()["Objects"][0]["Identifier"] == str(ada.id)
        assert http.get(url, params={"bookmark": "x"}).status_code == 400
    _, student_token = world.user_with_token("s000")
    with world.client(student_token) as http:  # OrgDefinedIds are hidden from students: they match nothing
        assert http.get(url, params={"searchTerm": "SIS-1"}).json() == {"Next": None, "Objects": []}
    _, outsider = world.user_with_token("otto")
    with world.client(outsider) as http:
        assert http.get(url).status_code == 403


def _password_hash(world, user_id: int) -> str | None:
    with world.tx() as db:
        return db.scalar(select(Login.password_hash).where(Login.user_id == user_id))


def test_password_set_and_cleared(world):
    lee, lee_token = world.user_with_token("lee")
    with world.client(world.admin_token) as http:
        assert _password_hash(world, lee.id) is None
        done = http.put(f"{LP}/users/{lee.id}/password", json={"Password": "correct horse"})
        assert (done.status_code, done.content) == (200, b"")
        with world.tx() as db:
            assert logins.sign_in(db, "lee", "correct horse").id == lee.id
        short = http.put(f"{LP}/users/{lee.id}/password", json={"Password": "short"})
        assert (short.status_code, short.json()["detail"]) == (400, "Password must be at least 8 characters long.")
        missing = http.put(f"{LP}/users/{lee.id}/password", json={})
        assert (missing.status_code, missing.json()["detail"]) == (400, "Password is required.")
        assert http.put(f"{LP}/users/{lee.id}/password", json={"Password": 12345678}).status_code == 400
        assert http.put(f"{LP}/users/99999999/password", json={"Password": "whatever!"}).status_code == 404
        with world.tx() as db:
            assert logins.sign_in(db, "lee", "correct horse").id == lee.id  # the refused calls changed nothing
    with world.client(lee_token) as http:  # only the organization's admins set passwords, one's own too
        assert http.put(f"{LP}/users/{lee.id}/password", json={"Password": "my own choice"}).status_code == 403
        assert http.delete(f"{LP}/users/{lee.id}/password").status_code == 403
    assert _password_hash(world, lee.id) is not None
    with world.client(world.admin_token) as http:
        cleared = http.delete(f"{LP}/users/{lee.id}/password")
        assert (cleared.status_code, cleared.content) == (200, b"")
        assert _password_hash(world, lee.id) is None
        assert http.delete(f"{LP}/users/99999999/password").status_code == 404


def test_profiles_read_the_kept_nickname_and_email(world):
    lee, lee_token = world.user_with_token("lee", name="Lee Park")
    with world.tx() as db:
        db.get_one(User, lee.id).short_name = "Leo"
    expected = {"Nickname": "Leo", "Birthday": None, "Email": "lee@example.test", "HomeTown": "", "HomePage": "",
                "HomePhone": "", "BusinessPhone": "", "MobilePhone": "", "FaxNumber": "", "Address1": "",
                "Address2": "", "City": "", "Province": "", "PostalCode": "", "Country": "", "Company": "",
                "JobTitle": "", "HighSchool": "", "University": "", "Hobbies": "", "FavMusic": "", "FavTVShows": "",
                "FavMovies": "", "FavBooks": "", "FavQuotations": "", "FavWebSites": "", "FutureGoals": "",
                "FavMemory": "", "SocialMediaUrls": [], "ProfileIdentifier": lee.uuid}
    with world.client(lee_token) as http:
        mine = http.get(f"{LP}/profile/myProfile")
        assert (mine.status_code, mine.json()) == (200, expected)
        assert http.get(f"{LP}/profile/user/{lee.id}").json() == expected
        assert http.get(f"{LP}/profile/user/{world.admin.id}").status_code == 404  # not theirs to read
    with world.client(world.admin_token) as http:
        assert http.get(f"{LP}/profile/user/{lee.id}").json() == expected
        assert http.get(f"{LP}/profile/user/99999999").status_code == 404
    with world.client() as http:
        assert http.get(f"{LP}/profile/myProfile").status_code == 403


def test_the_roles_enrolled_in_an_offering(world):
    course = world.course("Biology")
    course_ou = ou(world, course)
    teacher, teacher_token = world.user_with_token("tia")
    world.enroll(teacher, course, "TeacherEnrollment")
    for name in ("sam", "sue"):
        world.enroll(world.user(name), course)
    world.enroll(world.user("gone"), course, "TaEnrollment", state="deleted")
    _, outsider = world.user_with_token("otto")
    with world.client(teacher_token) as http:
        held = http.get(f"{LP}/{course_ou}/roles/")
        assert (held.status_code, held.json()) == (200, [
            {"Identifier": "3", "DisplayName": "Student", "Code": "StudentEnrollment"},
            {"Identifier": "4", "DisplayName": "Teacher", "Code": "TeacherEnrollment"}])
        assert http.get(f"{LP}/99999999/roles/").status_code == 404
    with world.client(outsider) as http:
        assert http.get(f"{LP}/{course_ou}/roles/").status_code == 403
