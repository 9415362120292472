"""role overrides: the permissions a custom role sets explicitly (Canvas's Roles API writes), and when a
role was made and last changed

Revision ID: 0036_role_overrides
Revises: 0035_course_groups
Create Date: 2026-12-06 08:00:00
"""
import sqlalchemy as sa
from alembic import op

import courseport.schema.base

revision = '0036_role_overrides'
down_revision = '0035_course_groups'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('role_overrides',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('role_id', sa.Integer(), nullable=False),
    sa.Column('account_id', sa.Integer(), nullable=False),
    sa.Column('permission', sa.String(length=64), nullable=False),
    sa.Column('enabled', sa.Boolean(), nullable=True),
    sa.Column('locked', sa.Boolean(), nullable=False),
    sa.Column('applies_to_self', sa.Boolean(), nullable=False),
    sa.Column('applies_to_descendants', sa.Boolean(), nullable=False),
    sa.ForeignKeyConstraint(['account_id'], ['accounts.id'], name=op.f('fk_role_overrides_account_id_accounts')),
    sa.ForeignKeyConstraint(['role_id'], ['roles.id'], name=op.f('fk_role_overrides_role_id_roles')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_role_overrides')),
    sa.UniqueConstraint('role_id', 'account_id', 'permission',
                        name=op.f('uq_role_overrides_role_id_account_id_permission'))
    )
    with op.batch_alter_table('roles', schema=None) as batch_op:
        batch_op.add_column(sa.Column('created_at', courseport.schema.base.UTCDateTime(), nullable=True))
        batch_op.add_column(sa.Column('updated_at', courseport.schema.base.UTCDateTime(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('roles', schema=None) as batch_op:
        batch_op.drop_column('updated_at')
        batch_op.drop_column('created_at')
    op.drop_table('role_overrides')
