"""conversations between users (`conversations`, their messages, each participant's state, the messages a
participant removed) and users' bookmarks (`bookmarks`).

Revision ID: 0063_conversations_bookmarks
Revises: 0062_group_content
Create Date: 2026-12-06 21:10:00
"""
import sqlalchemy as sa
from alembic import op

revision = '0063_conversations_bookmarks'
down_revision = '0062_group_content'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        'conversations',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('subject', sa.String(length=255), nullable=True),
        sa.Column('private', sa.Boolean(), nullable=False),
        sa.Column('context_type', sa.String(length=16), nullable=True),
        sa.Column('context_id', sa.Integer(), nullable=True),
        sa.Column('created_at', sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_conversations')))
    op.create_table(
        'conversation_messages',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('conversation_id', sa.Integer(), nullable=False),
        sa.Column('author_id', sa.Integer(), nullable=False),
        sa.Column('body', sa.Text(), nullable=False),
        sa.Column('generated', sa.Boolean(), nullable=False),
        sa.Column('created_at', sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(['conversation_id'], ['conversations.id'], ondelete='CASCADE',
                                name=op.f('fk_conversation_messages_conversation_id_conversations')),
        sa.ForeignKeyConstraint(['author_id'], ['users.id'], ondelete='CASCADE',
                                name=op.f('fk_conversation_messages_author_id_users')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_conversation_messages')))
    op.create_index(op.f('ix_conversation_messages_conversation_id'), 'conversation_messages',
                    ['conversation_id'])
    op.create_table(
        'conversation_participants',
        sa.Column('conversation_id', sa.Integer(), nullable=False),
        sa.Column('user_id', sa.Integer(), nullable=False),
        sa.Column('state', sa.String(length=16), nullable=False),
        sa.Column('starred', sa.Boolean(), nullable=False),
        sa.Column('subscribed', sa.Boolean(), nullable=False),
        sa.ForeignKeyConstraint(['conversation_id'], ['conversations.id'], ondelete='CASCADE',
                                name=op.f('fk_conversation_participants_conversation_id_conversations')),
        sa.ForeignKeyConstraint(['user_id'], ['users.id'], ondelete='CASCADE',
                                name=op.f('fk_conversation_participants_user_id_users')),
        sa.PrimaryKeyConstraint('conversation_id', 'user_id', name=op.f('pk_conversation_participants')))
    op.create_index(op.f('ix_conversation_participants_user_id'), 'conversation_participants', ['user_id'])
    op.create_table(
        'conversation_removed_messages',
        sa.Column('user_id', sa.Integer(), nullable=False),
        sa.Column('message_id', sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(['user_id'], ['users.id'], ondelete='CASCADE',
                                name=op.f('fk_conversation_removed_messages_user_id_users')),
        sa.ForeignKeyConstraint(['message_id'], ['conversation_messages.id'], ondelete='CASCADE',
                                name=op.f('fk_conversation_removed_messages_message_id_conversation_messages')),
        sa.PrimaryKeyConstraint('user_id', 'message_id', name=op.f('pk_conversation_removed_messages')))
    op.create_index(op.f('ix_conversation_removed_messages_message_id'), 'conversation_removed_messages',
                    ['message_id'])
    op.create_table(
        'bookmarks',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('user_id', sa.Integer(), nullable=False),
        sa.Column('name', sa.String(length=255), nullable=False),
        sa.Column('url', sa.String(length=2048), nullable=False),
        sa.Column('position', sa.Integer(), nullable=False),
        sa.Column('data', sa.Text(), nullable=True),
        sa.ForeignKeyConstraint(['user_id'], ['users.id'], ondelete='CASCADE',
                                name=op.f('fk_bookmarks_user_id_users')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_bookmarks')))
    op.create_index(op.f('ix_bookmarks_user_id'), 'bookmarks', ['user_id'])


def downgrade() -> None:
    op.drop_index(op.f('ix_bookmarks_user_id'), table_name='bookmarks')
    op.drop_table('bookmarks')
    op.drop_index(op.f('ix_conversation_removed_messages_message_id'), table_name='conversation_removed_messages')
    op.drop_table('conversation_removed_messages')
    op.drop_index(op.f('ix_conversation_participants_user_id'), table_name='conversation_participants')
    op.drop_table('conversation_participants')
    op.drop_index(op.f('ix_conversation_messages_conversation_id'), table_name='conversation_messages')
    op.drop_table('conversation_messages')
    op.drop_table('conversations')
