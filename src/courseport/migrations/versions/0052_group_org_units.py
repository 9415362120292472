"""group org units: a course group is a D2L org unit (type Group), so it takes an id from the one org unit
id namespace; every existing group gets the next ids of the sequence, in group id order

Revision ID: 0052_group_org_units
Revises: 0051_sis_import_ids
Create Date: 2026-12-06 14:40:00
"""
import sqlalchemy as sa
from alembic import op

revision = '0052_group_org_units'
down_revision = '0051_sis_import_ids'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('org_units', schema=None) as batch_op:
        batch_op.add_column(sa.Column('group_id', sa.Integer(), nullable=True))
        batch_op.create_foreign_key(batch_op.f('fk_org_units_group_id_course_groups'), 'course_groups', ['group_id'],
                                    ['id'], ondelete='CASCADE')
        batch_op.create_unique_constraint(batch_op.f('uq_org_units_group_id'), ['group_id'])
    op.execute("INSERT INTO org_units (kind, group_id) SELECT 'group', id FROM course_groups ORDER BY id")


def downgrade() -> None:
    op.execute("DELETE FROM org_units WHERE group_id IS NOT NULL")
    with op.batch_alter_table('org_units', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('uq_org_units_group_id'), type_='unique')
        batch_op.drop_constraint(batch_op.f('fk_org_units_group_id_course_groups'), type_='foreignkey')
        batch_op.drop_column('group_id')
