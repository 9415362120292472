"""a user's planner: planner notes (`planner_notes`) and planner overrides (`planner_overrides`).

Revision ID: 0064_planner
Revises: 0063_conversations_bookmarks
Create Date: 2026-12-06 21:20:00
"""
import sqlalchemy as sa
from alembic import op

revision = '0064_planner'
down_revision = '0063_conversations_bookmarks'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        'planner_notes',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('user_id', sa.Integer(), nullable=False),
        sa.Column('course_id', sa.Integer(), nullable=True),
        sa.Column('title', sa.String(length=255), nullable=False),
        sa.Column('details', sa.Text(), nullable=True),
        sa.Column('todo_date', sa.DateTime(), nullable=False),
        sa.Column('workflow_state', sa.String(length=16), nullable=False),
        sa.Column('created_at', sa.DateTime(), nullable=False),
        sa.Column('updated_at', sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(['course_id'], ['courses.id'], ondelete='CASCADE',
                                name=op.f('fk_planner_notes_course_id_courses')),
        sa.ForeignKeyConstraint(['user_id'], ['users.id'], ondelete='CASCADE',
                                name=op.f('fk_planner_notes_user_id_users')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_planner_notes')))
    op.create_index(op.f('ix_planner_notes_user_id'), 'planner_notes', ['user_id'])
    op.create_index(op.f('ix_planner_notes_course_id'), 'planner_notes', ['course_id'])
    op.create_table(
        'planner_overrides',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('user_id', sa.Integer(), nullable=False),
        sa.Column('plannable_type', sa.String(length=32), nullable=False),
        sa.Column('plannable_id', sa.Integer(), nullable=False),
        sa.Column('marked_complete', sa.Boolean(), nullable=False),
        sa.Column('dismissed', sa.Boolean(), nullable=False),
        sa.Column('workflow_state', sa.String(length=16), nullable=False),
        sa.Column('created_at', sa.DateTime(), nullable=False),
        sa.Column('updated_at', sa.DateTime(), nullable=False),
        sa.Column('deleted_at', sa.DateTime(), nullable=True),
        sa.ForeignKeyConstraint(['user_id'], ['users.id'], ondelete='CASCADE',
                                name=op.f('fk_planner_overrides_user_id_users')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_planner_overrides')),
        sa.UniqueConstraint('user_id', 'plannable_type', 'plannable_id',
                            name=op.f('uq_planner_overrides_user_id_plannable_type_plannable_id')))


def downgrade() -> None:
    op.drop_table('planner_overrides')
    op.drop_index(op.f('ix_planner_notes_course_id'), table_name='planner_notes')
    op.drop_index(op.f('ix_planner_notes_user_id'), table_name='planner_notes')
    op.drop_table('planner_notes')
