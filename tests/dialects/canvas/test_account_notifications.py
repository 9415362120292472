"""Canvas account notifications over raw HTTP: exact bodies, who sees which (roles, dates, closing), the
errors naming their fields, and what is stored after each call."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy import select

from courseport.schema import AccountNotification, AccountNotificationClosure, AccountNotificationRole, Role
from tests.dialects.canvas.errors import FORBIDDEN, NOT_FOUND

URL = "/api/v1/accounts/1/account_notifications"


def _when(days: int) -> str:
    return (datetime.now(UTC) + timedelta(days=days)).strftime("%Y-%m-%dT%H:%M:%SZ")


def _form(subject: str = "Notice", start: int = -1, end: int = 1, **extra: str) -> dict:
    return {"account_notification[subject]": subject, "account_notification[message]": "Hello",
            "account_notification[start_at]": _when(start), "account_notification[end_at]": _when(end), **extra}


def _stored(world) -> list[tuple]:
    with world.tx() as db:
        rows = db.scalars(select(AccountNotification).order_by(AccountNotification.id))
        return [(r.subject, r.message, r.icon, r.author_id) for r in rows]


def _role_id(world, name: str) -> int:
    with world.tx() as db:
        return db.scalar(select(Role.id).where(Role.name == name, Role.account_id.is_(None)))


def test_create_answers_the_notification_and_keeps_it(world):
    start, end = _when(-1), _when(5)
    form = {"account_notification[subject]": "Maintenance", "account_notification[start_at]": start,
            "account_notification[end_at]": end, "account_notification[icon]": "calendar",
            "account_notification[message]": '<p onclick="x()">Saturday <b>9am</b></p><script>bad()</script>',
            "account_notification_roles[]": ["StudentEnrollment", str(_role_id(world, "TeacherEnrollment"))]}
    with world.client(world.admin_token) as c:
        r = c.post(URL, data=form)
    assert r.status_code == 200, r.text
    student, teacher = _role_id(world, "StudentEnrollment"), _role_id(world, "TeacherEnrollment")
    assert r.json() == {"id": r.json()["id"], "subject": "Maintenance", "message": "<p>Saturday <b>9am</b></p>",
                        "start_at": start, "end_at": end, "icon": "calendar",
                        "roles": ["StudentEnrollment", "TeacherEnrollment"], "role_ids": [student, teacher]}
    assert _stored(world) == [("Maintenance", "<p>Saturday <b>9am</b></p>", "calendar", world.admin.id)]
    with world.tx() as db:
        assert sorted(db.scalars(select(AccountNotificationRole.role_id))) == sorted([student, teacher])


def test_bad_input_names_the_field_and_keeps_nothing(world):
    cases = [
        (_form(start=3, end=1), "account_notification[end_at]", "account_notification[end_at] must be after start_at"),
        (_form(**{"account_notification[icon]": "smile"}), "account_notification[icon]",
         "account_notification[icon] must be one of warning, information, question, error, calendar"),
        ({k: v for k, v in _form().items() if not k.endswith("[subject]")}, "account_notification[subject]",
         "account_notification[subject] is required"),
        (_form(**{"account_notification[start_at]": "soon"}), "account_notification[start_at]",
         "account_notification[start_at] must be an ISO 8601 date, got 'soon'"),
        (_form(**{"account_notification_roles[]": "NoSuchRole"}), "account_notification_roles[]",
         "no role 'NoSuchRole' in this account"),
    ]
    with world.client(world.admin_token) as c:
        for form, field, message in cases:
            r = c.post(URL, data=form)
            assert r.status_code == 400, (field, r.text)
            assert r.json() == {"errors": [{"message": message, "field": field}]}
    assert _stored(world) == []


def test_only_admins_post_and_edit(world):
    _, token = world.user_with_token("plain")
    with world.client(world.admin_token) as c:
        notice_id = c.post(URL, data=_form("Kept")).json()["id"]
    with world.client(token) as c:
        assert c.post(URL, data=_form()).json() == FORBIDDEN
        r = c.put(f"{URL}/{notice_id}", data={"account_notification[subject]": "Changed"})
    assert (r.status_code, r.json()) == (403, FORBIDDEN)
    assert [row[0] for row in _stored(world)] == ["Kept"]


def test_update_changes_only_what_is_given_and_checks_dates_against_the_kept_ones(world):
    with world.client(world.admin_token) as c:
        created = c.post(URL, data=_form("Before", start=-1, end=2)).json()
        r = c.put(f"{URL}/{created['id']}", data={"account_notification[subject]": "After",
                                                  "account_notification_roles[]": "StudentEnrollment"})
        assert r.status_code == 200, r.text
        assert r.json() == {**created, "subject": "After", "roles": ["StudentEnrollment"],
                            "role_ids": [_role_id(world, "StudentEnrollment")]}
        bad = c.put(f"{URL}/{created['id']}", data={"account_notification[end_at]": _when(-3)})
        end_at = "account_notification[end_at]"
        assert (bad.status_code, bad.json()) == (400, {"errors": [{
            "message": f"{end_at} must be after start_at", "field": end_at}]})
        assert c.put(f"{URL}/999999", data={"account_notification[subject]": "x"}).json() == NOT_FOUND
    assert [row[0] for row in _stored(world)] == ["After"]


def test_users_see_live_ones_for_their_roles_and_close_them_for_themselves(world):
    course = world.course("Shown")
    student, student_token = world.user_with_token("stu")
    teacher, teacher_token = world.user_with_token("tea")
    world.enroll(student, course)
    world.enroll(teacher, course, "TeacherEnrollment")
    with world.client(world.admin_token) as c:
        everyone = c.post(URL, data=_form("Everyone")).json()
        only_teachers = {"account_notification_roles[]": "TeacherEnrollment"}
        teachers = c.post(URL, data=_form("Teachers", start=-2, **only_teachers)).json()
        ended = c.post(URL, data=_form("Ended", start=-5, end=-2)).json()
        future = c.post(URL, data=_form("Future", start=2, end=4)).json()
        assert {n["id"] for n in c.get(URL, params={"include_all": "true"}).json()} == {
            everyone["id"], teachers["id"], ended["id"], future["id"]}
    with world.client(student_token) as c:
        assert [n["subject"] for n in c.get(URL).json()] == ["Everyone"]
        assert c.get(f"{URL}/{teachers['id']}").json() == NOT_FOUND
        assert c.get(f"{URL}/{future['id']}").json() == NOT_FOUND
        assert c.get(f"{URL}/{ended['id']}").json() == ended
        r = c.delete(f"{URL}/{everyone['id']}")
        assert (r.status_code, r.json()) == (200, everyone)
        assert c.get(URL).json() == []
        assert [n["subject"] for n in c.get(URL, params={"include_past": "true"}).json()] == ["Everyone", "Ended"]
        assert c.delete(f"{URL}/{teachers['id']}").json() == NOT_FOUND
    with world.client(teacher_token) as c:
        assert [n["subject"] for n in c.get(URL).json()] == ["Everyone", "Teachers"]
        r = c.delete(f"/api/v1/accounts/1/users/self/account_notifications/{teachers['id']}")
        assert (r.status_code, r.json()) == (200, teachers)
        assert [n["subject"] for n in c.get(f"/api/v1/accounts/1/users/{teacher.id}/account_notifications").json()
                ] == ["Everyone"]
        r = c.get(f"/api/v1/accounts/1/users/{student.id}/account_notifications")
        assert (r.status_code, r.json()) == (403, FORBIDDEN)
    with world.tx() as db:
        closed = db.execute(select(AccountNotificationClosure.notification_id, AccountNotificationClosure.user_id)
                            .order_by(AccountNotificationClosure.notification_id)).all()
    assert [tuple(row) for row in closed] == [(everyone["id"], student.id), (teachers["id"], teacher.id)]


def test_an_outsider_of_a_sub_account_may_not_list_its_notices(world):
    _, token = world.user_with_token("outsider")
    with world.client(world.admin_token) as c:
        sub = c.post("/api/v1/accounts/1/sub_accounts", data={"account[name]": "Faculty"}).json()
        assert c.post(f"/api/v1/accounts/{sub['id']}/account_notifications", data=_form("Sub")).status_code == 200
    with world.client(token) as c:
        r = c.get(f"/api/v1/accounts/{sub['id']}/account_notifications")
    assert (r.status_code, r.json()) == (403, FORBIDDEN)
