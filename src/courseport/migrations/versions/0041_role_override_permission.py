"""role overrides indexed by (permission, enabled, role_id): bulk rights checks over many courses ask which
custom roles enable or disable a right

Revision ID: 0041_role_override_permission
Revises: 0040_quiz_extensions
Create Date: 2026-12-06 08:50:00
"""
from alembic import op

revision = '0041_role_override_permission'
down_revision = '0040_quiz_extensions'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index('ix_role_overrides_permission', 'role_overrides', ['permission', 'enabled', 'role_id'])


def downgrade() -> None:
    op.drop_index('ix_role_overrides_permission', table_name='role_overrides')
