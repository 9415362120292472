"""Canvas custom gradebook columns over raw HTTP: the exact column and entry bodies, their order, paging, hidden
and deleted columns, who may read and write them, refusals that name the field and store nothing, and the bulk
update as a background job whose Progress is the answer (all written in one transaction, or none)."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from courseport.schema import Enrollment, GradebookColumn, GradebookColumnDatum, Job
from tests.dialects.canvas.errors import FORBIDDEN, NOT_FOUND
from tests.races import meeting


@pytest.fixture
def cls(world):
    course = world.course("Chemistry")
    cast = world.cast(course)
    ann, cast["ann"] = world.user_with_token(f"ann{course.id}")
    bob, cast["bob"] = world.user_with_token(f"bob{course.id}")
    world.enroll(ann, course)
    world.enroll(bob, course)
    return course, cast, ann, bob


def _cols(course) -> str:
    return f"/api/v1/courses/{course.id}/custom_gradebook_columns"


def _columns(world, course) -> list[tuple]:
    with world.tx() as db:
        rows = db.scalars(select(GradebookColumn).where(GradebookColumn.course_id == course.id)
                          .order_by(GradebookColumn.id))
        return [(c.title, c.position, c.hidden, c.teacher_notes, c.read_only, c.workflow_state) for c in rows]


def _data(world, course) -> dict[tuple[str, int], str]:
    with world.tx() as db:
        rows = db.execute(select(GradebookColumn.title, GradebookColumnDatum.user_id, GradebookColumnDatum.content)
                          .join(GradebookColumn, GradebookColumn.id == GradebookColumnDatum.column_id)
                          .where(GradebookColumn.course_id == course.id)).all()
        return {(title, user_id): content for title, user_id, content in rows}


def _make(world, token, course, **fields) -> dict:
    form = {f"column[{k}]": str(v).lower() if isinstance(v, bool) else str(v) for k, v in fields.items()}
    with world.client(token) as c:
        r = c.post(_cols(course), data=form)
    assert r.status_code == 200, r.text
    return r.json()


def _set(world, token, course, column_id, user_id, content):
    with world.client(token) as c:
        return c.put(f"{_cols(course)}/{column_id}/data/{user_id}", data={"column_data[content]": content})


def test_a_column_is_made_shown_changed_and_deleted_with_canvas_bodies(world, cls):
    course, cast, _, _ = cls
    made = _make(world, cast["teacher"], course, title="Allergies", read_only=True)
    assert made == {"id": made["id"], "teacher_notes": False, "title": "Allergies", "position": 1, "hidden": False,
                    "read_only": True}
    notes = _make(world, cast["teacher"], course, title="Notes", teacher_notes=True, position=7)
    assert (notes["position"], notes["teacher_notes"]) == (7, True)
    with world.client(cast["teacher"]) as c:
        changed = c.put(f"{_cols(course)}/{made['id']}", data={"column[title]": "Diet", "column[hidden]": "true"})
        assert changed.status_code == 200, changed.text
        assert changed.json() == {**made, "title": "Diet", "hidden": True}
        listed = c.get(_cols(course))
        assert listed.json() == [notes]  # hidden columns only when asked for
        assert c.get(_cols(course), params={"include_hidden": "true"}).json() == [changed.json(), notes]
        gone = c.delete(f"{_cols(course)}/{made['id']}")
        assert (gone.status_code, gone.json()) == (200, changed.json())
        assert c.get(_cols(course), params={"include_hidden": "true"}).json() == [notes]
        again = c.put(f"{_cols(course)}/{made['id']}", data={"column[title]": "Back"})
        assert (again.status_code, again.json()) == (404, NOT_FOUND)
    assert _columns(world, course) == [("Diet", 1, True, False, True, "deleted"), ("Notes", 7, False, True, False,
                                                                                    "active")]


def test_columns_are_listed_by_position_a_page_at_a_time(world, cls):
    course, cast, _, _ = cls
    ids = [_make(world, cast["teacher"], course, title=f"C{n}", position=pos)["id"]
           for n, pos in enumerate((3, 1, 2))]
    with world.client(cast["ta"]) as c:
        first = c.get(_cols(course), params={"per_page": 2})
        assert [col["title"] for col in first.json()] == ["C1", "C2"]
        assert 'rel="next"' in first.headers["Link"]
        second = c.get(_cols(course), params={"per_page": 2, "page": 2})
        assert [col["id"] for col in second.json()] == [ids[0]]
        assert 'rel="next"' not in second.headers["Link"]
    assert _make(world, cast["teacher"], course, title="Last")["position"] == 4  # after the others


def test_reorder_puts_the_listed_columns_first_and_answers_reorder_true(world, cls):
    course, cast, _, _ = cls
    a, b, c_ = (_make(world, cast["teacher"], course, title=t)["id"] for t in ("A", "B", "C"))
    hidden = _make(world, cast["teacher"], course, title="H", hidden=True)["id"]
    with world.client(cast["teacher"]) as c:
        r = c.post(f"{_cols(course)}/reorder", data={"order[]": [str(c_), str(hidden), str(a)]})
        assert (r.status_code, r.json()) == (200, {"reorder": True})
        listed = c.get(_cols(course), params={"include_hidden": "true"}).json()
    assert [(col["id"], col["position"]) for col in listed] == [(c_, 1), (hidden, 2), (a, 3), (b, 4)]


def test_bad_input_names_the_field_and_stores_nothing(world, cls):
    course, cast, _, _ = cls
    first = _make(world, cast["teacher"], course, title="Notes", teacher_notes=True)
    other = world.course("Other")
    with world.client(cast["admin"]) as c:
        foreign = c.post(_cols(other), data={"column[title]": "Theirs"}).json()["id"]
    cases = [
        (c_post := "post", _cols(course), {"column[position]": "2"}, "column[title]", "column[title] is required"),
        (c_post, _cols(course), {"column[title]": ""}, "column[title]", "column[title] is required"),
        (c_post, _cols(course), {"column[title]": "   "}, "column[title]", "column[title] is required"),
        (c_post, _cols(course), {"column[title]": "T", "column[position]": ""}, "column[position]",
         "column[position] must be given a value"),
        (c_post, _cols(course), {"column[title]": "x" * 256}, "column[title]",
         "column[title] is too long (at most 255 characters)"),
        (c_post, _cols(course), {"column[title]": "T", "column[position]": "first"}, "column[position]",
         "column[position] must be an integer, got 'first'"),
        (c_post, _cols(course), {"column[title]": "T", "column[hidden]": "maybe"}, "column[hidden]",
         "column[hidden] must be a boolean (true or false), got 'maybe'"),
        (c_post, _cols(course), {"column[title]": "More notes", "column[teacher_notes]": "true"},
         "column[teacher_notes]", "a course has only one teacher notes column"),
        ("put", f"{_cols(course)}/{first['id']}", {"column[title]": ""}, "column[title]",
         "column[title] is required"),
        (c_post, f"{_cols(course)}/reorder", {"order[]": [str(first["id"]), str(foreign)]}, "order",
         f"order: {foreign} is not a column of the course"),
        (c_post, f"{_cols(course)}/reorder", {}, "order", "order is required"),
    ]
    with world.client(cast["teacher"]) as c:
        for method, path, form, field, message in cases:
            r = c.request(method.upper(), path, data=form)
            assert (r.status_code, r.json()) == (400, {"errors": [{"message": message, "field": field}]}), form
    assert _columns(world, course) == [("Notes", 1, False, True, False, "active")]


def test_who_may_read_and_write_columns(world, cls):
    course, cast, ann, _ = cls
    col = _make(world, cast["teacher"], course, title="Notes", teacher_notes=True)
    assert _set(world, cast["teacher"], course, col["id"], ann.id, "sits at the front").status_code == 200
    paths = [("GET", _cols(course), {}), ("POST", _cols(course), {"column[title]": "Mine"}),
             ("PUT", f"{_cols(course)}/{col['id']}", {"column[title]": "Mine"}),
             ("DELETE", f"{_cols(course)}/{col['id']}", {}),
             ("POST", f"{_cols(course)}/reorder", {"order[]": [str(col["id"])]}),
             ("GET", f"{_cols(course)}/{col['id']}/data", {}),
             ("PUT", f"{_cols(course)}/{col['id']}/data/{ann.id}", {"column_data[content]": "mine"})]
    for who in ("student", "ann", "observer", "designer", "outsider"):
        with world.client(cast[who]) as c:
            for method, path, form in paths:
                r = c.request(method, path, data=form) if form else c.request(method, path)
                assert (r.status_code, r.json()) == (403, FORBIDDEN), (who, method, path)
    with world.client(cast["ta"]) as c:  # a TA grades: reads and writes
        assert c.get(f"{_cols(course)}/{col['id']}/data").json() == [{"content": "sits at the front",
                                                                       "user_id": ann.id}]
    assert _columns(world, course) == [("Notes", 1, False, True, False, "active")]
    assert _data(world, course) == {("Notes", ann.id): "sits at the front"}


def test_unknown_courses_columns_and_users_are_not_found(world, cls):
    course, cast, ann, _ = cls
    col = _make(world, cast["teacher"], course, title="Notes")
    other = world.course("Other")
    with world.client(cast["admin"]) as c:
        foreign = c.post(_cols(other), data={"column[title]": "Theirs"}).json()["id"]
    stranger, _ = world.user_with_token(f"stranger{course.id}")
    with world.client(cast["teacher"]) as c:
        for method, path in (("GET", "/api/v1/courses/999999/custom_gradebook_columns"),
                             ("PUT", f"{_cols(course)}/{foreign}"), ("DELETE", f"{_cols(course)}/999999"),
                             ("GET", f"{_cols(course)}/{foreign}/data"), ("GET", f"{_cols(course)}/abc/data"),
                             ("PUT", f"{_cols(course)}/{col['id']}/data/{stranger.id}"),
                             ("PUT", f"{_cols(course)}/{col['id']}/data/999999"),
                             ("PUT", f"{_cols(course)}/{foreign}/data/{ann.id}")):
            r = c.request(method, path, data={"column[title]": "X", "column_data[content]": "X"})
            assert (r.status_code, r.json()) == (404, NOT_FOUND), (method, path)
    assert _data(world, course) == {}


def test_entries_are_set_listed_and_removed(world, cls):
    course, cast, ann, bob = cls
    col = _make(world, cast["teacher"], course, title="Diet", read_only=True)  # read_only binds only the UI
    r = _set(world, cast["teacher"], course, col["id"], ann.id, "vegan")
    assert (r.status_code, r.json()) == (200, {"content": "vegan", "user_id": ann.id})
    assert _set(world, cast["teacher"], course, col["id"], f"sis_user_id:none{bob.id}", "x").status_code == 404
    _set(world, cast["teacher"], course, col["id"], bob.id, "none")
    _set(world, cast["teacher"], course, col["id"], bob.id, "nut allergy")
    with world.client(cast["teacher"]) as c:
        data = c.get(f"{_cols(course)}/{col['id']}/data")
        assert data.json() == [{"content": "vegan", "user_id": ann.id}, {"content": "nut allergy", "user_id": bob.id}]
        assert [d["user_id"] for d in c.get(f"{_cols(course)}/{col['id']}/data", params={"per_page": 1}).json()] \
            == [ann.id]
    removed = _set(world, cast["teacher"], course, col["id"], ann.id, "")
    assert (removed.status_code, removed.json()) == (200, {"content": "", "user_id": ann.id})
    assert _data(world, course) == {("Diet", bob.id): "nut allergy"}
    too_long = _set(world, cast["teacher"], course, col["id"], bob.id, "y" * 256)
    assert (too_long.status_code, too_long.json()) == (400, {"errors": [{
        "message": "column_data[content] is too long (at most 255 characters)", "field": "column_data[content]"}]})
    with world.client(cast["teacher"]) as c:
        missing = c.put(f"{_cols(course)}/{col['id']}/data/{bob.id}", data={"content": "z"})
    assert (missing.status_code, missing.json()) == (400, {"errors": [{
        "message": "column_data[content] is required", "field": "column_data[content]"}]})
    assert _data(world, course) == {("Diet", bob.id): "nut allergy"}


def test_a_hidden_columns_entries_need_include_hidden_and_leavers_are_not_listed(world, cls):
    course, cast, ann, bob = cls
    col = _make(world, cast["teacher"], course, title="Secret", hidden=True)
    _set(world, cast["teacher"], course, col["id"], ann.id, "a")
    _set(world, cast["teacher"], course, col["id"], bob.id, "b")
    with world.tx() as db:
        db.execute(Enrollment.__table__.update().where(Enrollment.user_id == bob.id,
                                                       Enrollment.course_id == course.id)
                   .values(workflow_state="deleted"))
    with world.client(cast["teacher"]) as c:
        assert (c.get(f"{_cols(course)}/{col['id']}/data").status_code) == 404
        shown = c.get(f"{_cols(course)}/{col['id']}/data", params={"include_hidden": "true"})
    assert shown.json() == [{"content": "a", "user_id": ann.id}]


def _bulk(world, token, course, entries):
    with world.client(token) as c:
        return c.put(f"/api/v1/courses/{course.id}/custom_gradebook_column_data", json={"column_data": entries})


def test_bulk_update_is_a_job_that_writes_every_entry(world, cls):
    course, cast, ann, bob = cls
    diet = _make(world, cast["teacher"], course, title="Diet")["id"]
    notes = _make(world, cast["teacher"], course, title="Notes", hidden=True)["id"]
    _set(world, cast["teacher"], course, diet, bob.id, "old")
    r = _bulk(world, cast["teacher"], course, [{"column_id": diet, "user_id": ann.id, "content": "vegan"},
                                               {"column_id": notes, "user_id": ann.id, "content": "quiet"},
                                               {"column_id": diet, "user_id": bob.id, "content": ""}])
    assert r.status_code == 200, r.text
    progress = r.json()
    assert (progress["workflow_state"], progress["tag"], progress["context_type"], progress["context_id"]) == (
        "queued", "custom_columns_submissions_update", "Course", course.id)
    assert _data(world, course) == {("Diet", bob.id): "old"}  # nothing before the job runs
    assert world.run_jobs() == 1
    with world.client(cast["teacher"]) as c:
        done = c.get(f"/api/v1/progress/{progress['id']}").json()
    assert (done["workflow_state"], done["completion"], done["results"]) == ("completed", 100.0, {"updated": 3})
    assert _data(world, course) == {("Diet", ann.id): "vegan", ("Notes", ann.id): "quiet"}


def test_bulk_refusals_name_the_field_and_queue_nothing(world, cls):
    course, cast, ann, _ = cls
    diet = _make(world, cast["teacher"], course, title="Diet")["id"]
    stranger, _ = world.user_with_token(f"stranger{course.id}")
    good = {"column_id": diet, "user_id": ann.id, "content": "ok"}
    cases = [
        ([good, {"column_id": 999999, "user_id": ann.id, "content": "x"}], "column_data[][column_id]",
         "column 999999 is not a column of the course"),
        ([good, {"column_id": diet, "user_id": stranger.id, "content": "x"}], "column_data[][user_id]",
         f"user {stranger.id} is not a student of the course"),
        ([good, {"column_id": diet, "user_id": ann.id, "content": "x" * 256}], "column_data[][content]",
         f"user {ann.id}: column_data[][content] is too long (at most 255 characters)"),
        ([{"column_id": diet, "user_id": ann.id}], "column_data[][content]",
         "column_data[][content] is required for every entry"),
        ([{"user_id": ann.id, "content": "x"}], "column_data[][column_id]",
         "column_data[][column_id] is required for every entry"),
        ([], "column_data", "column_data is required"),
    ]
    for entries, field, message in cases:
        r = _bulk(world, cast["teacher"], course, entries)
        assert (r.status_code, r.json()) == (400, {"errors": [{"message": message, "field": field}]}), entries
    assert (_bulk(world, cast["ann"], course, [good]).json()) == FORBIDDEN
    with world.tx() as db:
        assert db.scalar(select(Job).where(Job.kind == "custom_columns_submissions_update",
                                           Job.context_id == course.id)) is None
    assert _data(world, course) == {}


def test_a_bulk_job_finding_the_course_changed_keeps_nothing(world, cls):
    course, cast, ann, bob = cls
    diet = _make(world, cast["teacher"], course, title="Diet")["id"]
    r = _bulk(world, cast["teacher"], course, [{"column_id": diet, "user_id": ann.id, "content": "a"},
                                               {"column_id": diet, "user_id": bob.id, "content": "b"}])
    with world.client(cast["teacher"]) as c:
        assert c.delete(f"/api/v1/courses/{course.id}/enrollments/"
                        f"{_enrollment_id(world, course, bob)}", params={"task": "delete"}).status_code == 200
    world.run_jobs()
    with world.client(cast["teacher"]) as c:
        done = c.get(f"/api/v1/progress/{r.json()['id']}").json()
    assert done["workflow_state"] == "failed"
    assert done["message"] == f"user {bob.id} is not a student of the course"
    assert _data(world, course) == {}


def _enrollment_id(world, course, user) -> int:
    with world.tx() as db:
        return db.scalar(select(Enrollment.id).where(Enrollment.course_id == course.id,
                                                     Enrollment.user_id == user.id))


def test_deleting_a_tenant_leaves_no_columns_or_entries_and_keeps_others(world, cls):
    course, cast, ann, _ = cls
    kept = _make(world, cast["teacher"], course, title="Kept")["id"]
    _set(world, cast["teacher"], course, kept, ann.id, "stays")
    with world.client(world.admin_token) as c:
        made = c.post("/_courseport/tenants", json={"name": "Columns"}).json()
    with world.client(made["credentials"]["canvas"]["token"]) as c:
        theirs = c.post(f"/api/v1/accounts/{made['id']}/courses", data={"course[name]": "Theirs"}).json()
        stu = c.post("/api/v1/accounts/self/users", data={"user[name]": "Stu", "pseudonym[unique_id]": "stu"}).json()
        c.post(f"/api/v1/courses/{theirs['id']}/enrollments",
               data={"enrollment[user_id]": stu["id"], "enrollment[type]": "StudentEnrollment",
                     "enrollment[enrollment_state]": "active"})
        col = c.post(f"/api/v1/courses/{theirs['id']}/custom_gradebook_columns",
                     data={"column[title]": "Theirs"}).json()["id"]
        put = c.put(f"/api/v1/courses/{theirs['id']}/custom_gradebook_columns/{col}/data/{stu['id']}",
                    data={"column_data[content]": "gone soon"})
        assert put.status_code == 200, put.text
    with world.client(world.admin_token) as c:
        assert c.delete(f"/_courseport/tenants/{made['id']}").status_code == 200
    with world.tx() as db:
        assert db.scalars(select(GradebookColumn.id)).all() == [kept]
        assert db.execute(select(GradebookColumnDatum.user_id, GradebookColumnDatum.content)).all() == [
            (ann.id, "stays")]


def test_two_notes_columns_made_at_once_leave_one(world, cls, monkeypatch):
    """Both requests would look for a notes column before either made one (PostgreSQL; SQLite's writers take
    turns): the second waits for the first's, finds it and is refused."""
    from concurrent.futures import ThreadPoolExecutor

    from courseport.core.coursework import gradebook_columns

    course, cast, _, _ = cls
    monkeypatch.setattr(gradebook_columns, "live_columns", meeting(gradebook_columns.live_columns))

    def make(title: str) -> int:
        with world.client(cast["teacher"]) as c:
            return c.post(_cols(course), data={"column[title]": title, "column[teacher_notes]": "true"}).status_code

    with ThreadPoolExecutor(2) as pool:
        assert sorted(pool.map(make, ["Notes", "More notes"])) == [200, 400]
    assert [row[3] for row in _columns(world, course)] == [True]
