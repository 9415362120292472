"""Indexes that migrations change, judged by what the database does with them: the plans of the statements they
are for. Each test migrates a store of its own (conftest's `empty_store`)."""

from __future__ import annotations

import sqlalchemy as sa

from courseport import migrate

# a course's own content of one type (core/courses/content_contexts.py) and the global outcomes
# (core/coursework/outcome_owners.py), in the order they are listed
COURSE_PAGES = "SELECT id FROM content_items WHERE course_id = 1 AND group_id IS NULL AND type = 'page' ORDER BY id"
GLOBAL_OUTCOMES = "SELECT id FROM content_items WHERE course_id IS NULL AND account_id IS NULL ORDER BY id"
# a course's outcome tree's root (core/coursework/outcome_groups.py)
OUTCOME_ROOT = ("SELECT id FROM content_items WHERE course_id = 1 AND type = 'outcome_group' AND parent_id IS NULL"
                " ORDER BY id LIMIT 1")
INDEXES = {"group_id": "ix_content_items_group_id", "account_id": "ix_content_items_account_id",
           "parent_id": "ix_content_items_parent"}


def _index_sql(conn: sa.Connection, name: str) -> str:
    if conn.dialect.name == "sqlite":
        return conn.execute(sa.text("SELECT sql FROM sqlite_master WHERE name = :name"), {"name": name}).scalar_one()
    return conn.execute(sa.text("SELECT indexdef FROM pg_indexes WHERE indexname = :name"
                                " AND schemaname = current_schema()"), {"name": name}).scalar_one()


def _plan(conn: sa.Connection, sql: str) -> str:
    """The plan's text; on PostgreSQL with sequential scans priced out, so an empty table's plan shows which
    index a statement can use."""
    if conn.dialect.name == "sqlite":
        return " ".join(row[3] for row in conn.execute(sa.text(f"EXPLAIN QUERY PLAN {sql}")))
    conn.execute(sa.text("SET LOCAL enable_seqscan = off"))
    return " ".join(row[0] for row in conn.execute(sa.text(f"EXPLAIN {sql}")))


def _partial(conn: sa.Connection) -> list[bool]:
    return [f"{column} IS NOT NULL" in _index_sql(conn, name) for column, name in INDEXES.items()]


def test_0067_indexes_groups_accounts_and_parents_only_where_set_and_downgrades(empty_store):
    is_null_plans = {COURSE_PAGES: "group_id", GLOBAL_OUTCOMES: "account_id", OUTCOME_ROOT: "parent_id"}
    migrate.upgrade(empty_store, "0066_course_row_versions")
    with empty_store.begin() as conn:
        assert _partial(conn) == [False] * 3
        if conn.dialect.name == "sqlite":  # no statistics: an index giving rows in id order for `IS NULL` won
            assert all(f"{INDEXES[column]} ({column}=?)" in _plan(conn, sql) for sql, column in is_null_plans.items())
    migrate.upgrade(empty_store, "0067_content_indexes_where_set")
    with empty_store.begin() as conn:
        assert _partial(conn) == [True] * 3
        assert not any(name in _plan(conn, sql) for sql in is_null_plans for name in INDEXES.values())
        assert "ix_content_items_course_type" in _plan(conn, COURSE_PAGES)
        for column, name in INDEXES.items():  # one group's, account's or parent's items still find them by it
            assert name in _plan(conn, f"SELECT id FROM content_items WHERE {column} = 7")
    migrate.downgrade(empty_store, "0066_course_row_versions")
    with empty_store.begin() as conn:
        assert _partial(conn) == [False] * 3
    migrate.upgrade(empty_store, "head")
