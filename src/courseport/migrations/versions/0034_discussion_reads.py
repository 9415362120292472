"""discussion reads: each user's read and subscription marks on topics, and read marks on entries

Revision ID: 0034_discussion_reads
Revises: 0033_page_revisions
Create Date: 2026-12-06 05:35:00
"""
import sqlalchemy as sa
from alembic import op

revision = '0034_discussion_reads'
down_revision = '0033_page_revisions'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('discussion_participants',
    sa.Column('topic_id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('read', sa.Boolean(), nullable=True),
    sa.Column('subscribed', sa.Boolean(), nullable=True),
    sa.ForeignKeyConstraint(['topic_id'], ['content_items.id'],
                            name=op.f('fk_discussion_participants_topic_id_content_items'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_discussion_participants_user_id_users'),
                            ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('topic_id', 'user_id', name=op.f('pk_discussion_participants'))
    )
    op.create_table('discussion_entry_reads',
    sa.Column('entry_id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('topic_id', sa.Integer(), nullable=False),
    sa.Column('read', sa.Boolean(), nullable=False),
    sa.Column('forced', sa.Boolean(), nullable=False),
    sa.ForeignKeyConstraint(['entry_id'], ['discussion_entries.id'],
                            name=op.f('fk_discussion_entry_reads_entry_id_discussion_entries'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['topic_id'], ['content_items.id'],
                            name=op.f('fk_discussion_entry_reads_topic_id_content_items'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_discussion_entry_reads_user_id_users'),
                            ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('entry_id', 'user_id', name=op.f('pk_discussion_entry_reads'))
    )
    with op.batch_alter_table('discussion_entry_reads', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_discussion_entry_reads_topic_id'), ['topic_id'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('discussion_entry_reads', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_discussion_entry_reads_topic_id'))
    op.drop_table('discussion_entry_reads')
    op.drop_table('discussion_participants')
