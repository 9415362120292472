"""Data migrations move stored rows both ways: rows made at the revision before keep their meaning after
the upgrade and again after the downgrade.

Each test migrates a store of its own (conftest's `empty_store`), so the session's migrated store is never
moved.
"""

from __future__ import annotations

import json
import uuid
from datetime import UTC, datetime
from typing import Any

import pytest
import sqlalchemy as sa
from sqlalchemy import Engine

from courseport import migrate


def _upgrade(engine: Engine, revision: str) -> None:
    migrate.upgrade(engine, revision)


def _downgrade(engine: Engine, revision: str) -> None:
    migrate.downgrade(engine, revision)


def _insert(conn: sa.Connection, table_name: str, **given: Any) -> int:
    """A row with the given values and a plain value for every other required column."""
    table = sa.Table(table_name, sa.MetaData(), autoload_with=conn)
    values = dict(given)
    for column in table.columns:
        if column.name in values or column.nullable or column.server_default is not None or column.primary_key:
            continue
        python_type = column.type.python_type
        values[column.name] = {bool: False, int: 0, float: 0.0, datetime: datetime(2026, 1, 1, tzinfo=UTC)}.get(
            python_type, f"{column.name}-{uuid.uuid4().hex[:8]}")
    return conn.execute(sa.insert(table).values(values).returning(table.c.id)).scalar_one()


_LEARN_ROWS = [  # (learn_options, availability, ultra_status) as 0014 stored them
    ({"duration": {"type": "FixedNumDays", "daysOfUse": 10},
      "enrollment": {"type": "SelfEnrollment", "start": "2026-01-01T00:00:00+00:00", "accessCode": "abc"},
      "localeForce": True, "copyHistory": ["u-1"]}, "Disabled", "Ultrapreview"),
    ({"duration": {"type": "UseTerm"}, "enrollment": {"type": "EmailEnrollment"}}, "Term", "Classic"),
    ({"duration": {}, "enrollment": {"type": "InstructorLed"}, "localeForce": False}, None, "Ultra"),
    (None, None, None),  # the column defaults
]
_CORE_ROWS = [  # the same rows in core words (record_options, availability, course_view)
    ({"duration": {"kind": "fixed_days", "days": 10},
      "enrollment": {"kind": "self_enrolled", "start": "2026-01-01T00:00:00+00:00", "access_code": "abc"},
      "locale_force": True, "copy_history": ["u-1"]}, "disabled", "ultra_preview"),
    ({"duration": {"kind": "use_term"}, "enrollment": {"kind": "email_enrolled"}}, "by_term", "classic"),
    ({"duration": {}, "enrollment": {"kind": "instructor_led"}, "locale_force": False}, None, "ultra"),
    (None, None, "undecided"),
]


def _course_in_a_term(conn: sa.Connection) -> tuple[int, int, int]:
    """A root account, a term of it and a course in both: (account, term, course) ids."""
    root = _insert(conn, "accounts", name="Root", parent_account_id=None, root_account_id=None)
    term = _insert(conn, "terms", root_account_id=root, name="Term")
    return root, term, _insert(conn, "courses", account_id=root, root_account_id=root, enrollment_term_id=term,
                               course_template_id=None)


def _courses(engine: Engine, options: str, view: str) -> list[tuple[Any, ...]]:
    with engine.connect() as conn:
        table = sa.Table("courses", sa.MetaData(), autoload_with=conn)
        sections = conn.scalar(sa.select(sa.func.count()).select_from(sa.table("sections")))
        assert sections == len(_LEARN_ROWS)  # the columns changed in place: nothing cascaded
        rows = conn.execute(sa.select(sa.type_coerce(table.c[options], sa.JSON), table.c.availability,
                                      table.c[view]).order_by(table.c.id))
        return [tuple(row) for row in rows]


