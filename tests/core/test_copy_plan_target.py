"""The copy engine names its target course to PostgreSQL's planner as the output of a sub-select
(`copy_plan.Unseen`): a copy's target is new to the statistics, and in plain sight it was estimated at one row
(docs/architecture.md, "the copy engine's statements and PostgreSQL's statistics"). SQLite gets the value."""

from __future__ import annotations

from sqlalchemy import column, select
from sqlalchemy.dialects import postgresql, sqlite

from courseport.core.copy import copy_tables
from courseport.core.copy.copy_plan import TARGET_ID, unseen


def _sql(statement, dialect) -> str:  # noqa: ANN001
    return " ".join(str(statement.compile(dialect=dialect)).split())


def test_postgresql_gets_the_target_from_a_sub_select_and_sqlite_as_it_is():
    asked = select(column("id")).where(column("course_id") == TARGET_ID, column("other") == unseen(7))
    assert _sql(asked, postgresql.dialect()) == ("SELECT id WHERE course_id = (SELECT %(target_id)s::INTEGER)"
                                                 " AND other = (SELECT %(param_1)s::INTEGER)")
    assert _sql(asked, sqlite.dialect()) == "SELECT id WHERE course_id = ? AND other = ?"


def test_the_engine_statements_name_the_target_so():
    on_postgresql = _sql(copy_tables._HOLDS_COPIES, postgresql.dialect())
    assert on_postgresql.count("course_id = (SELECT %(target_id)s::INTEGER)") == 2
    assert _sql(copy_tables._HOLDS_COPIES, sqlite.dialect()).count("course_id = ?") == 2


def test_a_statement_cached_with_one_target_runs_with_another():
    first, second = unseen(3), unseen(4)
    assert first._generate_cache_key() == second._generate_cache_key()  # one compiled form for every copy
    assert select(first).compile().construct_params() != select(second).compile().construct_params()
