"""page revisions: each save's title and body of a wiki page (Canvas's page history and revert)

Revision ID: 0033_page_revisions
Revises: 0032_observer_links
Create Date: 2026-12-06 05:20:00
"""
import sqlalchemy as sa
from alembic import op

import courseport.schema.base

revision = '0033_page_revisions'
down_revision = '0032_observer_links'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('page_revisions',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('page_id', sa.Integer(), nullable=False),
    sa.Column('number', sa.Integer(), nullable=False),
    sa.Column('title', sa.String(length=1024), nullable=False),
    sa.Column('body', sa.Text(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=True),
    sa.Column('created_at', courseport.schema.base.UTCDateTime(), nullable=False),
    sa.ForeignKeyConstraint(['page_id'], ['content_items.id'], name=op.f('fk_page_revisions_page_id_content_items'),
                            ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_page_revisions_user_id_users'),
                            ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_page_revisions')),
    sa.UniqueConstraint('page_id', 'number', name=op.f('uq_page_revisions_page_id_number'))
    )
    with op.batch_alter_table('page_revisions', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_page_revisions_page_id'), ['page_id'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('page_revisions', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_page_revisions_page_id'))
    op.drop_table('page_revisions')
