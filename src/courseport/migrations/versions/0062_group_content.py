"""a course group's own content: `content_items.group_id` names the group whose pages and topics a row is.

Revision ID: 0062_group_content
Revises: 0061_account_outcomes
Create Date: 2026-12-06 21:15:00
"""
import sqlalchemy as sa
from alembic import op

revision = '0062_group_content'
down_revision = '0061_account_outcomes'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('content_items') as batch:
        batch.add_column(sa.Column('group_id', sa.Integer(), nullable=True))
        batch.create_foreign_key(op.f('fk_content_items_group_id_course_groups'), 'course_groups', ['group_id'],
                                 ['id'], ondelete='CASCADE')
        batch.create_index(op.f('ix_content_items_group_id'), ['group_id'])


def downgrade() -> None:
    with op.batch_alter_table('content_items') as batch:
        batch.drop_index(op.f('ix_content_items_group_id'))
        batch.drop_constraint(op.f('fk_content_items_group_id_course_groups'), type_='foreignkey')
        batch.drop_column('group_id')