def test_0015_moves_course_records_to_core_words_and_back(empty_store):
    _upgrade(empty_store, "0014_section_crosslists")
    with empty_store.begin() as conn:
        account = _insert(conn, "accounts", name="Root", parent_account_id=None, root_account_id=None)
        term = _insert(conn, "terms", root_account_id=account, name="Default Term")
        for options, availability, ultra in _LEARN_ROWS:
            learn = {"learn_options": options, "availability": availability}
            learn |= {"ultra_status": ultra} if ultra else {}
            course = _insert(conn, "courses", account_id=account, root_account_id=account,
                             enrollment_term_id=term, course_template_id=None, **learn)
            _insert(conn, "sections", course_id=course, nonxlist_course_id=None)

    _upgrade(empty_store, "0015_record_words")
    assert _courses(empty_store, "record_options", "course_view") == _CORE_ROWS

    _downgrade(empty_store, "0014_section_crosslists")
    assert _courses(empty_store, "learn_options", "ultra_status") == [
        (options, availability, ultra or "Undecided") for options, availability, ultra in _LEARN_ROWS]


def test_upgrading_through_a_table_rebuild_keeps_the_rows_that_point_at_it(empty_store):
    """0014 rebuilds `sections` on SQLite (copy, drop, rename): the drop must not cascade into enrollments."""
    _upgrade(empty_store, "0013_term_overrides")
    with empty_store.begin() as conn:
        account = _insert(conn, "accounts", name="Root", parent_account_id=None, root_account_id=None)
        term = _insert(conn, "terms", root_account_id=account, name="Default Term")
        course = _insert(conn, "courses", account_id=account, root_account_id=account, enrollment_term_id=term,
                         course_template_id=None)
        section = _insert(conn, "sections", course_id=course)
        user = _insert(conn, "users", name="Learner")
        role = _insert(conn, "roles", account_id=account)
        _insert(conn, "enrollments", user_id=user, course_id=course, course_section_id=section,
                root_account_id=account, role_id=role, associated_user_id=None)

    _upgrade(empty_store, "head")
    with empty_store.connect() as conn:
        kept = conn.execute(sa.text("SELECT course_section_id FROM enrollments")).scalars().all()
        assert kept == [section]
        if empty_store.dialect.name == "sqlite":
            assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1  # back on for what follows


def _same_sis_ids_in_two_roots(conn: sa.Connection) -> None:
    """Two root accounts each holding a sub-account, term, course, section and user with SIS id `SAME`."""
    for _ in range(2):
        root = _insert(conn, "accounts", name="Root", parent_account_id=None, root_account_id=None)
        _insert(conn, "accounts", name="Sub", parent_account_id=root, root_account_id=root, sis_account_id="SAME")
        term = _insert(conn, "terms", root_account_id=root, name="Term", sis_term_id="SAME")
        course = _insert(conn, "courses", account_id=root, root_account_id=root, enrollment_term_id=term,
                         course_template_id=None, sis_course_id="SAME")
        _insert(conn, "sections", course_id=course, sis_section_id="SAME")
        _insert(conn, "users", name="Learner", sis_user_id="SAME")


def test_0024_lets_two_root_accounts_hold_the_same_sis_ids_and_downgrades(empty_store):
    _upgrade(empty_store, "0023_tenant_logins")
    with pytest.raises(sa.exc.IntegrityError), empty_store.begin() as conn:
        _same_sis_ids_in_two_roots(conn)  # before 0024 a SIS id was unique across the store

    _upgrade(empty_store, "0024_tenant_sis_ids")
    with empty_store.begin() as conn:
        _same_sis_ids_in_two_roots(conn)
    with pytest.raises(sa.exc.IntegrityError), empty_store.begin() as conn:  # still unique within one root
        root = conn.scalar(sa.text("SELECT min(id) FROM accounts"))
        _insert(conn, "terms", root_account_id=root, name="Again", sis_term_id="SAME")
    with empty_store.connect() as conn:
        assert conn.scalar(sa.text("SELECT count(*) FROM courses WHERE sis_course_id = 'SAME'")) == 2

    with empty_store.begin() as conn:  # the downgrade refuses shared ids, so keep one holder of each
        for table, column in (("sections", "sis_section_id"), ("courses", "sis_course_id"), ("terms", "sis_term_id"),
                              ("accounts", "sis_account_id"), ("users", "sis_user_id")):
            conn.execute(sa.text(f"UPDATE {table} SET {column} = NULL WHERE id <> "
                                 f"(SELECT min(id) FROM {table} WHERE {column} = 'SAME')"))
    _downgrade(empty_store, "0023_tenant_logins")
    with pytest.raises(sa.exc.IntegrityError), empty_store.begin() as conn:
        root = conn.scalar(sa.text("SELECT max(id) FROM accounts WHERE parent_account_id IS NULL"))
        _insert(conn, "terms", root_account_id=root, name="Again", sis_term_id="SAME")
    _upgrade(empty_store, "head")


