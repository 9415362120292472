"""gradebook columns: a course's custom gradebook columns and each student's entry in them (Canvas's Custom
Gradebook Columns API)

Revision ID: 0049_gradebook_columns
Revises: 0048_d2l_group_fields
Create Date: 2026-12-06 12:20:00
"""
import sqlalchemy as sa
from alembic import op

from courseport.schema.base import UTCDateTime

revision = '0049_gradebook_columns'
down_revision = '0048_d2l_group_fields'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        'custom_gradebook_columns',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('course_id', sa.Integer(), nullable=False),
        sa.Column('title', sa.String(length=255), nullable=False),
        sa.Column('position', sa.Integer(), nullable=False),
        sa.Column('hidden', sa.Boolean(), nullable=False),
        sa.Column('teacher_notes', sa.Boolean(), nullable=False),
        sa.Column('read_only', sa.Boolean(), nullable=False),
        sa.Column('workflow_state', sa.String(length=16), nullable=False),
        sa.Column('created_at', UTCDateTime(), nullable=False),
        sa.Column('updated_at', UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(['course_id'], ['courses.id'],
                                name=op.f('fk_custom_gradebook_columns_course_id_courses'), ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_custom_gradebook_columns')),
    )
    with op.batch_alter_table('custom_gradebook_columns', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_custom_gradebook_columns_course_id'), ['course_id'], unique=False)
    op.create_table(
        'custom_gradebook_column_data',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('column_id', sa.Integer(), nullable=False),
        sa.Column('user_id', sa.Integer(), nullable=False),
        sa.Column('content', sa.Text(), nullable=False),
        sa.Column('updated_at', UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(['column_id'], ['custom_gradebook_columns.id'],
                                name=op.f('fk_custom_gradebook_column_data_column_id_custom_gradebook_columns'),
                                ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_custom_gradebook_column_data_user_id_users'),
                                ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_custom_gradebook_column_data')),
        sa.UniqueConstraint('column_id', 'user_id', name=op.f('uq_custom_gradebook_column_data_column_id_user_id')),
    )
    with op.batch_alter_table('custom_gradebook_column_data', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_custom_gradebook_column_data_user_id'), ['user_id'], unique=False)


def downgrade() -> None:
    op.drop_table('custom_gradebook_column_data')
    op.drop_table('custom_gradebook_columns')
