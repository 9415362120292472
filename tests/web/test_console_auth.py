"""The console over raw HTTP: `/` leads to it, signing in and out, the session cookie's flags, CSRF on
every form (sign-in, a copy, an upload), who may sign in, and what a teacher's course list holds."""

from __future__ import annotations

import re

import httpx
from sqlalchemy import func, select

from courseport.core.identity import accounts, logins
from courseport.schema import AccessToken, Account, Course, Job, User

CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')


def csrf_of(html: str) -> str:
    found = CSRF.search(html)
    assert found, html
    return found.group(1)


def sign_in(client: httpx.Client, **fields: str) -> httpx.Response:
    page = client.get("/console/sign-in")
    assert page.status_code == 200
    return client.post("/console/sign-in", data={"csrf_token": csrf_of(page.text), **fields})


def opens_session(answer: httpx.Response) -> bool:
    """Whether the answer sets a (non-empty) session cookie."""
    return any(h.startswith("courseport_console=") and not h.startswith('courseport_console="";')
               for h in answer.headers.get_list("set-cookie"))


def console(world) -> httpx.Client:  # noqa: ANN001
    return httpx.Client(base_url=world.base_url, timeout=30)


def with_password(world, login: str, password: str, *, admin: bool = False) -> User:  # noqa: ANN001
    user = world.user(login)
    with world.tx() as db:
        found = db.get(User, user.id)
        logins.add_login(db, found, db.get(Account, 1), logins.LoginChanges(
            given={"unique_id", "password"}, unique_id=f"{login}@example.test", password=password))
        if admin:
            accounts.make_admin(db, user.id)
    return user


def count(world, model, *where) -> int:  # noqa: ANN001, ANN002
    with world.tx() as db:
        return db.scalar(select(func.count()).select_from(model).where(*where))


def test_root_and_console_lead_to_the_courses_page_through_sign_in(world):
    with console(world) as c:
        assert c.get("/").headers["location"] == "/console/"
        assert c.get("/console/").headers["location"] == "/console/courses"
        answer = c.get("/console/courses")
        assert answer.status_code == 303
        assert answer.headers["location"] == "/console/sign-in?next=/console/courses"
        page = c.get("/console/sign-in")
    assert page.status_code == 200
    assert '<label for="access_token">Access token</label>' in page.text
    assert "default-src 'self'" in page.headers["content-security-policy"]


def test_a_login_and_password_open_a_session_with_a_safe_cookie_and_sign_out_ends_it(world):
    user = with_password(world, "ada", "correct horse", admin=True)
    with console(world) as c:
        answer = sign_in(c, login="ADA@example.test", password="correct horse", next="/console/jobs")
        assert answer.status_code == 303 and answer.headers["location"] == "/console/jobs"
        assert opens_session(answer)
        cookie = next(h for h in answer.headers.get_list("set-cookie") if h.startswith("courseport_console="))
        assert "HttpOnly" in cookie and "SameSite=lax" in cookie and "Path=/console" in cookie
        assert count(world, AccessToken, AccessToken.user_id == user.id, AccessToken.purpose == "console session") == 1
        jobs_page = c.get("/console/jobs")
        assert jobs_page.status_code == 200 and "Ada" in jobs_page.text
        out = c.post("/console/sign-out", data={"csrf_token": csrf_of(jobs_page.text)})
        assert out.status_code == 303 and out.headers["location"] == "/console/sign-in"
    assert count(world, AccessToken, AccessToken.user_id == user.id, AccessToken.purpose == "console session") == 0
    with console(world) as stale:  # the old cookie no longer opens anything
        stale.cookies.set("courseport_console", cookie.split(";")[0].split("=", 1)[1])
        assert stale.get("/console/jobs").status_code == 303


def test_a_wrong_password_and_an_unknown_token_open_nothing(world):
    with_password(world, "ada", "correct horse", admin=True)
    with console(world) as c:
        wrong = sign_in(c, login="ada@example.test", password="wrong horse")
        assert wrong.status_code == 303  # NotAuthenticated: back to the sign-in page
        assert not opens_session(wrong)
        unknown = sign_in(c, access_token="not-a-token")
        assert unknown.status_code == 303 and not opens_session(unknown)
        assert c.get("/console/jobs").status_code == 303
    assert count(world, AccessToken, AccessToken.purpose == "console session") == 0


def test_a_pasted_access_token_signs_in_and_the_page_names_the_user(world):
    with console(world) as c:
        assert sign_in(c, access_token=world.admin_token).status_code == 303
        page = c.get("/console/courses")
    assert page.status_code == 200
    assert "Admin" in page.text


def test_a_student_cannot_sign_in_to_the_console(world):
    course = world.course("Biology")
    student, token = world.user_with_token("kate")
    world.enroll(student, course, "StudentEnrollment")
    with console(world) as c:
        answer = sign_in(c, access_token=token)
        assert answer.status_code == 403
        assert "students and observers cannot sign in" in answer.text
        assert not opens_session(answer)
        assert c.get("/console/courses").status_code == 303
    assert count(world, AccessToken, AccessToken.purpose == "console session") == 0


def test_forms_without_their_csrf_token_are_refused_and_change_nothing(world):
    course = world.course("Biology")
    with console(world) as c:
        refused = c.post("/console/sign-in", data={"access_token": world.admin_token})
        assert refused.status_code == 403 and "security token" in refused.text
        assert sign_in(c, access_token=world.admin_token).status_code == 303
        copy = c.post(f"/console/courses/{course.id}/copy", data={"component": "pages", "target": "new", "name": "X"})
        assert copy.status_code == 403 and "security token" in copy.text
        forged = c.post(f"/console/courses/{course.id}/copy",
                        data={"csrf_token": "0" * 64, "component": "pages", "target": "new", "name": "X"})
        assert forged.status_code == 403
        upload = c.post("/console/packages", data={"course_id": "p"},
                        files={"file": ("p.zip", b"PK", "application/zip")})
        assert upload.status_code == 403
        blueprint = c.post(f"/console/courses/{course.id}/blueprint", data={})
        assert blueprint.status_code == 403
    assert count(world, Job) == 0
    with world.tx() as db:
        assert db.get(Course, course.id).blueprint is False


def test_a_teacher_lists_only_their_own_courses_and_cannot_open_another(world):
    mine, other = world.course("Mine"), world.course("Not mine")
    teacher, token = world.user_with_token("alan")
    world.enroll(teacher, mine, "TeacherEnrollment")
    with console(world) as c:
        assert sign_in(c, access_token=token).status_code == 303
        page = c.get("/console/courses")
        assert page.status_code == 200
        assert f'href="/console/courses/{mine.id}"' in page.text
        assert f'href="/console/courses/{other.id}"' not in page.text
        assert c.get(f"/console/courses/{mine.id}").status_code == 200
        assert c.get(f"/console/courses/{other.id}").status_code == 403
        assert c.get("/console/packages").status_code == 403  # packages are an administrator's


def test_wrong_passwords_are_throttled_per_address_like_every_face(world, monkeypatch):
    from courseport.throttle import FailureThrottle

    monkeypatch.setattr(world.services, "throttle", FailureThrottle(2, 60, clock=lambda: 1000.0))
    with_password(world, "ada", "correct horse", admin=True)
    with console(world) as c:
        for _ in range(2):
            assert sign_in(c, login="ada@example.test", password="wrong horse").status_code == 303
        refused = sign_in(c, login="ada@example.test", password="correct horse")
    assert refused.status_code == 429
    assert refused.headers["retry-after"] == "60" and "Too many failed" in refused.text
    assert not opens_session(refused)
