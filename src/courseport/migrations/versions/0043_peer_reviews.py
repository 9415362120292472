"""peer reviews: a student assigned to review another student's submission (Canvas's assessment requests)

Revision ID: 0043_peer_reviews
Revises: 0042_xapi_credentials
Create Date: 2026-12-06 09:00:00
"""
import sqlalchemy as sa
from alembic import op

import courseport.schema.base

revision = '0043_peer_reviews'
down_revision = '0042_xapi_credentials'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('peer_reviews',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('course_id', sa.Integer(), nullable=False),
    sa.Column('item_id', sa.Integer(), nullable=False),
    sa.Column('submission_id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('assessor_id', sa.Integer(), nullable=False),
    sa.Column('workflow_state', sa.String(length=32), nullable=False),
    sa.Column('created_at', courseport.schema.base.UTCDateTime(), nullable=False),
    sa.Column('updated_at', courseport.schema.base.UTCDateTime(), nullable=False),
    sa.ForeignKeyConstraint(['assessor_id'], ['users.id'], name=op.f('fk_peer_reviews_assessor_id_users'),
                            ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['course_id'], ['courses.id'], name=op.f('fk_peer_reviews_course_id_courses'),
                            ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['item_id'], ['content_items.id'], name=op.f('fk_peer_reviews_item_id_content_items'),
                            ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['submission_id'], ['submissions.id'],
                            name=op.f('fk_peer_reviews_submission_id_submissions'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_peer_reviews_user_id_users'),
                            ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_peer_reviews')),
    sa.UniqueConstraint('submission_id', 'assessor_id', name=op.f('uq_peer_reviews_submission_id_assessor_id'))
    )
    with op.batch_alter_table('peer_reviews', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_peer_reviews_assessor_id'), ['assessor_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_peer_reviews_course_id'), ['course_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_peer_reviews_item_id'), ['item_id'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('peer_reviews', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_peer_reviews_item_id'))
        batch_op.drop_index(batch_op.f('ix_peer_reviews_course_id'))
        batch_op.drop_index(batch_op.f('ix_peer_reviews_assessor_id'))
    op.drop_table('peer_reviews')