def _compression(engine: Engine) -> dict[str, str]:
    with engine.connect() as conn:
        return dict(conn.execute(sa.text(  # attcompression: '' (the default), 'p' (pglz) or 'l' (lz4)
            "SELECT attname, attcompression FROM pg_attribute WHERE attrelid = 'request_records'::regclass"
            " AND attname IN ('request_headers', 'response_headers', 'request_body', 'response_body')")).all())


def test_0028_compresses_the_request_log_with_lz4_on_postgresql_and_downgrades(empty_store):
    _upgrade(empty_store, "0028_request_log_lz4")
    if empty_store.dialect.name != "postgresql":
        _downgrade(empty_store, "0027_content_reference_indexes")  # nothing to do on SQLite, and no error
        return
    with empty_store.connect() as conn:
        offered = conn.scalar(sa.text("SELECT enumvals FROM pg_settings WHERE name = 'default_toast_compression'"))
    assert set(_compression(empty_store).values()) == ({"l"} if "lz4" in offered else {""})
    _downgrade(empty_store, "0027_content_reference_indexes")
    assert set(_compression(empty_store).values()) == ({"p"} if "lz4" in offered else {""})


def test_0029_moves_the_request_log_into_batches_and_back(empty_store):
    from courseport.db import transaction
    from courseport.web.controls.request_store import stored_records

    _upgrade(empty_store, "0028_request_log_lz4")
    made = datetime(2026, 12, 5, 21, 0, 0, 123456)  # naive UTC, as the ORM stored it
    with empty_store.begin() as conn:
        for n, tenant in enumerate((1, 1, 2, 1)):
            _insert(conn, "request_records", tenant_id=tenant, request_id=f"r{n}", at=made, method="GET",
                    path=f"/api/v1/courses/{n}", query=None, face="canvas", status=200, duration_ms=1.5,
                    user_id=7, request_headers={"authorization": "Bearer ***"}, response_headers={},
                    request_body=None, response_body='{"id": 1}')
    _upgrade(empty_store, "0029_request_log_batches")
    with transaction(empty_store, write=False) as db:
        ones, twos = stored_records(db, 1), stored_records(db, 2)
    assert [r.path for _, r in ones] == ["/api/v1/courses/0", "/api/v1/courses/1", "/api/v1/courses/3"]
    assert [r.path for _, r in twos] == ["/api/v1/courses/2"]
    assert [rid for rid, _ in ones] == sorted(rid for rid, _ in ones)
    _, first = ones[0]
    assert first.at_datetime == made.replace(tzinfo=UTC)
    assert (first.request_headers, first.response_headers, first.response_body) == (
        {"authorization": "Bearer ***"}, {}, '{"id": 1}')
    _downgrade(empty_store, "0028_request_log_lz4")
    with empty_store.connect() as conn:
        rows = conn.execute(sa.text("SELECT tenant_id, path, at FROM request_records ORDER BY id")).all()
    assert [(t, p) for t, p, _ in rows] == [(1, "/api/v1/courses/0"), (1, "/api/v1/courses/1"),
                                            (1, "/api/v1/courses/3"), (2, "/api/v1/courses/2")]
    assert {str(at)[:26] for _, _, at in rows} == {"2026-12-05 21:00:00.123456"}
    _upgrade(empty_store, "head")


