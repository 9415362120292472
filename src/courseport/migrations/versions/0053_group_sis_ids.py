"""group sis ids: group categories and groups keep the SIS id an SIS import gave them (`sis_source_id`, unique
among the root account's live ones by the import's own look-up under the account's row lock; Canvas shows it
as sis_group_category_id / sis_group_id) and the import that last wrote them (`sis_import_id`). Learn's
external id stays its own, unique per course.

Revision ID: 0053_group_sis_ids
Revises: 0052_group_org_units
Create Date: 2026-12-06 15:30:00
"""
import sqlalchemy as sa
from alembic import op

revision = '0053_group_sis_ids'
down_revision = '0052_group_org_units'
branch_labels = None
depends_on = None

_TABLES = ('group_categories', 'course_groups')


def upgrade() -> None:
    for table in _TABLES:
        with op.batch_alter_table(table) as batch:
            batch.add_column(sa.Column('sis_source_id', sa.String(length=255), nullable=True))
            batch.add_column(sa.Column('sis_import_id', sa.Integer(), nullable=True))
            batch.create_index(batch.f(f'ix_{table}_sis_source_id'), ['sis_source_id'])


def downgrade() -> None:
    for table in reversed(_TABLES):
        with op.batch_alter_table(table) as batch:
            batch.drop_index(batch.f(f'ix_{table}_sis_source_id'))
            batch.drop_column('sis_import_id')
            batch.drop_column('sis_source_id')
