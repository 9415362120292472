"""usage rights of course files (three columns on `files`) and announcement external feeds (`external_feeds`).

Revision ID: 0060_usage_rights_external_feeds
Revises: 0059_discussion_entry_ratings
Create Date: 2026-12-06 18:50:00
"""
import sqlalchemy as sa
from alembic import op

revision = '0060_usage_rights_external_feeds'
down_revision = '0059_discussion_entry_ratings'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('files') as batch:
        batch.add_column(sa.Column('use_justification', sa.String(length=32), nullable=True))
        batch.add_column(sa.Column('license', sa.String(length=32), nullable=True))
        batch.add_column(sa.Column('legal_copyright', sa.String(length=255), nullable=True))
    op.create_table(
        'external_feeds',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('course_id', sa.Integer(), nullable=False),
        sa.Column('user_id', sa.Integer(), nullable=True),
        sa.Column('url', sa.String(length=2048), nullable=False),
        sa.Column('header_match', sa.String(length=255), nullable=True),
        sa.Column('verbosity', sa.String(length=16), nullable=False),
        sa.Column('created_at', sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(['course_id'], ['courses.id'], ondelete='CASCADE',
                                name=op.f('fk_external_feeds_course_id_courses')),
        sa.ForeignKeyConstraint(['user_id'], ['users.id'], ondelete='SET NULL',
                                name=op.f('fk_external_feeds_user_id_users')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_external_feeds')))
    op.create_index(op.f('ix_external_feeds_course_id'), 'external_feeds', ['course_id'])


def downgrade() -> None:
    op.drop_index(op.f('ix_external_feeds_course_id'), table_name='external_feeds')
    op.drop_table('external_feeds')
    with op.batch_alter_table('files') as batch:
        batch.drop_column('legal_copyright')
        batch.drop_column('license')
        batch.drop_column('use_justification')
