"""learn group fields: external ids (unique in a course), uuids, availability, descriptions of categories,
the last change of categories and groups; a category's role (groups in no set) and a group's own limit

Revision ID: 0038_learn_group_fields
Revises: 0037_quiz_submissions
Create Date: 2026-12-06 08:10:00
"""
import uuid

import sqlalchemy as sa
from alembic import op

import courseport.schema.base

revision = '0038_learn_group_fields'
down_revision = '0037_quiz_submissions'
branch_labels = None
depends_on = None

_TABLES = ('group_categories', 'course_groups')


def upgrade() -> None:
    for name in _TABLES:
        with op.batch_alter_table(name, schema=None) as batch_op:
            if name == 'group_categories':
                batch_op.add_column(sa.Column('role', sa.String(length=16), nullable=True))
                batch_op.add_column(sa.Column('description', sa.Text(), nullable=True))
            else:
                batch_op.add_column(sa.Column('max_membership', sa.Integer(), nullable=True))
            batch_op.add_column(sa.Column('external_id', sa.String(length=256), nullable=True))
            batch_op.add_column(sa.Column('uuid', sa.String(length=64), nullable=True))
            batch_op.add_column(sa.Column('availability', sa.String(length=16), nullable=True))
            batch_op.add_column(sa.Column('updated_at', courseport.schema.base.UTCDateTime(), nullable=True))
        _fill(name)
        with op.batch_alter_table(name, schema=None) as batch_op:
            for column in ('uuid', 'availability', 'updated_at'):
                batch_op.alter_column(column, nullable=False)
            batch_op.create_unique_constraint(batch_op.f(f'uq_{name}_course_id_external_id'), ['course_id', 'external_id'])


def _fill(name: str) -> None:
    """Every row made before: a uuid, the same as its external id (live rows), available, changed when made."""
    table = sa.table(name, sa.column('id', sa.Integer), sa.column('uuid', sa.String),
                     sa.column('external_id', sa.String), sa.column('availability', sa.String),
                     sa.column('workflow_state', sa.String), sa.column('created_at'), sa.column('updated_at'))
    bind = op.get_bind()
    bind.execute(table.update().values(availability='available', updated_at=table.c.created_at))
    for row_id, state in bind.execute(sa.select(table.c.id, table.c.workflow_state)).all():
        made = uuid.uuid4().hex
        bind.execute(table.update().where(table.c.id == row_id).values(
            uuid=made, external_id=None if state == 'deleted' else made))


def downgrade() -> None:
    for name in _TABLES:
        with op.batch_alter_table(name, schema=None) as batch_op:
            batch_op.drop_constraint(batch_op.f(f'uq_{name}_course_id_external_id'), type_='unique')
            for column in ('updated_at', 'availability', 'uuid', 'external_id'):
                batch_op.drop_column(column)
            if name == 'group_categories':
                batch_op.drop_column('description')
                batch_op.drop_column('role')
            else:
                batch_op.drop_column('max_membership')
