"""d2lvalence 1.2.3, unmodified, signs the people calls of an integration: whoami, users, roles,
enrollments (paged by bookmark), the import log of a job that skipped a resource; a user without the
admin role cannot create users; what D2L made is what the Canvas face reads; a password set and cleared,
the caller's own enrollment, the paged classlist followed by its Next URLs, an unenroll from the user's side."""

from __future__ import annotations

from urllib.parse import urlsplit

import pytest

from courseport.core.identity import logins
from courseport.core.kit.errors import NotAuthenticated
from courseport.schema import User
from tests.clients.test_d2lvalence import SignedSession
from tests.dialects.d2l.cartridge import cartridge
from tests.dialects.d2l.org_ids import ou

LP, LE = "/d2l/api/lp/1.4", "/d2l/api/le/1.5"
NEW_USER = {"OrgDefinedId": "S-100", "FirstName": "Ada", "MiddleName": None, "LastName": "Lovelace",
            "ExternalEmail": "ada@example.edu", "UserName": "ada", "RoleId": None, "IsActive": True,
            "SendCreationEmail": False}


def test_whoami_users_and_roles_signed_by_d2lvalence(world):
    api = SignedSession(world.base_url, world.d2l())
    me = api.get(f"{LP}/users/whoami")
    assert me.status_code == 200 and me.json()["Identifier"] == str(world.admin.id)

    made = api.post(f"{LP}/users/", json=NEW_USER)
    assert made.status_code == 200, made.text
    uid = made.json()["UserId"]
    assert api.get(f"{LP}/users/{uid}").json() == made.json()
    assert api.get(f"{LP}/users/", params={"userName": "ada"}).json()["UserId"] == uid
    assert [u["UserId"] for u in api.get(f"{LP}/users/", params={"orgDefinedId": "S-100"}).json()] == [uid]
    listed = api.get(f"{LP}/users/").json()
    assert uid in [u["UserId"] for u in listed["Items"]] and listed["PagingInfo"]["HasMoreItems"] is False
    update = {k: v for k, v in NEW_USER.items() if k not in ("RoleId", "IsActive", "SendCreationEmail")}
    changed = api.put(f"{LP}/users/{uid}", json={**update, "LastName": "King", "Activation": {"IsActive": True}})
    assert changed.status_code == 200 and changed.json()["LastName"] == "King"

    roles = api.get(f"{LP}/roles/").json()
    student = next(r for r in roles if r["DisplayName"] == "Student")
    assert api.get(f"{LP}/roles/{student['Identifier']}").json() == student

    assert api.delete(f"{LP}/users/{uid}").status_code == 200
    assert api.get(f"{LP}/users/{uid}").status_code == 404


def test_a_user_without_the_admin_role_cannot_create_users(world):
    learner = world.user("learner")
    api = SignedSession(world.base_url, world.d2l(learner))
    assert api.get(f"{LP}/users/whoami").json()["Identifier"] == str(learner.id)
    refused = api.post(f"{LP}/users/", json=NEW_USER)
    assert refused.status_code == 403
    assert refused.json()["detail"] == "No permission to perform this action."


def test_enrollments_signed_by_d2lvalence_paged_by_bookmark(world):
    course = world.course("Biology")
    course_ou = ou(world, course)
    for n in range(104):
        world.enroll(world.user(f"s{n:03}"), course)
    sam = world.user("sam", name="Sam Student")
    api = SignedSession(world.base_url, world.d2l())
    made = api.post(f"{LP}/enrollments/", json={"OrgUnitId": course_ou, "UserId": sam.id, "RoleId": 3})
    assert made.status_code == 200, made.text

    seen, bookmark = [], None
    while True:
        page = api.get(f"{LP}/enrollments/orgUnits/{course_ou}/users/",
                       params={"roleId": 3, **({"bookmark": bookmark} if bookmark else {})}).json()
        seen += [int(i["User"]["Identifier"]) for i in page["Items"]]
        if not page["PagingInfo"]["HasMoreItems"]:
            break
        bookmark = page["PagingInfo"]["Bookmark"]
    assert len(seen) == len(set(seen)) == 105 and sam.id in seen

    theirs = api.get(f"{LP}/enrollments/users/{sam.id}/orgUnits/").json()
    assert [i["OrgUnit"]["Id"] for i in theirs["Items"]] == [course_ou]
    assert api.delete(f"{LP}/enrollments/orgUnits/{course_ou}/users/{sam.id}").json() == made.json()
    assert api.get(f"{LP}/enrollments/users/{sam.id}/orgUnits/").json()["Items"] == []


