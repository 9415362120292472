"""observer links: an observer linked to a student in a root account (Canvas's observees)

Revision ID: 0032_observer_links
Revises: 0031_section_descriptions
Create Date: 2026-12-06 05:40:00
"""
import sqlalchemy as sa
from alembic import op

import courseport.schema.base

revision = '0032_observer_links'
down_revision = '0031_section_descriptions'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('observer_links',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('observer_id', sa.Integer(), nullable=False),
    sa.Column('student_id', sa.Integer(), nullable=False),
    sa.Column('root_account_id', sa.Integer(), nullable=False),
    sa.Column('created_at', courseport.schema.base.UTCDateTime(), nullable=False),
    sa.ForeignKeyConstraint(['observer_id'], ['users.id'], name=op.f('fk_observer_links_observer_id_users'),
                            ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['root_account_id'], ['accounts.id'],
                            name=op.f('fk_observer_links_root_account_id_accounts')),
    sa.ForeignKeyConstraint(['student_id'], ['users.id'], name=op.f('fk_observer_links_student_id_users'),
                            ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_observer_links')),
    sa.UniqueConstraint('observer_id', 'student_id', 'root_account_id',
                        name=op.f('uq_observer_links_observer_id_student_id_root_account_id'))
    )
    with op.batch_alter_table('observer_links', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_observer_links_observer_id'), ['observer_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_observer_links_student_id'), ['student_id'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('observer_links', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_observer_links_student_id'))
        batch_op.drop_index(batch_op.f('ix_observer_links_observer_id'))
    op.drop_table('observer_links')
