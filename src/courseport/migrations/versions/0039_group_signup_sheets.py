"""group sign-up sheets and one imported category per course: Learn's enrollment.signupSheet kept on group
sets and groups; the live categories of role 'imported' a course may hold by a race made one (the oldest
keeps the groups of the others, which are deleted), then a partial unique index keeps it so

Revision ID: 0039_group_signup_sheets
Revises: 0038_learn_group_fields
Create Date: 2026-12-06 08:40:00
"""
import sqlalchemy as sa
from alembic import op

revision = '0039_group_signup_sheets'
down_revision = '0038_learn_group_fields'
branch_labels = None
depends_on = None

_TABLES = ('group_categories', 'course_groups')
_INDEX = 'uq_group_categories_one_imported'
_ONE_IMPORTED = "role = 'imported' AND workflow_state != 'deleted'"


def upgrade() -> None:
    for name in _TABLES:
        with op.batch_alter_table(name, schema=None) as batch_op:
            batch_op.add_column(sa.Column('signup_sheet', sa.JSON(), nullable=True))
    _merge_imported()
    with op.batch_alter_table('group_categories', schema=None) as batch_op:
        batch_op.create_index(_INDEX, ['course_id'], unique=True, sqlite_where=sa.text(_ONE_IMPORTED),
                              postgresql_where=sa.text(_ONE_IMPORTED))


def _merge_imported() -> None:
    """Per course, the oldest live imported category takes the groups of its live twins; the twins are deleted."""
    categories = sa.table('group_categories', sa.column('id', sa.Integer), sa.column('course_id', sa.Integer),
                          sa.column('role', sa.String), sa.column('workflow_state', sa.String),
                          sa.column('external_id', sa.String))
    groups = sa.table('course_groups', sa.column('category_id', sa.Integer))
    bind = op.get_bind()
    kept: dict[int, int] = {}
    live = sa.select(categories.c.id, categories.c.course_id).where(
        categories.c.role == 'imported', categories.c.workflow_state != 'deleted').order_by(categories.c.id)
    for category_id, course_id in bind.execute(live).all():
        if course_id not in kept:
            kept[course_id] = category_id
            continue
        bind.execute(groups.update().where(groups.c.category_id == category_id).values(category_id=kept[course_id]))
        bind.execute(categories.update().where(categories.c.id == category_id).values(
            workflow_state='deleted', external_id=None))


def downgrade() -> None:
    with op.batch_alter_table('group_categories', schema=None) as batch_op:
        batch_op.drop_index(_INDEX)
    for name in _TABLES:
        with op.batch_alter_table(name, schema=None) as batch_op:
            batch_op.drop_column('signup_sheet')