def test_import_logs_name_the_skipped_resource(world):
    course = world.course("Target")
    course_ou = ou(world, course)
    api = SignedSession(world.base_url, world.d2l())
    token = api.post(f"{LE}/import/{course_ou}/imports/", files={"file": ("c.imscc", cartridge())}).json()["JobToken"]
    world.run_jobs()
    logs = api.get(f"{LE}/import/{course_ou}/imports/{token}/logs").json()
    assert "Skipped: resource r_lti of type 'imsbasiclti_xmlv1p3' is not imported" in [
        o["Message"] for o in logs["Items"]]


def test_a_d2l_user_and_enrollment_are_read_back_through_canvas(world):
    course = world.course("Biology")
    course_ou = ou(world, course)
    api = SignedSession(world.base_url, world.d2l())
    uid = api.post(f"{LP}/users/", json=NEW_USER).json()["UserId"]
    assert api.post(f"{LP}/enrollments/", json={"OrgUnitId": course_ou, "UserId": uid, "RoleId": 4}).ok
    with world.client(world.admin_token) as http:
        user = http.get(f"/api/v1/users/{uid}").json()
        assert (user["name"], user["login_id"], user["sis_user_id"]) == ("Ada Lovelace", "ada", "S-100")
        [enrollment] = http.get(f"/api/v1/courses/{course.id}/enrollments", params={"user_id": uid}).json()
        assert (enrollment["type"], enrollment["role_id"], enrollment["enrollment_state"]) == (
            "TeacherEnrollment", 4, "active")
        assert http.get("/api/v1/users/sis_user_id:S-100").json()["id"] == uid


def test_password_my_enrollment_paged_classlist_and_unenroll_signed_by_d2lvalence(world):
    course = world.course("Biology")
    course_ou = ou(world, course)
    for n in range(101):
        world.enroll(world.user(f"s{n:03}"), course)
    admin = SignedSession(world.base_url, world.d2l())
    uid = admin.post(f"{LP}/users/", json=NEW_USER).json()["UserId"]
    assert admin.put(f"{LP}/users/{uid}/password", json={"Password": "a long secret"}).status_code == 200
    with world.tx() as db:
        assert logins.sign_in(db, "ada", "a long secret").id == uid
    enrolled = admin.post(f"{LP}/enrollments/", json={"OrgUnitId": course_ou, "UserId": uid, "RoleId": 3}).json()

    with world.tx() as db:
        ada = db.get_one(User, uid)
    api = SignedSession(world.base_url, world.d2l(ada))
    mine = api.get(f"{LP}/enrollments/myenrollments/{course_ou}")
    assert mine.status_code == 200 and mine.json()["OrgUnit"]["Id"] == course_ou
    assert api.get(f"{LP}/enrollments/myenrollments/{course_ou}/access").json() == mine.json()["Access"]
    profile = api.get(f"{LP}/profile/myProfile").json()
    assert (profile["Email"], profile["ProfileIdentifier"]) == ("ada@example.edu", ada.uuid)
    assert admin.get(f"{LP}/profile/user/{uid}").json() == profile

    seen, page = [], api.get(f"/d2l/api/le/1.7/{course_ou}/classlist/paged/").json()
    while True:
        seen += [int(u["Identifier"]) for u in page["Objects"]]
        if page["Next"] is None:
            break
        next_url = urlsplit(page["Next"])
        page = api.get(f"{next_url.path}?{next_url.query}").json()  # the signature covers the path as sent
    assert len(seen) == len(set(seen)) == 102 and uid in seen

    assert admin.get(f"{LP}/enrollments/users/{uid}/orgUnits/{course_ou}").json() == enrolled
    assert admin.delete(f"{LP}/enrollments/users/{uid}/orgUnits/{course_ou}").json() == enrolled
    assert api.get(f"{LP}/enrollments/myenrollments/{course_ou}").status_code == 404
    assert admin.delete(f"{LP}/users/{uid}/password").status_code == 200
    with world.tx() as db, pytest.raises(NotAuthenticated):
        logins.sign_in(db, "ada", "a long secret")
