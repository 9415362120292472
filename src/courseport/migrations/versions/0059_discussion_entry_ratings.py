"""discussion entry ratings: each user's like of a discussion entry (`discussion_entry_ratings`).

Revision ID: 0059_discussion_entry_ratings
Revises: 0058_account_notifications
Create Date: 2026-12-06 18:50:00
"""
import sqlalchemy as sa
from alembic import op

revision = '0059_discussion_entry_ratings'
down_revision = '0058_account_notifications'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        'discussion_entry_ratings',
        sa.Column('entry_id', sa.Integer(), nullable=False),
        sa.Column('user_id', sa.Integer(), nullable=False),
        sa.Column('topic_id', sa.Integer(), nullable=False),
        sa.Column('rating', sa.Integer(), nullable=False),
        sa.Column('updated_at', sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(['entry_id'], ['discussion_entries.id'], ondelete='CASCADE',
                                name=op.f('fk_discussion_entry_ratings_entry_id_discussion_entries')),
        sa.ForeignKeyConstraint(['user_id'], ['users.id'], ondelete='CASCADE',
                                name=op.f('fk_discussion_entry_ratings_user_id_users')),
        sa.ForeignKeyConstraint(['topic_id'], ['content_items.id'], ondelete='CASCADE',
                                name=op.f('fk_discussion_entry_ratings_topic_id_content_items')),
        sa.PrimaryKeyConstraint('entry_id', 'user_id', name=op.f('pk_discussion_entry_ratings')))
    op.create_index(op.f('ix_discussion_entry_ratings_topic_id'), 'discussion_entry_ratings', ['topic_id'])


def downgrade() -> None:
    op.drop_index(op.f('ix_discussion_entry_ratings_topic_id'), table_name='discussion_entry_ratings')
    op.drop_table('discussion_entry_ratings')
