"""sis stickiness and diffing: the fields an API write made sticky for later SIS imports
(`sis_sticky_fields`), and each diffing data set's last completed import and its rows (`sis_data_sets`).

Revision ID: 0055_sis_stickiness_diffing
Revises: 0054_grading_periods
Create Date: 2026-12-06 17:45:00
"""
import sqlalchemy as sa
from alembic import op

revision = '0055_sis_stickiness_diffing'
down_revision = '0054_grading_periods'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        'sis_sticky_fields',
        sa.Column('record_type', sa.String(length=32), nullable=False),
        sa.Column('record_id', sa.Integer(), nullable=False),
        sa.Column('field', sa.String(length=64), nullable=False),
        sa.PrimaryKeyConstraint('record_type', 'record_id', 'field', name=op.f('pk_sis_sticky_fields')))
    op.create_table(
        'sis_data_sets',
        sa.Column('root_account_id', sa.Integer(), nullable=False),
        sa.Column('identifier', sa.String(length=255), nullable=False),
        sa.Column('import_id', sa.Integer(), nullable=False),
        sa.Column('files', sa.JSON(), nullable=False),
        sa.ForeignKeyConstraint(['root_account_id'], ['accounts.id'], ondelete='CASCADE',
                                name=op.f('fk_sis_data_sets_root_account_id_accounts')),
        sa.PrimaryKeyConstraint('root_account_id', 'identifier', name=op.f('pk_sis_data_sets')))


def downgrade() -> None:
    op.drop_table('sis_data_sets')
    op.drop_table('sis_sticky_fields')
