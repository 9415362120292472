"""Canvas Enrollment Terms over raw HTTP: exact bodies, the list wrapper and paging, error bodies, refusals."""

from __future__ import annotations

from courseport.core.identity import accounts
from courseport.schema import Term, TermOverride
from tests.dialects.canvas.errors import FORBIDDEN, NOT_FOUND

FALL = {"enrollment_term": {"name": "Fall", "start_at": "2027-09-01T00:00:00Z", "end_at": "2027-12-20T00:00:00Z",
                            "sis_term_id": "F27",
                            "overrides": {"StudentEnrollment": {"start_at": "2027-09-03T00:00:00Z",
                                                                "end_at": "2027-12-18T00:00:00Z"}}}}


def _error(message: str, field: str) -> dict:
    return {"errors": [{"message": message, "field": field}]}


def _created_at(world, term_id: int) -> str:
    with world.tx() as db:
        return db.get(Term, term_id).created_at.strftime("%Y-%m-%dT%H:%M:%SZ")


def test_create_answers_the_term_with_its_overrides(world):
    with world.client(world.admin_token) as c:
        r = c.post("/api/v1/accounts/1/terms", json=FALL)
    assert r.status_code == 200
    term_id = r.json()["id"]
    assert r.json() == {
        "id": term_id, "name": "Fall", "start_at": "2027-09-01T00:00:00Z", "end_at": "2027-12-20T00:00:00Z",
        "created_at": _created_at(world, term_id), "workflow_state": "active", "grading_period_group_id": None,
        "sis_term_id": "F27", "sis_import_id": None,
        "overrides": {"StudentEnrollment": {"start_at": "2027-09-03T00:00:00Z", "end_at": "2027-12-18T00:00:00Z"}}}
    with world.tx() as db:
        assert db.get(Term, term_id).sis_term_id == "F27"
        assert db.get(TermOverride, (term_id, "StudentEnrollment")) is not None


def test_form_encoded_create_and_the_id_forms(world):
    form = {"enrollment_term[name]": "Spring", "enrollment_term[sis_term_id]": "S28",
            "enrollment_term[overrides][ta_enrollment][end_at]": "2028-05-01T00:00:00Z"}
    with world.client(world.admin_token) as c:
        created = c.post("/api/v1/accounts/self/terms", data=form).json()
        by_sis = c.get("/api/v1/accounts/sis_account_id:nope/terms/sis_term_id:S28")
        shown = c.get("/api/v1/accounts/self/terms/sis_term_id:S28")
    assert created["overrides"] == {"TaEnrollment": {"start_at": None, "end_at": "2028-05-01T00:00:00Z"}}
    assert (by_sis.status_code, by_sis.json()) == (404, NOT_FOUND)
    assert shown.json() == created


def test_list_is_wrapped_paged_and_filtered(world):
    with world.tx() as db:
        for n in range(3):
            accounts.create_term(db, 1, f"Term {n}", sis_term_id=f"T{n}")
    world.course("In default term")
    with world.client(world.admin_token) as c:
        first = c.get("/api/v1/accounts/1/terms", params={"per_page": 2, "include[]": "course_count"})
        second = c.get("/api/v1/accounts/1/terms", params={"per_page": 2, "page": 2})
        named = c.get("/api/v1/accounts/1/terms", params={"term_name": "term 1"})
    assert first.status_code == 200 and set(first.json()) == {"enrollment_terms"}
    assert [t["name"] for t in first.json()["enrollment_terms"]] == ["Default Term", "Term 0"]
    assert [t["course_count"] for t in first.json()["enrollment_terms"]] == [1, 0]
    assert 'rel="next"' in first.headers["link"] and "per_page=2" in first.headers["link"]
    assert [t["name"] for t in second.json()["enrollment_terms"]] == ["Term 1", "Term 2"]
    assert 'rel="next"' not in second.headers["link"]
    assert "overrides" not in second.json()["enrollment_terms"][0]
    assert [t["name"] for t in named.json()["enrollment_terms"]] == ["Term 1"]


def test_update_and_delete(world):
    with world.client(world.admin_token) as c:
        term_id = c.post("/api/v1/accounts/1/terms", json=FALL).json()["id"]
        updated = c.put(f"/api/v1/accounts/1/terms/{term_id}", json={"enrollment_term": {
            "end_at": None, "overrides": {"StudentEnrollment": {"start_at": "2027-09-04T00:00:00Z"}}}})
        deleted = c.delete(f"/api/v1/accounts/1/terms/{term_id}")
        again = c.put(f"/api/v1/accounts/1/terms/{term_id}", json={"enrollment_term": {"name": "x"}})
    assert (updated.json()["name"], updated.json()["end_at"]) == ("Fall", None)
    assert updated.json()["overrides"] == {"StudentEnrollment": {"start_at": "2027-09-04T00:00:00Z", "end_at": None}}
    assert deleted.status_code == 200 and deleted.json()["workflow_state"] == "deleted"
    assert "overrides" not in deleted.json()
    assert (again.status_code, again.json()) == (404, NOT_FOUND)
    with world.tx() as db:
        assert db.get(Term, term_id).workflow_state == "deleted"


