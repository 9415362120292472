"""lrs documents: the xAPI endpoint's State, Activity Profile and Agent Profile documents, and the cmi5
fetch URLs already answered

Revision ID: 0026_lrs_documents
Revises: 0024_tenant_sis_ids
Create Date: 2026-12-03 18:20:00
"""
import sqlalchemy as sa
from alembic import op

import courseport.schema.base

revision = '0026_lrs_documents'
down_revision = '0025_sequencing_state'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('lrs_documents',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('key', sa.String(length=64), nullable=False),
    sa.Column('course_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=16), nullable=False),
    sa.Column('activity_id', sa.String(length=1024), nullable=False),
    sa.Column('agent', sa.String(length=1024), nullable=False),
    sa.Column('registration', sa.String(length=64), nullable=False),
    sa.Column('document_id', sa.String(length=1024), nullable=False),
    sa.Column('content', sa.LargeBinary(), nullable=False),
    sa.Column('content_type', sa.String(length=255), nullable=False),
    sa.Column('etag', sa.String(length=64), nullable=False),
    sa.Column('updated_at', courseport.schema.base.UTCDateTime(), nullable=False),
    sa.ForeignKeyConstraint(['course_id'], ['courses.id'], name=op.f('fk_lrs_documents_course_id_courses'),
                            ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_lrs_documents')),
    sa.UniqueConstraint('key', name=op.f('uq_lrs_documents_key'))
    )
    with op.batch_alter_table('lrs_documents', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_lrs_documents_course_id'), ['course_id'], unique=False)
    op.create_table('lrs_fetches',
    sa.Column('launch_key', sa.String(length=64), nullable=False),
    sa.Column('fetched_at', courseport.schema.base.UTCDateTime(), nullable=False),
    sa.PrimaryKeyConstraint('launch_key', name=op.f('pk_lrs_fetches'))
    )


def downgrade() -> None:
    op.drop_table('lrs_fetches')
    with op.batch_alter_table('lrs_documents', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_lrs_documents_course_id'))
    op.drop_table('lrs_documents')
