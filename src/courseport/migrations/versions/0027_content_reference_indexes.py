"""content reference indexes: the foreign keys that a deleted content item or file reaches
(`content_items.ref_id`, `content_items.file_id`, `content_links.target_item_id`,
`content_links.target_file_id`) get an index each. Without one, every deleted row made PostgreSQL scan
the referring table to apply SET NULL / CASCADE: emptying 200,000 content items took over 17 minutes.

Revision ID: 0027_content_reference_indexes
Revises: 0026_lrs_documents
Create Date: 2026-12-03 19:45:00
"""
from alembic import op

revision = '0027_content_reference_indexes'
down_revision = '0026_lrs_documents'
branch_labels = None
depends_on = None

INDEXED = (("content_items", "ref_id"), ("content_items", "file_id"),
           ("content_links", "target_item_id"), ("content_links", "target_file_id"))


def upgrade() -> None:
    for table, column in INDEXED:
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.create_index(batch_op.f(f'ix_{table}_{column}'), [column], unique=False)


def downgrade() -> None:
    for table, column in reversed(INDEXED):
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.drop_index(batch_op.f(f'ix_{table}_{column}'))