def test_input_errors_name_the_parameter(world):
    taken = {"enrollment_term": {"name": "Other", "sis_term_id": "F27"}}
    backwards = {"enrollment_term": {"name": "B", "overrides": {
        "StudentEnrollment": {"start_at": "2027-09-03T00:00:00Z", "end_at": "2027-09-01T00:00:00Z"}}}}
    with world.client(world.admin_token) as c:
        c.post("/api/v1/accounts/1/terms", json=FALL)
        missing = c.post("/api/v1/accounts/1/terms", json={})
        bad_type = c.post("/api/v1/accounts/1/terms", json={"enrollment_term": {"overrides": {"Observer": {}}}})
        duplicate = c.post("/api/v1/accounts/1/terms", json=taken)
        reversed_dates = c.post("/api/v1/accounts/1/terms", json=backwards)
        bad_date = c.post("/api/v1/accounts/1/terms", json={"enrollment_term": {"start_at": "soon"}})
    assert (missing.status_code, missing.json()) == (400, _error(
        "param is missing or the value is empty: enrollment_term", "enrollment_term"))
    assert bad_type.json() == _error("Invalid enrollment type in overrides", "enrollment_term[overrides]")
    assert duplicate.json() == _error('SIS ID "F27" is already in use', "enrollment_term[sis_term_id]")
    assert reversed_dates.json() == _error("End dates cannot be before start dates", "enrollment_term[end_at]")
    assert bad_date.json() == _error("enrollment_term[start_at] must be an ISO 8601 date, got 'soon'",
                                     "enrollment_term[start_at]")
    with world.tx() as db:
        assert [t.name for t in db.query(Term).order_by(Term.id)] == ["Default Term", "Fall"]


def test_the_default_term_and_terms_with_courses_stay(world):
    with world.tx() as db:
        default_id = accounts.default_term(db, 1).id
        busy_id = accounts.create_term(db, 1, "Busy").id
    world.course("Live", term_id=str(busy_id))
    with world.client(world.admin_token) as c:
        default = c.delete(f"/api/v1/accounts/1/terms/{default_id}")
        busy = c.delete(f"/api/v1/accounts/1/terms/{busy_id}")
    assert (default.status_code, default.json()) == (400, _error("Cannot delete the default term", "workflow_state"))
    assert busy.json() == _error("Cannot delete a term with active courses", "workflow_state")
    with world.tx() as db:
        assert db.get(Term, busy_id).workflow_state == "active"


def test_terms_belong_to_root_accounts_only(world):
    with world.tx() as db:
        sub = accounts.create_account(db, "Science", 1).id
    with world.client(world.admin_token) as c:
        listed = c.get(f"/api/v1/accounts/{sub}/terms")
        created = c.post(f"/api/v1/accounts/{sub}/terms", json=FALL)
    root_only = {"errors": [{"message": "Terms only belong to root_accounts."}]}
    assert (listed.status_code, listed.json()) == (400, root_only)
    assert created.status_code == 400


def test_who_may_read_and_write(world):
    with world.tx() as db:
        sub = accounts.create_account(db, "Science", 1).id
    sub_admin, sub_token = world.user_with_token("subadmin")
    with world.tx() as db:
        accounts.make_admin(db, sub_admin.id, sub)
    course = world.course("Algebra")
    cast = world.cast(course)
    with world.client(sub_token) as c:
        assert c.get("/api/v1/accounts/1/terms").status_code == 200
        refused = c.post("/api/v1/accounts/1/terms", json=FALL)
    assert (refused.status_code, refused.json()) == (403, FORBIDDEN)
    for role in ("teacher", "ta", "designer"):
        with world.client(cast[role]) as c:
            terms = c.get("/api/v1/accounts/1/terms").json()["enrollment_terms"]
            assert "sis_term_id" not in terms[0] and "sis_import_id" not in terms[0]
            assert c.put(f"/api/v1/accounts/1/terms/{terms[0]['id']}",
                         json={"enrollment_term": {"name": "x"}}).status_code == 403
    for role in ("student", "observer"):
        with world.client(cast[role]) as c:
            assert c.get("/api/v1/accounts/1/terms").json() == FORBIDDEN
    with world.client() as c:
        assert c.get("/api/v1/accounts/1/terms").status_code == 401
    with world.client(world.admin_token) as c:
        assert c.get("/api/v1/accounts/1/terms/999999").json() == NOT_FOUND