def test_0038_gives_earlier_groups_their_learn_fields_and_downgrades(empty_store):
    _upgrade(empty_store, "0037_quiz_submissions")
    with empty_store.begin() as conn:
        root = _insert(conn, "accounts", name="Root", parent_account_id=None, root_account_id=None)
        term = _insert(conn, "terms", root_account_id=root, name="Term")
        course = _insert(conn, "courses", account_id=root, root_account_id=root, enrollment_term_id=term,
                         course_template_id=None)
        made = datetime(2026, 3, 1, tzinfo=UTC)
        category = _insert(conn, "group_categories", course_id=course, name="Teams", workflow_state="active",
                           created_at=made)
        live = _insert(conn, "course_groups", category_id=category, course_id=course, name="Red",
                       workflow_state="available", created_at=made)
        _insert(conn, "course_groups", category_id=category, course_id=course, name="Gone",
                workflow_state="deleted", created_at=made)
    _upgrade(empty_store, "0038_learn_group_fields")
    with empty_store.connect() as conn:
        rows = conn.execute(sa.text("SELECT id, uuid, external_id, availability, updated_at FROM course_groups "
                                    "ORDER BY id")).all()
        kept = conn.execute(sa.text("SELECT uuid, external_id, availability FROM group_categories")).one()
    assert rows[0].id == live and rows[0].external_id == rows[0].uuid and len(rows[0].uuid) == 32
    assert (rows[1].external_id, len(rows[1].uuid), rows[0].availability) == (None, 32, "available")
    assert str(rows[0].updated_at).startswith("2026-03-01") and kept.external_id == kept.uuid
    with pytest.raises(sa.exc.IntegrityError), empty_store.begin() as conn:  # unique within the course
        _insert(conn, "course_groups", category_id=category, course_id=course, name="Twin",
                external_id=rows[0].external_id, uuid="x", availability="available", created_at=made,
                updated_at=made)
    _downgrade(empty_store, "0037_quiz_submissions")
    with empty_store.connect() as conn:
        assert conn.execute(sa.text("SELECT name FROM course_groups ORDER BY id")).scalars().all() == ["Red", "Gone"]
    _upgrade(empty_store, "head")


def test_0039_merges_twin_imported_categories_keeps_sign_up_sheets_and_downgrades(empty_store):
    _upgrade(empty_store, "0038_learn_group_fields")
    made = datetime(2026, 3, 1, tzinfo=UTC)
    with empty_store.begin() as conn:
        root = _insert(conn, "accounts", name="Root", parent_account_id=None, root_account_id=None)
        term = _insert(conn, "terms", root_account_id=root, name="Term")
        courses = [_insert(conn, "courses", account_id=root, root_account_id=root, enrollment_term_id=term,
                           course_template_id=None) for _ in range(2)]

        def category(course: int, role: str | None, state: str = "active") -> int:
            return _insert(conn, "group_categories", course_id=course, name="Imported Groups", role=role,
                           workflow_state=state, external_id=uuid.uuid4().hex, availability="available",
                           created_at=made, updated_at=made)

        kept, twin, old = category(courses[0], "imported"), category(courses[0], "imported"), category(
            courses[0], "imported", "deleted")
        other, a_set = category(courses[1], "imported"), category(courses[1], None)
        groups = [_insert(conn, "course_groups", category_id=c, course_id=course, name=f"g{c}",
                          workflow_state="available", availability="available", created_at=made, updated_at=made)
                  for c, course in ((kept, courses[0]), (twin, courses[0]), (old, courses[0]), (other, courses[1]))]
    _upgrade(empty_store, "0039_group_signup_sheets")
    with empty_store.connect() as conn:
        states = dict(conn.execute(sa.text("SELECT id, workflow_state FROM group_categories")).all())
        homes = dict(conn.execute(sa.text("SELECT id, category_id FROM course_groups")).all())
    assert states == {kept: "active", twin: "deleted", old: "deleted", other: "active", a_set: "active"}
    assert [homes[g] for g in groups] == [kept, kept, old, other]
    with pytest.raises(sa.exc.IntegrityError), empty_store.begin() as conn:  # one live imported category
        category(courses[1], "imported")
    with empty_store.begin() as conn:  # a deleted one, or a set, is not held to it
        category(courses[1], "imported", "deleted")
        conn.execute(sa.text("UPDATE course_groups SET signup_sheet = :s WHERE id = :g"),
                     {"s": '{"name": "S"}', "g": groups[0]})
    _downgrade(empty_store, "0038_learn_group_fields")
    with empty_store.begin() as conn:
        category(courses[1], "imported")  # no longer refused
        assert "signup_sheet" not in {c["name"] for c in sa.inspect(conn).get_columns("course_groups")}
    _upgrade(empty_store, "head")


