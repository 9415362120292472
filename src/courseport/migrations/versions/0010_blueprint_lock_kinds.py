"""blueprint lock kinds: locks on files (attachment) and on kinds with no content yet, not only items

Revision ID: 0010_blueprint_lock_kinds
Revises: 0009_blueprints
Create Date: 2026-11-24 18:16:22.174956
"""
import sqlalchemy as sa
from alembic import op

revision = '0010_blueprint_lock_kinds'
down_revision = '0009_blueprints'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('blueprint_locks', schema=None) as batch_op:
        batch_op.add_column(sa.Column('kind', sa.String(length=32), server_default='item', nullable=False))
        batch_op.drop_constraint(batch_op.f('uq_blueprint_locks_template_id_item_id'), type_='unique')
        batch_op.create_unique_constraint(batch_op.f('uq_blueprint_locks_template_id_kind_item_id'), ['template_id', 'kind', 'item_id'])
        batch_op.drop_constraint(batch_op.f('fk_blueprint_locks_item_id_content_items'), type_='foreignkey')


def downgrade() -> None:
    op.execute("DELETE FROM blueprint_locks WHERE kind != 'item'")  # the item foreign key comes back
    with op.batch_alter_table('blueprint_locks', schema=None) as batch_op:
        batch_op.create_foreign_key(batch_op.f('fk_blueprint_locks_item_id_content_items'), 'content_items', ['item_id'], ['id'], ondelete='CASCADE')
        batch_op.drop_constraint(batch_op.f('uq_blueprint_locks_template_id_kind_item_id'), type_='unique')
        batch_op.create_unique_constraint(batch_op.f('uq_blueprint_locks_template_id_item_id'), ['template_id', 'item_id'])
        batch_op.drop_column('kind')
