"""The console's course list over raw HTTP: each filter (search, account, term, state, blueprint) and
paging, as an administrator lists an account's courses."""

from __future__ import annotations

import re

from courseport.core.courses import org_units
from courseport.core.identity import accounts
from courseport.schema import Course
from tests.web.test_console_auth import console, sign_in

LINK = re.compile(r'<a href="/console/courses/(\d+)">([^<]+)</a>')


def listed(client, query: str) -> list[str]:  # noqa: ANN001
    page = client.get(f"/console/courses?{query}")
    assert page.status_code == 200, page.text
    return [name for _, name in LINK.findall(page.text)]


def test_each_filter_narrows_the_list_and_pages_hold_25(world):
    with world.tx() as db:
        sub = accounts.create_account(db, "Law School", 1).id
        term = accounts.create_term(db, 1, "Winter", sis_term_id="winter").id
    world.course("Torts", account_id=sub)
    world.course("Blue print", blueprint=True)
    world.course("Winter seminar", term_id=str(term))
    world.course("Draft", offer=False)
    for n in range(24):
        world.course(f"Filler {n:02}")
    with console(world) as c:
        assert sign_in(c, access_token=world.admin_token).status_code == 303
        assert listed(c, "search=torts") == ["Torts"]
        assert listed(c, f"account={sub}") == ["Torts"]
        assert listed(c, "blueprint=yes") == ["Blue print"]
        assert "Blue print" not in listed(c, "blueprint=no")
        assert listed(c, f"term={term}") == ["Winter seminar"]
        assert listed(c, "state=unpublished") == ["Draft"]
        first, second = listed(c, ""), listed(c, "page=2")
        short = c.get("/console/courses?search=x")
    assert len(first) == 25 and len(second) == 3 and not set(first) & set(second)
    with world.tx() as db:
        assert db.query(Course).count() == 28
    assert short.status_code == 400 and "2 or more characters is required" in short.text


def test_a_course_page_shows_its_id_in_each_face(world):
    course = world.course("Torts", course_code="TORTS-1")
    with world.tx() as db:
        offering = org_units.org_unit_id_of(db, org_units.COURSE_OFFERING, course.id)
    with console(world) as c:
        assert sign_in(c, access_token=world.admin_token).status_code == 303
        page = c.get(f"/console/courses/{course.id}")
        valence = c.get(f"/d2l/api/lp/1.4/orgstructure/{offering}", headers={
            "Authorization": f"Bearer {world.admin_token}"})
    assert page.status_code == 200
    shown = dict(re.findall(r"<dt>([^<]+)</dt><dd>([^<]*)</dd>", page.text.split('id="face-ids"')[1]))
    assert {k: shown[k] for k in ("Canvas id", "Learn courseId", "D2L OrgUnitId")} == {
        "Canvas id": str(course.id), "Learn courseId": "TORTS-1", "D2L OrgUnitId": str(offering)}
    assert valence.json()["Name"] == "Torts"  # the id shown is the one the Valence face resolves


def test_a_teacher_filters_their_own_courses_by_search_term_and_blueprint(world):
    with world.tx() as db:
        term = accounts.create_term(db, 1, "Spring", sis_term_id="spring").id
    mine = [world.course("Torts", course_code="LAW-1"), world.course("Spring seminar", term_id=str(term)),
            world.course("Blue print", blueprint=True), world.course("Draft", offer=False)]
    world.course("Torts for others", term_id=str(term), blueprint=True)  # matches every filter; not theirs
    teacher, token = world.user_with_token("alan")
    for course in mine:
        world.enroll(teacher, course, "TeacherEnrollment")
    with console(world) as c:
        assert sign_in(c, access_token=token).status_code == 303
        form = c.get("/console/courses").text
        assert listed(c, "search=tort") == ["Torts"]
        assert listed(c, "search=law-") == ["Torts"]
        assert listed(c, f"term={term}") == ["Spring seminar"]
        assert listed(c, "blueprint=yes") == ["Blue print"]
        assert sorted(listed(c, "blueprint=no")) == ["Draft", "Spring seminar", "Torts"]
        assert listed(c, f"search=seminar&term={term}&state=available") == ["Spring seminar"]
        assert listed(c, "search=draft&state=unpublished") == ["Draft"]
        short, bad_term = c.get("/console/courses?search=x"), c.get("/console/courses?term=spring")
    assert 'id="search"' in form and f'<option value="{term}">Spring</option>' in form
    assert short.status_code == 400 and "2 or more characters is required" in short.text
    assert bad_term.status_code == 400 and "Choose a term" in bad_term.text
    with world.tx() as db:
        assert db.query(Course).count() == 5