def test_0044_gives_users_with_an_email_their_first_channel_and_downgrades(empty_store):
    _upgrade(empty_store, "0043_peer_reviews")
    made = datetime(2026, 4, 1, tzinfo=UTC)
    with empty_store.begin() as conn:
        mailed = _insert(conn, "users", email="ann@example.edu", workflow_state="registered", created_at=made)
        _insert(conn, "users", email=None, workflow_state="registered", created_at=made)
        _insert(conn, "users", email="gone@example.edu", workflow_state="deleted", created_at=made)
    _upgrade(empty_store, "0044_user_channels")
    with empty_store.connect() as conn:
        rows = conn.execute(sa.text("SELECT user_id, path_type, address, position, workflow_state, created_at "
                                    "FROM communication_channels")).all()
    assert [tuple(row)[:5] for row in rows] == [(mailed, "email", "ann@example.edu", 1, "active")]
    assert str(rows[0].created_at).startswith("2026-04-01")
    _downgrade(empty_store, "0043_peer_reviews")
    with empty_store.connect() as conn:
        assert "communication_channels" not in sa.inspect(conn).get_table_names()
        assert conn.execute(sa.text("SELECT email FROM users ORDER BY id")).scalars().all() == [
            "ann@example.edu", None, "gone@example.edu"]
    _upgrade(empty_store, "head")


def test_0048_gives_categories_a_placement_and_downgrades(empty_store):
    _upgrade(empty_store, "0047_late_policies")
    made = datetime(2026, 5, 1, tzinfo=UTC)
    with empty_store.begin() as conn:
        root = _insert(conn, "accounts", name="Root", parent_account_id=None, root_account_id=None)
        term = _insert(conn, "terms", root_account_id=root, name="Term")
        course = _insert(conn, "courses", account_id=root, root_account_id=root, enrollment_term_id=term,
                         course_template_id=None)
        before = _insert(conn, "group_categories", course_id=course, name="Teams", workflow_state="active",
                         external_id="t", availability="available", created_at=made, updated_at=made)
    _upgrade(empty_store, "0048_d2l_group_fields")
    with empty_store.begin() as conn:
        assert conn.execute(sa.text("SELECT placement FROM group_categories")).scalar_one() is None
        conn.execute(sa.text("UPDATE group_categories SET placement = :p WHERE id = :c"),
                     {"p": '{"style": "auto_by_size", "auto_enroll": true}', "c": before})
        kept = conn.execute(sa.text("SELECT placement FROM group_categories")).scalar_one()
    assert (kept if isinstance(kept, dict) else json.loads(kept)) == {
        "style": "auto_by_size", "auto_enroll": True}
    _downgrade(empty_store, "0047_late_policies")
    with empty_store.connect() as conn:
        assert "placement" not in {c["name"] for c in sa.inspect(conn).get_columns("group_categories")}
        assert conn.execute(sa.text("SELECT name FROM group_categories")).scalars().all() == ["Teams"]


def test_0050_adds_submission_extra_attempts_kept_through_upgrade_and_dropped_on_downgrade(empty_store):
    _upgrade(empty_store, "0049_gradebook_columns")
    made = datetime(2026, 7, 1, tzinfo=UTC)
    with empty_store.begin() as conn:
        root, _, course = _course_in_a_term(conn)
        ann = _insert(conn, "users", email=None, workflow_state="registered", created_at=made)
        item = _insert(conn, "content_items", course_id=course, type="assignment", title="Essay", data="{}")
        _insert(conn, "submissions", item_id=item, course_id=course, user_id=ann, workflow_state="submitted",
                attempt=1, excused=False, late=False, data="{}", updated_at=made)
    _upgrade(empty_store, "0050_submission_extra_attempts")
    with empty_store.begin() as conn:
        assert conn.execute(sa.text("SELECT attempt, extra_attempts FROM submissions")).one() == (1, None)
        conn.execute(sa.text("UPDATE submissions SET extra_attempts = 2"))
        assert conn.execute(sa.text("SELECT extra_attempts FROM submissions")).scalar_one() == 2
    _downgrade(empty_store, "0049_gradebook_columns")
    with empty_store.connect() as conn:
        assert "extra_attempts" not in {c["name"] for c in sa.inspect(conn).get_columns("submissions")}
        assert conn.execute(sa.text("SELECT attempt FROM submissions")).scalar_one() == 1
    _upgrade(empty_store, "head")


