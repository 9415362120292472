"""Canvas "List active courses in an account" over raw HTTP: bodies, paging, filters, error bodies, refusals."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from courseport.core.identity import accounts
from courseport.schema import BlueprintSubscription, BlueprintTemplate, Course, Term
from tests.dialects.canvas.errors import FORBIDDEN, NOT_FOUND, UNAUTHENTICATED


def _names(response) -> list[str]:
    assert response.status_code == 200, response.text
    return [c["name"] for c in response.json()]


def _sub_account(world, name: str, parent_id: int = 1) -> int:
    with world.tx() as db:
        return accounts.create_account(db, name, parent_id, f"sis-{name}").id


def test_a_listed_course_is_the_course_as_shown_alone(world):
    course = world.course("Algebra", course_code="ALG", sis_course_id="ALG-1")
    world.enroll(world.user("s"), course)
    with world.client(world.admin_token) as c:
        listed = c.get("/api/v1/accounts/1/courses", params={"include[]": ["term", "total_students"]})
        alone = c.get(f"/api/v1/courses/{course.id}", params={"include[]": ["term", "total_students"]})
        with_name = c.get("/api/v1/accounts/self/courses", params={"include[]": ["account_name", "permissions"]})
    assert listed.json() == [alone.json()]
    assert listed.json()[0]["total_students"] == 1 and listed.json()[0]["sis_course_id"] == "ALG-1"
    assert with_name.json()[0]["account_name"] == "courseport"
    assert "permissions" not in with_name.json()[0] and "account" not in with_name.json()[0]


def test_paging_links_have_no_last(world):
    for n in range(3):
        world.course(f"C{n}")
    with world.client(world.admin_token) as c:
        first = c.get("/api/v1/accounts/1/courses", params={"per_page": 2})
        second = c.get("/api/v1/accounts/1/courses", params={"per_page": 2, "page": 2})
    assert _names(first) == ["C0", "C1"] and _names(second) == ["C2"]
    assert 'rel="next"' in first.headers["link"] and 'rel="last"' not in first.headers["link"]
    assert 'rel="next"' not in second.headers["link"] and 'rel="prev"' in second.headers["link"]


def test_the_tree_below_and_by_subaccounts(world):
    science = _sub_account(world, "Science")
    physics = _sub_account(world, "Physics", science)
    world.course("Root course")
    world.course("Science course", account_id=science)
    world.course("Physics course", account_id=physics)
    with world.client(world.admin_token) as c:
        assert _names(c.get(f"/api/v1/accounts/{science}/courses")) == ["Science course", "Physics course"]
        assert _names(c.get("/api/v1/accounts/sis_account_id:sis-Physics/courses")) == ["Physics course"]
        assert _names(c.get("/api/v1/accounts/1/courses", params={"by_subaccounts[]": [physics]})) == [
            "Physics course"]
        assert _names(c.get("/api/v1/accounts/1/courses", params={"sort": "account_name"})) == [
            "Root course", "Physics course", "Science course"]
        assert _names(c.get("/api/v1/accounts/1/courses", params={"sort": "account_name", "order": "desc"})) == [
            "Science course", "Physics course", "Root course"]


def test_states_terms_dates_and_blueprint_associations(world):
    past = datetime.now(UTC) - timedelta(days=30)
    with world.tx() as db:
        ended_term = accounts.create_term(db, 1, "Ended", end_at=past, start_at=past - timedelta(days=90)).id
    live = world.course("Live", start_at=datetime(2026, 1, 1, tzinfo=UTC))
    world.course("In ended term", term_id=str(ended_term))
    world.course("Ended by date", end_at=past)
    gone = world.course("Gone")
    blueprint = world.course("Blueprint", blueprint=True)
    with world.tx() as db:
        db.get(Course, gone.id).workflow_state = "deleted"
        template = BlueprintTemplate(course_id=blueprint.id)
        db.add(template)
        db.flush()
        db.add(BlueprintSubscription(template_id=template.id, child_course_id=live.id))
    with world.client(world.admin_token) as c:
        def names(**params):
            return sorted(_names(c.get("/api/v1/accounts/1/courses", params=params)))
        assert names(completed="true") == ["Ended by date", "In ended term"]
        assert names(completed="false") == ["Blueprint", "Live"]
        assert names(**{"state[]": "deleted"}) == ["Gone"]
        assert len(names(**{"state[]": "all"})) == 5
        assert names(enrollment_term_id=ended_term) == ["In ended term"]
        assert names(blueprint_associated="true") == ["Live"]
        # undated courses in undated terms count as started, as on Canvas
        assert names(starts_before="2026-06-01T00:00:00Z") == ["Blueprint", "Ended by date", "Live"]
        assert names(ends_after=datetime.now(UTC).isoformat()) == ["Blueprint", "Live"]
        missing = c.get("/api/v1/accounts/1/courses", params={"enrollment_term_id": 99999999})
    assert (missing.status_code, missing.json()) == (404, NOT_FOUND)


def test_teacher_sort_and_search(world):
    first, second = world.course("Z course"), world.course("A course")
    world.enroll(world.user("b", name="Bea Brown"), first, "TeacherEnrollment")
    world.enroll(world.user("a", name="Al Adams"), second, "TeacherEnrollment")
    world.course("No teacher")
    with world.client(world.admin_token) as c:
        assert _names(c.get("/api/v1/accounts/1/courses", params={"sort": "teacher", "order": "asc"})) == [
            "A course", "Z course", "No teacher"]
        assert _names(c.get("/api/v1/accounts/1/courses", params={"search_term": "adams", "search_by": "teacher"})) == [
            "A course"]
        short = c.get("/api/v1/accounts/1/courses", params={"search_term": "a"})
        bad_sort = c.get("/api/v1/accounts/1/courses", params={"sort": "size"})
        bad_flag = c.get("/api/v1/accounts/1/courses", params={"published": "maybe"})
    assert (short.status_code, short.json()) == (400, {"errors": [
        {"message": "2 or more characters is required", "field": "search_term"}]})
    assert bad_sort.json() == {"errors": [{"message": "sort must be one of course_name, sis_course_id, teacher, "
                                                      "account_name", "field": "sort"}]}
    assert bad_flag.json()["errors"][0]["field"] == "published"


def test_only_admins_of_the_account_list_it(world):
    science = _sub_account(world, "Science")
    world.course("Science course", account_id=science)
    course = world.course("Root course")
    cast = world.cast(course)
    sub_admin, sub_token = world.user_with_token("subadmin")
    with world.tx() as db:
        accounts.make_admin(db, sub_admin.id, science)
    with world.client(sub_token) as c:
        assert _names(c.get(f"/api/v1/accounts/{science}/courses")) == ["Science course"]
        assert c.get("/api/v1/accounts/1/courses").json() == FORBIDDEN
    for role in ("teacher", "student"):
        with world.client(cast[role]) as c:
            refused = c.get("/api/v1/accounts/1/courses")
        assert (refused.status_code, refused.json()) == (403, FORBIDDEN)
    with world.client() as c:
        anonymous = c.get("/api/v1/accounts/1/courses")
    assert (anonymous.status_code, anonymous.json()) == (401, UNAUTHENTICATED)
    with world.client(world.admin_token) as c:
        assert c.get("/api/v1/accounts/424242/courses").json() == NOT_FOUND
    with world.tx() as db:
        assert db.query(Term).count() == 1


def test_crosslisted_courses_are_included_when_asked(world):
    science = _sub_account(world, "Science")
    home = world.course("Home", account_id=science)
    host = world.course("Host")
    with world.client(world.admin_token) as c:
        lab = c.post(f"/api/v1/courses/{home.id}/sections", json={"course_section": {"name": "Lab"}}).json()
        c.post(f"/api/v1/sections/{lab['id']}/crosslist/{host.id}")
        plain = c.get(f"/api/v1/accounts/{science}/courses")
        crosslisted = c.get(f"/api/v1/accounts/{science}/courses", params={"include_crosslisted_courses": True})
    assert _names(plain) == ["Home"]
    assert _names(crosslisted) == ["Home", "Host"]
