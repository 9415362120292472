"""course groups: group categories, their groups and the groups' members (Canvas's Groups API)

Revision ID: 0035_course_groups
Revises: 0034_discussion_reads
Create Date: 2026-12-06 06:00:00
"""
import sqlalchemy as sa
from alembic import op

import courseport.schema.base

revision = '0035_course_groups'
down_revision = '0034_discussion_reads'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('group_categories',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('course_id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=255), nullable=False),
    sa.Column('self_signup', sa.String(length=16), nullable=True),
    sa.Column('group_limit', sa.Integer(), nullable=True),
    sa.Column('workflow_state', sa.String(length=32), nullable=False),
    sa.Column('created_at', courseport.schema.base.UTCDateTime(), nullable=False),
    sa.ForeignKeyConstraint(['course_id'], ['courses.id'], name=op.f('fk_group_categories_course_id_courses'),
                            ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_group_categories'))
    )
    with op.batch_alter_table('group_categories', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_group_categories_course_id'), ['course_id'], unique=False)
    op.create_table('course_groups',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('category_id', sa.Integer(), nullable=False),
    sa.Column('course_id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=255), nullable=False),
    sa.Column('description', sa.Text(), nullable=True),
    sa.Column('join_level', sa.String(length=32), nullable=False),
    sa.Column('workflow_state', sa.String(length=32), nullable=False),
    sa.Column('created_at', courseport.schema.base.UTCDateTime(), nullable=False),
    sa.ForeignKeyConstraint(['category_id'], ['group_categories.id'],
                            name=op.f('fk_course_groups_category_id_group_categories'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['course_id'], ['courses.id'], name=op.f('fk_course_groups_course_id_courses'),
                            ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_course_groups'))
    )
    with op.batch_alter_table('course_groups', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_course_groups_category_id'), ['category_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_course_groups_course_id'), ['course_id'], unique=False)
    op.create_table('group_memberships',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('group_id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('moderator', sa.Boolean(), nullable=False),
    sa.Column('created_at', courseport.schema.base.UTCDateTime(), nullable=False),
    sa.ForeignKeyConstraint(['group_id'], ['course_groups.id'],
                            name=op.f('fk_group_memberships_group_id_course_groups'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_group_memberships_user_id_users'),
                            ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_group_memberships')),
    sa.UniqueConstraint('group_id', 'user_id', name=op.f('uq_group_memberships_group_id_user_id'))
    )
    with op.batch_alter_table('group_memberships', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_group_memberships_group_id'), ['group_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_group_memberships_user_id'), ['user_id'], unique=False)


def downgrade() -> None:
    op.drop_table('group_memberships')
    op.drop_table('course_groups')
    op.drop_table('group_categories')