def test_0051_adds_sis_import_ids_that_start_empty_and_downgrades(empty_store):
    _upgrade(empty_store, "0050_submission_extra_attempts")
    tables = ("sections", "terms", "accounts", "logins", "users")
    with empty_store.begin() as conn:
        root = _insert(conn, "accounts", name="Root", parent_account_id=None, root_account_id=None)
        for table in tables:
            assert "sis_import_id" not in {c["name"] for c in sa.inspect(conn).get_columns(table)}
    _upgrade(empty_store, "0051_sis_import_ids")
    with empty_store.begin() as conn:
        for table in tables:
            assert "sis_import_id" in {c["name"] for c in sa.inspect(conn).get_columns(table)}
        assert conn.execute(sa.text("SELECT sis_import_id FROM accounts WHERE id = :a"), {"a": root}).scalar() is None
        conn.execute(sa.text("UPDATE accounts SET sis_import_id = 7 WHERE id = :a"), {"a": root})
    _downgrade(empty_store, "0050_submission_extra_attempts")
    with empty_store.connect() as conn:
        for table in tables:
            assert "sis_import_id" not in {c["name"] for c in sa.inspect(conn).get_columns(table)}
        assert conn.execute(sa.text("SELECT name FROM accounts")).scalar() == "Root"
    _upgrade(empty_store, "head")


def test_0049_adds_gradebook_columns_whose_data_go_with_their_column_and_student_and_downgrades(empty_store):
    _upgrade(empty_store, "0048_d2l_group_fields")
    made = datetime(2026, 6, 1, tzinfo=UTC)
    with empty_store.begin() as conn:
        assert "custom_gradebook_columns" not in sa.inspect(conn).get_table_names()
        root, _, course = _course_in_a_term(conn)
        ann = _insert(conn, "users", email=None, workflow_state="registered", created_at=made)
        bob = _insert(conn, "users", email=None, workflow_state="registered", created_at=made)
    _upgrade(empty_store, "0049_gradebook_columns")
    with empty_store.begin() as conn:
        notes = _insert(conn, "custom_gradebook_columns", course_id=course, title="Notes", position=1, hidden=False,
                        teacher_notes=True, read_only=False, workflow_state="active", created_at=made,
                        updated_at=made)
        for user in (ann, bob):
            _insert(conn, "custom_gradebook_column_data", column_id=notes, user_id=user, content=f"about {user}",
                    updated_at=made)
    with pytest.raises(sa.exc.IntegrityError), empty_store.begin() as conn:  # one entry per student and column
        _insert(conn, "custom_gradebook_column_data", column_id=notes, user_id=ann, content="again", updated_at=made)
    with empty_store.begin() as conn:
        conn.execute(sa.text("DELETE FROM users WHERE id = :u"), {"u": bob})
        assert conn.execute(sa.text("SELECT user_id, content FROM custom_gradebook_column_data")).all() == [
            (ann, f"about {ann}")]
        conn.execute(sa.text("DELETE FROM courses WHERE id = :c"), {"c": course})
        assert conn.execute(sa.text("SELECT count(*) FROM custom_gradebook_columns")).scalar() == 0
        assert conn.execute(sa.text("SELECT count(*) FROM custom_gradebook_column_data")).scalar() == 0
    _downgrade(empty_store, "0048_d2l_group_fields")
    with empty_store.connect() as conn:
        tables = sa.inspect(conn).get_table_names()
        assert "custom_gradebook_columns" not in tables and "custom_gradebook_column_data" not in tables
    _upgrade(empty_store, "head")


