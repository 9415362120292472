"""Valence rights on people (a user without the admin role writes no users and no enrollments: 403,
nothing changed) and the myenrollments filters, each inside the one bookmark-paged list."""

from __future__ import annotations

from datetime import UTC, datetime

from courseport.schema import Enrollment, User
from tests.dialects.d2l.org_ids import ou
from tests.dialects.d2l.test_people import LP, new_user

REFUSED = (403, "No permission to perform this action.")


def _states(world, course, user) -> list[str]:
    with world.tx() as db:
        return [e.workflow_state for e in db.query(Enrollment).filter_by(course_id=course.id, user_id=user.id)]


def test_a_teacher_without_the_admin_role_cannot_enroll_or_unenroll(world):
    course, sam = world.course("Biology"), world.user("sam")
    teacher, token = world.user_with_token("tia")
    world.enroll(teacher, course, "TeacherEnrollment")
    world.enroll(sam, course)
    course_ou = ou(world, course)
    with world.client(token) as http:
        made = http.post(f"{LP}/enrollments/", json={"OrgUnitId": course_ou, "UserId": world.user("bo").id,
                                                     "RoleId": 3})
        assert (made.status_code, made.json()["detail"]) == REFUSED
        gone = http.delete(f"{LP}/enrollments/orgUnits/{course_ou}/users/{sam.id}")
        assert (gone.status_code, gone.json()["detail"]) == REFUSED
        assert http.get(f"{LP}/enrollments/orgUnits/{course_ou}/users/{sam.id}").status_code == 200  # reads stay
    assert _states(world, course, sam) == ["active"]
    with world.tx() as db:
        assert db.query(Enrollment).filter_by(course_id=course.id).count() == 2


def test_a_user_without_the_admin_role_cannot_update_or_delete_users(world):
    with world.client(world.admin_token) as http:
        uid = http.post(f"{LP}/users/", json=new_user()).json()["UserId"]
    me, token = world.user_with_token("lee")
    update = {k: v for k, v in new_user().items() if k not in ("RoleId", "IsActive", "SendCreationEmail")}
    with world.client(token) as http:
        own = http.put(f"{LP}/users/{me.id}", json={**update, "UserName": "lee", "OrgDefinedId": "L-1",
                                                    "Activation": {"IsActive": True}})
        assert (own.status_code, own.json()["detail"]) == REFUSED
        assert http.delete(f"{LP}/users/{me.id}").status_code == 403
        assert http.put(f"{LP}/users/{uid}", json={**update, "Activation": {"IsActive": True}}).status_code in (
            403, 404)  # another user: not even visible to them
    with world.tx() as db:
        assert (db.get(User, me.id).name, db.get(User, me.id).workflow_state) == ("Lee", "registered")
        assert db.get(User, uid).name == "Ada Lovelace"


def _dated(world, name, code, start, end, *, state="available"):
    course = world.course(name, course_code=code)
    with world.tx() as db:
        row = db.merge(course)
        row.start_at, row.end_at, row.workflow_state = start, end, state
    return course


def test_my_enrollments_filters_and_sort(world):
    me, token = world.user_with_token("sam")
    a = _dated(world, "Algebra", "ALG", datetime(2026, 1, 1, tzinfo=UTC), datetime(2026, 6, 1, tzinfo=UTC))
    b = _dated(world, "Botany", "BOT", datetime(2026, 3, 1, tzinfo=UTC), datetime(2026, 9, 1, tzinfo=UTC))
    c = _dated(world, "Chemistry", "CHE", datetime(2026, 5, 1, tzinfo=UTC), None, state="claimed")
    for course in (a, b, c):
        world.enroll(me, course)
    d = world.course("Drama", course_code="DRA")
    world.enroll(me, d, state="inactive")
    oa, ob, oc, od = (ou(world, course) for course in (a, b, c, d))

    def ids(**params) -> list[int]:
        with world.client(token) as http:
            answer = http.get(f"{LP}/enrollments/myenrollments/", params=params)
        assert answer.status_code == 200, answer.text
        return [i["OrgUnit"]["Id"] for i in answer.json()["Items"]]

    assert ids(sortBy="OrgUnitName") == [oa, ob, oc, od]
    assert ids(sortBy="-OrgUnitCode") == [od, oc, ob, oa]
    assert ids(isActive="false", sortBy="OrgUnitCode") == [oc]
    assert ids(canAccess="true", sortBy="OrgUnitCode") == [oa, ob]
    assert ids(canAccess="false", sortBy="OrgUnitCode") == [oc, od]  # unpublished; inactive enrollment
    assert ids(startDateTime="2026-02-01T00:00:00.000Z", sortBy="StartDate") == [ob, oc]
    assert ids(endDateTime="2026-07-01T00:00:00.000Z") == [oa]
    assert ids(orgUnitTypeId="3", sortBy="-StartDate,OrgUnitName")[:3] == [oc, ob, oa]
    assert ids(orgUnitTypeId="2") == []
    with world.client(token) as http:
        for params, field in (({"sortBy": "Grade"}, "sortBy"), ({"startDateTime": "soon"}, "startDateTime"),
                              ({"canAccess": "yes"}, "canAccess"), ({"orgUnitTypeId": "course"}, "orgUnitTypeId")):
            bad = http.get(f"{LP}/enrollments/myenrollments/", params=params)
            assert bad.status_code == 400 and field in bad.json()["detail"], params


def test_my_enrollments_filtered_pages_by_bookmark(world):
    me, token = world.user_with_token("sam")
    for n in range(105):
        world.enroll(me, world.course(f"Open {n:03}", course_code=f"O{n:03}"))
    for n in range(3):
        world.enroll(me, _dated(world, f"Closed {n}", f"C{n}", None, None, state="claimed"))
    seen, bookmark = [], None
    with world.client(token) as http:
        while True:
            page = http.get(f"{LP}/enrollments/myenrollments/",
                            params={"isActive": "true", "sortBy": "-OrgUnitCode",
                                    **({"bookmark": bookmark} if bookmark else {})}).json()
            seen += [i["OrgUnit"]["Code"] for i in page["Items"]]
            if not page["PagingInfo"]["HasMoreItems"]:
                break
            bookmark = page["PagingInfo"]["Bookmark"]
    assert seen == [f"O{n:03}" for n in reversed(range(105))]


def test_unique_identifier_is_the_user_name_and_follows_it(world):
    with world.client(world.admin_token) as http:
        made = http.post(f"{LP}/users/", json=new_user()).json()
        assert (made["UserName"], made["UniqueIdentifier"]) == ("ada", "ada")
        update = {k: v for k, v in new_user().items() if k not in ("RoleId", "IsActive", "SendCreationEmail")}
        changed = http.put(f"{LP}/users/{made['UserId']}", json={**update, "UserName": "ada.king",
                                                                 "Activation": {"IsActive": True}})
        assert changed.status_code == 200, changed.text
        again = http.get(f"{LP}/users/{made['UserId']}").json()
        assert (again["UserName"], again["UniqueIdentifier"]) == ("ada.king", "ada.king")
