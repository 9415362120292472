"""outcomes above the course: content items of an account (`account_id`) or of no one (global outcomes), so
`content_items.course_id` may be empty for those.

Revision ID: 0061_account_outcomes
Revises: 0060_usage_rights_external_feeds
Create Date: 2026-12-06 21:15:00
"""
import sqlalchemy as sa
from alembic import op

revision = '0061_account_outcomes'
down_revision = '0060_usage_rights_external_feeds'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('content_items', schema=None) as batch_op:
        batch_op.alter_column('course_id', existing_type=sa.Integer(), nullable=True)
        batch_op.add_column(sa.Column('account_id', sa.Integer(), nullable=True))
        batch_op.create_index(batch_op.f('ix_content_items_account_id'), ['account_id'], unique=False)
        batch_op.create_foreign_key(batch_op.f('fk_content_items_account_id_accounts'), 'accounts', ['account_id'],
                                    ['id'], ondelete='CASCADE')


def downgrade() -> None:
    op.execute("DELETE FROM content_items WHERE course_id IS NULL")  # account and global outcomes cannot stay
    with op.batch_alter_table('content_items', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_content_items_account_id_accounts'), type_='foreignkey')
        batch_op.drop_index(batch_op.f('ix_content_items_account_id'))
        batch_op.drop_column('account_id')
        batch_op.alter_column('course_id', existing_type=sa.Integer(), nullable=False)