def test_0046_adds_rubric_assessments_that_go_with_their_association_and_downgrades(empty_store):
    _upgrade(empty_store, "0045_grading_standards")
    made = datetime(2026, 4, 1, tzinfo=UTC)
    with empty_store.begin() as conn:
        assert "rubric_assessments" not in sa.inspect(conn).get_table_names()
        user = _insert(conn, "users", workflow_state="registered", created_at=made)
        account = _insert(conn, "accounts", name="Root", parent_account_id=None, root_account_id=None)
        term = _insert(conn, "terms", root_account_id=account, name="Default Term")
        course = _insert(conn, "courses", account_id=account, root_account_id=account, enrollment_term_id=term,
                         name="C", workflow_state="available")
        rubric = _insert(conn, "content_items", course_id=course, type="rubric", title="R", data="{}")
        association = _insert(conn, "content_items", course_id=course, type="rubric_association", title="R",
                              parent_id=rubric, data="{}")
    _upgrade(empty_store, "0046_rubric_assessments")
    with empty_store.begin() as conn:
        kept = _insert(conn, "rubric_assessments", course_id=course, association_id=association, rubric_id=rubric,
                       user_id=user, assessor_id=user, assessment_type="grading", score=3.5,
                       data='[{"criterion_id": "_1", "points": 3.5}]', created_at=made, updated_at=made)
        row = conn.execute(sa.text("SELECT assessment_type, score, data FROM rubric_assessments WHERE id = :i"),
                           {"i": kept}).one()
        assert (row.assessment_type, row.score) == ("grading", 3.5)
        columns = {c["name"]: c["nullable"] for c in sa.inspect(conn).get_columns("rubric_assessments")}
        assert (columns["assessor_id"], columns["submission_id"], columns["association_id"]) == (True, True, False)
        _insert(conn, "rubric_assessments", course_id=course, association_id=association, rubric_id=rubric,
                user_id=user, assessment_type="peer_review", data="[]", created_at=made, updated_at=made)
        conn.execute(sa.text("DELETE FROM content_items WHERE id = :i"), {"i": association})
        assert conn.execute(sa.text("SELECT count(*) FROM rubric_assessments")).scalar() == 0  # gone with it
    _downgrade(empty_store, "0045_grading_standards")
    with empty_store.connect() as conn:
        assert "rubric_assessments" not in sa.inspect(conn).get_table_names()
        assert conn.execute(sa.text("SELECT count(*) FROM content_items")).scalar() == 1
    _upgrade(empty_store, "head")


def test_0047_keeps_earlier_grades_as_entered_and_downgrades(empty_store):
    _upgrade(empty_store, "0046_rubric_assessments")
    made = datetime(2026, 4, 1, tzinfo=UTC)
    with empty_store.begin() as conn:
        root = _insert(conn, "accounts", name="Root", parent_account_id=None, root_account_id=None)
        term = _insert(conn, "terms", root_account_id=root, name="Term")
        course = _insert(conn, "courses", account_id=root, root_account_id=root, enrollment_term_id=term,
                         course_template_id=None)
        user = _insert(conn, "users", email=None, workflow_state="registered", created_at=made)
        item = _insert(conn, "content_items", course_id=course, type="assignment", title="Essay",
                       workflow_state="published", parent_id=None, created_at=made, updated_at=made)
        graded = _insert(conn, "submissions", item_id=item, course_id=course, user_id=user, workflow_state="graded",
                         score=7.5, grade="7.5", excused=False, late=True, data={}, updated_at=made)
    _upgrade(empty_store, "0047_late_policies")
    with empty_store.begin() as conn:
        row = conn.execute(sa.text("SELECT entered_score, entered_grade, points_deducted, late_policy_status, "
                                   "seconds_late_override FROM submissions WHERE id = :i"), {"i": graded}).one()
        assert tuple(row) == (7.5, "7.5", None, None, None)
        _insert(conn, "late_policies", course_id=course, missing_submission_deduction_enabled=False,
                missing_submission_deduction=0.0, late_submission_deduction_enabled=True,
                late_submission_deduction=10.0, late_submission_interval="day",
                late_submission_minimum_percent_enabled=False, late_submission_minimum_percent=0.0,
                created_at=made, updated_at=made)
    with pytest.raises(sa.exc.IntegrityError), empty_store.begin() as conn:  # one policy per course
        _insert(conn, "late_policies", course_id=course, missing_submission_deduction_enabled=False,
                missing_submission_deduction=0.0, late_submission_deduction_enabled=False,
                late_submission_deduction=0.0, late_submission_interval="day",
                late_submission_minimum_percent_enabled=False, late_submission_minimum_percent=0.0,
                created_at=made, updated_at=made)
    _downgrade(empty_store, "0046_rubric_assessments")
    with empty_store.connect() as conn:
        assert "late_policies" not in sa.inspect(conn).get_table_names()
        assert "entered_score" not in {c["name"] for c in sa.inspect(conn).get_columns("submissions")}
        assert conn.execute(sa.text("SELECT score, grade FROM submissions")).one() == (7.5, "7.5")
    _upgrade(empty_store, "head")


