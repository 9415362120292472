"""external tools (LTI 1.1 configurations of accounts and courses) and feature flags (set on accounts, courses
and users).

Revision ID: 0056_external_tools_flags
Revises: 0055_sis_stickiness_diffing
Create Date: 2026-12-06 18:20:00
"""
import sqlalchemy as sa
from alembic import op

revision = '0056_external_tools_flags'
down_revision = '0055_sis_stickiness_diffing'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        'external_tools',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('account_id', sa.Integer(), nullable=True),
        sa.Column('course_id', sa.Integer(), nullable=True),
        sa.Column('name', sa.String(length=255), nullable=False),
        sa.Column('description', sa.Text(), nullable=True),
        sa.Column('url', sa.String(length=2048), nullable=True),
        sa.Column('domain', sa.String(length=255), nullable=True),
        sa.Column('consumer_key', sa.String(length=255), nullable=False),
        sa.Column('shared_secret', sa.String(length=255), nullable=False),
        sa.Column('privacy_level', sa.String(length=16), nullable=False),
        sa.Column('icon_url', sa.String(length=2048), nullable=True),
        sa.Column('not_selectable', sa.Boolean(), server_default=sa.false(), nullable=False),
        sa.Column('custom_fields', sa.JSON(), nullable=False),
        sa.Column('placements', sa.JSON(), nullable=False),
        sa.Column('created_at', sa.DateTime(), nullable=False),
        sa.Column('updated_at', sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(['account_id'], ['accounts.id'], ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['course_id'], ['courses.id'], ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id'),
    )
    op.create_index('ix_external_tools_account_id', 'external_tools', ['account_id'])
    op.create_index('ix_external_tools_course_id', 'external_tools', ['course_id'])
    op.create_table(
        'feature_flags',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('feature', sa.String(length=64), nullable=False),
        sa.Column('account_id', sa.Integer(), nullable=True),
        sa.Column('course_id', sa.Integer(), nullable=True),
        sa.Column('user_id', sa.Integer(), nullable=True),
        sa.Column('state', sa.String(length=16), nullable=False),
        sa.ForeignKeyConstraint(['account_id'], ['accounts.id'], ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['course_id'], ['courses.id'], ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['user_id'], ['users.id'], ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id'),
        sa.UniqueConstraint('account_id', 'feature', name=op.f('uq_feature_flags_account_id_feature')),
        sa.UniqueConstraint('course_id', 'feature', name=op.f('uq_feature_flags_course_id_feature')),
        sa.UniqueConstraint('user_id', 'feature', name=op.f('uq_feature_flags_user_id_feature')),
    )


def downgrade() -> None:
    op.drop_table('feature_flags')
    op.drop_index('ix_external_tools_course_id', table_name='external_tools')
    op.drop_index('ix_external_tools_account_id', table_name='external_tools')
    op.drop_table('external_tools')
