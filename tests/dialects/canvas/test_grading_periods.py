"""Canvas grading period sets and grading periods over raw HTTP: exact wrappers and bodies, the course's periods
from its term's set, refusals with their error bodies and nothing stored by a refused call."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from sqlalchemy import select

from courseport.core.identity import accounts
from courseport.schema import Course, GradingPeriod, GradingPeriodSet, GradingPeriodSetTerm
from tests.dialects.canvas.errors import FORBIDDEN, NOT_FOUND

_Q1 = {"title": "Q1", "start_date": "2026-01-01T00:00:00Z", "end_date": "2026-03-31T00:00:00Z",
       "close_date": "2026-04-07T00:00:00Z", "weight": "40"}
_Q2 = {"title": "Q2", "start_date": "2026-04-01T00:00:00Z", "end_date": "2026-06-30T00:00:00Z", "weight": "60"}


@pytest.fixture
def cls(world):
    course = world.course("History")
    with world.tx() as db:
        term = accounts.create_term(db, 1, f"Spring {course.id}")
        db.get(Course, course.id).enrollment_term_id = term.id
        term_id = term.id
    tina, tina_token = world.user_with_token(f"tina{course.id}")
    ann, ann_token = world.user_with_token(f"ann{course.id}")
    world.enroll(tina, course, "TeacherEnrollment")
    world.enroll(ann, course)
    return course, term_id, tina_token, ann_token


def _periods_form(*periods: dict) -> dict:
    return {"grading_periods": list(periods)}


def _stored_sets(world) -> list[tuple]:
    with world.tx() as db:
        return [(s.title, s.account_id, s.course_id, s.weighted, s.display_totals,
                 sorted(db.scalars(select(GradingPeriodSetTerm.term_id).where(GradingPeriodSetTerm.set_id == s.id))))
                for s in db.scalars(select(GradingPeriodSet).order_by(GradingPeriodSet.id))]


def _stored_periods(world) -> list[tuple]:
    with world.tx() as db:
        return [(p.title, p.start_date, p.end_date, p.close_date, p.weight)
                for p in db.scalars(select(GradingPeriod).order_by(GradingPeriod.start_date))]


def _make_set(world, term_id, **extra):
    with world.client(world.admin_token) as c:
        r = c.post("/api/v1/accounts/1/grading_period_sets",
                   json={"grading_period_set": {"title": "Year", "weighted": True, **extra},
                         "enrollment_term_ids": [term_id]})
    assert r.status_code == 201, r.text
    return r.json()["grading_period_set"]


def test_set_create_answers_the_wrapped_set_and_stores_it(world, cls):
    _, term_id, _, _ = cls
    made = _make_set(world, term_id)
    assert made == {"id": made["id"], "title": "Year", "weighted": True,
                    "display_totals_for_all_grading_periods": False, "account_id": "1", "course_id": None,
                    "grading_periods": [],
                    "permissions": {"read": True, "create": True, "update": True, "delete": True},
                    "created_at": made["created_at"], "enrollment_term_ids": [str(term_id)]}
    assert _stored_sets(world) == [("Year", 1, None, True, False, [term_id])]
    with world.client(world.admin_token) as c:
        listed = c.get("/api/v1/accounts/1/grading_period_sets")
        assert listed.status_code == 200
        body = listed.json()
        assert body["grading_period_sets"] == [made]
        assert body["meta"]["primaryCollection"] == "grading_period_sets"
        assert body["meta"]["pagination"]["per_page"] == 10
        changed = c.patch(f"/api/v1/accounts/1/grading_period_sets/{made['id']}",
                          json={"grading_period_set": {"title": "School year",
                                                       "display_totals_for_all_grading_periods": True},
                                "enrollment_term_ids": []})
        assert (changed.status_code, changed.content) == (204, b"")
    assert _stored_sets(world) == [("School year", 1, None, True, True, [])]


def test_periods_batch_update_list_show_and_delete(world, cls):
    course, term_id, tina_token, ann_token = cls
    made = _make_set(world, term_id)
    with world.client(world.admin_token) as c:
        r = c.patch(f"/api/v1/grading_period_sets/{made['id']}/grading_periods/batch_update",
                    json=_periods_form(_Q2, _Q1))
    assert r.status_code == 200, r.text
    q1, q2 = r.json()["grading_periods"]
    assert q1 == {"id": q1["id"], "grading_period_group_id": int(made["id"]), "start_date": "2026-01-01T00:00:00Z",
                  "end_date": "2026-03-31T00:00:00Z", "close_date": "2026-04-07T00:00:00Z", "weight": 40.0,
                  "title": "Q1", "permissions": {"read": True, "create": True, "update": True, "delete": True},
                  "is_closed": True, "is_last": False}
    assert (q2["title"], q2["close_date"], q2["is_last"]) == ("Q2", "2026-06-30T00:00:00Z", True)
    at = datetime(2026, 1, 1, tzinfo=UTC)
    assert _stored_periods(world)[0] == ("Q1", at, datetime(2026, 3, 31, tzinfo=UTC),
                                         datetime(2026, 4, 7, tzinfo=UTC), 40.0)

    with world.client(ann_token) as c:  # a student reads the course's periods, read-only
        listed = c.get(f"/api/v1/courses/{course.id}/grading_periods").json()
        assert [p["title"] for p in listed["grading_periods"]] == ["Q1", "Q2"]
        assert listed["grading_periods"][0]["permissions"] == {"read": True, "create": False, "update": False,
                                                               "delete": False}
        assert listed["meta"]["primaryCollection"] == "grading_periods"
        assert listed["meta"]["grading_periods_read_only"] is True
        shown = c.get(f"/api/v1/courses/{course.id}/grading_periods/{q2['id']}")
        assert (shown.status_code, [p["id"] for p in shown.json()["grading_periods"]]) == (200, [q2["id"]])
        refused = c.delete(f"/api/v1/courses/{course.id}/grading_periods/{q2['id']}")
        assert (refused.status_code, refused.json()) == (403, FORBIDDEN)
    with world.client(tina_token) as c:  # the teacher may not change the account's periods either
        refused = c.put(f"/api/v1/courses/{course.id}/grading_periods/batch_update", json=_periods_form(_Q1))
        assert (refused.status_code, refused.json()) == (403, FORBIDDEN)
    with world.client(world.admin_token) as c:
        gone = c.delete(f"/api/v1/courses/{course.id}/grading_periods/{q2['id']}")
        assert gone.status_code == 204
        missing = c.get(f"/api/v1/courses/{course.id}/grading_periods/{q2['id']}")
        assert (missing.status_code, missing.json()) == (404, NOT_FOUND)
    assert [p[0] for p in _stored_periods(world)] == ["Q1"]


def test_bad_dates_and_overlaps_are_refused_naming_the_field_and_nothing_stored(world, cls):
    _, term_id, _, _ = cls
    made = _make_set(world, term_id)
    url = f"/api/v1/grading_period_sets/{made['id']}/grading_periods/batch_update"
    cases = [
        ({**_Q1, "end_date": "2025-12-01T00:00:00Z"}, "grading_periods[][end_date]",
         "grading_periods[][end_date] must be after grading_periods[][start_date]"),
        ({**_Q1, "close_date": "2026-03-01T00:00:00Z"}, "grading_periods[][close_date]",
         "grading_periods[][close_date] must not be before grading_periods[][end_date]"),
        ({**_Q1, "start_date": "soon"}, "grading_periods[][start_date]",
         "grading_periods[][start_date] must be an ISO 8601 date, got 'soon'"),
    ]
    with world.client(world.admin_token) as c:
        for period, field, message in cases:
            r = c.patch(url, json=_periods_form(period))
            assert (r.status_code, r.json()) == (400, {"errors": [{"message": message, "field": field}]})
        overlap = c.patch(url, json=_periods_form(_Q1, {**_Q2, "start_date": "2026-03-01T00:00:00Z"}))
        assert overlap.status_code == 400
        assert overlap.json()["errors"][0]["field"] == "grading_periods[][start_date]"
        unknown = c.patch(url, json=_periods_form({**_Q1, "id": 999999}))
        assert (unknown.status_code, unknown.json()) == (404, NOT_FOUND)
        no_set = c.patch("/api/v1/grading_period_sets/999999/grading_periods/batch_update", json=_periods_form(_Q1))
        assert (no_set.status_code, no_set.json()) == (404, NOT_FOUND)
        untitled = c.post("/api/v1/accounts/1/grading_period_sets", json={"grading_period_set": {"weighted": True}})
        assert (untitled.status_code, untitled.json()) == (400, {"errors": [
            {"message": "grading_period_set[title] is required", "field": "grading_period_set[title]"}]})
        bad_term = c.post("/api/v1/accounts/1/grading_period_sets",
                          json={"grading_period_set": {"title": "X"}, "enrollment_term_ids": [999999]})
        assert (bad_term.status_code, bad_term.json()["errors"][0]["field"]) == (400, "enrollment_term_ids[]")
    assert _stored_periods(world) == []
    assert [s[0] for s in _stored_sets(world)] == ["Year"]


def test_students_and_teachers_cannot_keep_sets(world, cls):
    _, term_id, tina_token, ann_token = cls
    made = _make_set(world, term_id)
    for token in (tina_token, ann_token):
        with world.client(token) as c:
            for r in (c.post("/api/v1/accounts/1/grading_period_sets", json={"grading_period_set": {"title": "X"}}),
                      c.get("/api/v1/accounts/1/grading_period_sets"),
                      c.delete(f"/api/v1/accounts/1/grading_period_sets/{made['id']}")):
                assert (r.status_code, r.json()) == (403, FORBIDDEN)
    with world.client(world.admin_token) as c:
        missing = c.delete("/api/v1/accounts/1/grading_period_sets/999999")
        assert (missing.status_code, missing.json()) == (404, NOT_FOUND)
        assert c.delete(f"/api/v1/accounts/1/grading_period_sets/{made['id']}").status_code == 204
    assert _stored_sets(world) == []


def test_a_course_without_a_term_set_keeps_its_own_periods(world, cls):
    course, _, tina_token, ann_token = cls
    with world.client(ann_token) as c:
        empty = c.get(f"/api/v1/courses/{course.id}/grading_periods").json()
        assert (empty["grading_periods"], empty["meta"]["grading_periods_read_only"]) == ([], True)
        refused = c.patch(f"/api/v1/courses/{course.id}/grading_periods/batch_update", json=_periods_form(_Q1))
        assert (refused.status_code, refused.json()) == (403, FORBIDDEN)
    assert _stored_sets(world) == []
    with world.client(tina_token) as c:
        made = c.patch(f"/api/v1/courses/{course.id}/grading_periods/batch_update", json=_periods_form(_Q1))
        assert made.status_code == 200, made.text
        (q1,) = made.json()["grading_periods"]
        edited = c.put(f"/api/v1/courses/{course.id}/grading_periods/{q1['id']}",
                       json=_periods_form({"title": "First", "start_date": _Q1["start_date"],
                                           "end_date": _Q1["end_date"]}))
        assert (edited.status_code, [p["title"] for p in edited.json()["grading_periods"]]) == (200, ["First"])
        assert c.get(f"/api/v1/courses/{course.id}/grading_periods").json()["meta"]["grading_periods_read_only"] \
            is False
    assert [s[:3] for s in _stored_sets(world)] == [("History", None, course.id)]
    assert [p[0] for p in _stored_periods(world)] == ["First"]


def test_a_sub_account_admin_sees_but_cannot_change_the_root_accounts_sets(world, cls):
    _, term_id, _, _ = cls
    made = _make_set(world, term_id)
    sam, sam_token = world.user_with_token("sam")
    with world.tx() as db:
        sub = accounts.create_account(db, "Science", 1)
        accounts.make_admin(db, sam.id, sub.id)
        sub_id = sub.id
    with world.client(world.admin_token) as c:
        c.patch(f"/api/v1/grading_period_sets/{made['id']}/grading_periods/batch_update", json=_periods_form(_Q1))
    (q1_id,) = [p["id"] for p in world.client(world.admin_token).get(
        f"/api/v1/accounts/{sub_id}/grading_periods").json()["grading_periods"]]
    with world.client(sam_token) as c:
        listed = c.get(f"/api/v1/accounts/{sub_id}/grading_period_sets").json()["grading_period_sets"]
        assert [s["id"] for s in listed] == [made["id"]]
        for r in (c.patch(f"/api/v1/accounts/{sub_id}/grading_period_sets/{made['id']}",
                          json={"grading_period_set": {"title": "Mine"}}),
                  c.delete(f"/api/v1/accounts/{sub_id}/grading_period_sets/{made['id']}"),
                  c.delete(f"/api/v1/accounts/{sub_id}/grading_periods/{q1_id}"),
                  c.patch(f"/api/v1/grading_period_sets/{made['id']}/grading_periods/batch_update",
                          json=_periods_form(_Q2))):
            assert (r.status_code, r.json()) == (403, FORBIDDEN)
        own = c.post(f"/api/v1/accounts/{sub_id}/grading_period_sets", json={"grading_period_set": {"title": "Sci"}})
        assert own.status_code == 201
    assert _stored_sets(world) == [("Year", 1, None, True, False, [term_id]), ("Sci", sub_id, None, False, False, [])]
    assert [p[0] for p in _stored_periods(world)] == ["Q1"]
    with world.client(world.admin_token) as c:
        assert c.delete(f"/api/v1/accounts/1/grading_periods/{q1_id}").status_code == 204
    assert _stored_periods(world) == []