def test_0052_numbers_existing_groups_as_org_units_after_the_others_and_downgrades(empty_store):
    _upgrade(empty_store, "0051_sis_import_ids")
    with empty_store.begin() as conn:
        root = _insert(conn, "accounts", name="Root", parent_account_id=None, root_account_id=None)
        term = _insert(conn, "terms", root_account_id=root, name="Term")
        course = _insert(conn, "courses", account_id=root, root_account_id=root, enrollment_term_id=term,
                         course_template_id=None)
        for table, column, ref in (("accounts", "account_id", root), ("terms", "term_id", term),
                                   ("courses", "course_id", course)):
            conn.execute(sa.text(f"INSERT INTO org_units (kind, {column}) VALUES (:k, :r)"), {"k": table, "r": ref})
        category = _insert(conn, "group_categories", course_id=course, name="Teams", workflow_state="active",
                           availability="available")
        red, blue = (_insert(conn, "course_groups", category_id=category, course_id=course, name=n, uuid=n,
                             workflow_state="available", join_level="invitation_only", availability="available")
                     for n in ("Red", "Blue"))
        before = conn.execute(sa.text("SELECT max(id) FROM org_units")).scalar()
    _upgrade(empty_store, "0052_group_org_units")
    with empty_store.begin() as conn:
        rows = conn.execute(sa.text("SELECT id, kind, group_id FROM org_units WHERE group_id IS NOT NULL ORDER BY id"))
        assert rows.all() == [(before + 1, "group", red), (before + 2, "group", blue)]  # next ids, in group order
        with pytest.raises(sa.exc.IntegrityError), conn.begin_nested():  # one org unit per group
            conn.execute(sa.text("INSERT INTO org_units (kind, group_id) VALUES ('group', :g)"), {"g": red})
        conn.execute(sa.text("DELETE FROM course_groups WHERE id = :g"), {"g": red})  # the mapping goes with it
        assert conn.execute(sa.text("SELECT group_id FROM org_units WHERE kind = 'group'")).scalars().all() == [blue]
    _downgrade(empty_store, "0051_sis_import_ids")
    with empty_store.connect() as conn:
        assert "group_id" not in {c["name"] for c in sa.inspect(conn).get_columns("org_units")}
        assert conn.execute(sa.text("SELECT count(*) FROM org_units")).scalar() == 3
        assert conn.execute(sa.text("SELECT name FROM course_groups")).scalars().all() == ["Blue"]
    _upgrade(empty_store, "head")


def test_0066_gives_sqlite_courses_row_versions_every_write_changes_and_downgrades(empty_store):
    if empty_store.dialect.name != "sqlite":
        pytest.skip("PostgreSQL's rows carry xmin: 0066 changes nothing there")
    _upgrade(empty_store, "0065_data_sources")
    with empty_store.begin() as conn:
        root, term, before = _course_in_a_term(conn)
    _upgrade(empty_store, "0066_course_row_versions")
    version = "SELECT row_version FROM courses WHERE id = :id"
    with empty_store.begin() as conn:
        seen = [conn.execute(sa.text(version), {"id": before}).scalar_one()]
        made = _insert(conn, "courses", account_id=root, root_account_id=root, enrollment_term_id=term,
                       course_template_id=None)
        assert conn.execute(sa.text(version), {"id": made}).scalar_one() not in (None, seen[0])
        for change in ("name = 'Renamed'", "name = 'Renamed'", "row_version = row_version"):  # even the same value
            conn.execute(sa.text(f"UPDATE courses SET {change} WHERE id = :id"), {"id": before})
            seen.append(conn.execute(sa.text(version), {"id": before}).scalar_one())
    assert None not in seen and len(set(seen)) == 4
    _downgrade(empty_store, "0065_data_sources")
    with empty_store.connect() as conn:
        assert "row_version" not in {c["name"] for c in sa.inspect(conn).get_columns("courses")}
        assert not conn.execute(sa.text("SELECT name FROM sqlite_master WHERE type = 'trigger'")).all()
        conn.execute(sa.text("UPDATE courses SET name = 'Again' WHERE id = :id"), {"id": before})
    _upgrade(empty_store, "head")
