"""`content_items.group_id`, `.account_id` and `.parent_id` indexed only where set. Course queries say
`group_id IS NULL` (a course's own content, core/courses/content_contexts.py), global outcomes `account_id IS NULL`,
an outcome tree's root `parent_id IS NULL`; SQLite, which keeps no statistics unless asked, took the full index
for such a term when it also gave the rows in id order, and so walked every course's content in the store. In
`bench/blueprint.py` (100,000 items in the store by its end) one statement of each course's copy took 3.8 s of the
initial sync's 5.7; 0.05 s after, and the sync 2.0 s. Lookups of one group's, account's or
parent's items (`= ?`) use the partial indexes as before, on both databases.

Revision ID: 0067_content_indexes_where_set
Revises: 0066_course_row_versions
Create Date: 2026-12-07 10:30:00
"""
import sqlalchemy as sa
from alembic import op

revision = '0067_content_indexes_where_set'
down_revision = '0066_course_row_versions'
branch_labels = None
depends_on = None

INDEXES = {"ix_content_items_group_id": "group_id", "ix_content_items_account_id": "account_id",
           "ix_content_items_parent": "parent_id"}


def upgrade() -> None:
    for name, column in INDEXES.items():
        op.drop_index(name, table_name="content_items")
        where = sa.text(f"{column} IS NOT NULL")
        op.create_index(name, "content_items", [column], sqlite_where=where, postgresql_where=where)


def downgrade() -> None:
    for name, column in INDEXES.items():
        op.drop_index(name, table_name="content_items")
        op.create_index(name, "content_items", [column])
