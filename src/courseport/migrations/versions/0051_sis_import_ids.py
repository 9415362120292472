"""sis import ids: sections, terms, accounts and logins remember the SIS import that last wrote them (Canvas
shows `sis_import_id` on each, and batch mode deletes the term's SIS sections another import wrote); users
mirror their first live login's, as they mirror its SIS ids

Revision ID: 0051_sis_import_ids
Revises: 0050_submission_extra_attempts
Create Date: 2026-12-06 14:45:00
"""
import sqlalchemy as sa
from alembic import op

revision = '0051_sis_import_ids'
down_revision = '0050_submission_extra_attempts'
branch_labels = None
depends_on = None

_TABLES = ('sections', 'terms', 'accounts', 'logins', 'users')


def upgrade() -> None:
    for table in _TABLES:
        with op.batch_alter_table(table) as batch:
            batch.add_column(sa.Column('sis_import_id', sa.Integer(), nullable=True))


def downgrade() -> None:
    for table in reversed(_TABLES):
        with op.batch_alter_table(table) as batch:
            batch.drop_column('sis_import_id')
