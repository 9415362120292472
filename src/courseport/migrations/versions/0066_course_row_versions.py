"""Course row versions on SQLite (`courses.row_version`): a random 64-bit number that triggers set again on every
insert and update of a course, whoever makes it (the API, a worker, another process, a CLI or raw SQL), so that
a course's JSON can be kept by its row's version (dialects/canvas/listed_courses.py) as it is on PostgreSQL, whose
rows carry the id of the transaction that wrote them (`xmin`). Random, not counted: a course deleted and another
made with its id starts from a number no earlier version had (2^-64 aside). The column is outside the ORM model,
as xmin is; row_reads.RowVersion reads it.

A batch migration that rebuilds `courses` on SQLite drops these triggers with the old table: it must make them
again (`create_triggers`). tests/dialects/canvas/test_listed_course_json.py fails on a store without them.

Revision ID: 0066_course_row_versions
Revises: 0065_data_sources
Create Date: 2026-12-07 08:40:00
"""
from alembic import op

revision = '0066_course_row_versions'
down_revision = '0065_data_sources'
branch_labels = None
depends_on = None

TRIGGERS = {
    # the inner UPDATE changes row_version, so the update trigger's WHEN leaves it alone: no recursion
    "courses_row_version_on_insert": "AFTER INSERT ON courses",
    "courses_row_version_on_update": "AFTER UPDATE ON courses WHEN NEW.row_version IS OLD.row_version",
}


def create_triggers() -> None:
    for name, when in TRIGGERS.items():
        op.execute(f"CREATE TRIGGER {name} {when} BEGIN "
                   "UPDATE courses SET row_version = random() WHERE id = NEW.id; END")


def upgrade() -> None:
    if op.get_bind().dialect.name != "sqlite":
        return  # PostgreSQL: xmin
    op.execute("ALTER TABLE courses ADD COLUMN row_version INTEGER")
    op.execute("UPDATE courses SET row_version = random()")
    create_triggers()


def downgrade() -> None:
    if op.get_bind().dialect.name != "sqlite":
        return
    for name in TRIGGERS:
        op.execute(f"DROP TRIGGER IF EXISTS {name}")
    op.execute("ALTER TABLE courses DROP COLUMN row_version")
