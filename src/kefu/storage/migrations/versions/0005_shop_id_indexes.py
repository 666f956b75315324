"""drop the single-column shop_id indexes of orders and customers

Both tables have a unique (shop_id, external_id) index, which serves a look-up by shop alone
(and the cascade from shops). The extra index cost a B-tree insert per imported row and
offered the planner a way to read a whole shop where it should probe a key: with statistics
older than a large import, it read every order of the shop through ix_orders_shop_id to find
a batch's 1,000 known orders (``kefu.storage.bulk.rows_by_key`` now probes each key).

Revision ID: 0005_shop_id_indexes
Revises: 0004_knowledge
Create Date: 2026-11-24
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0005_shop_id_indexes"
down_revision: str | None = "0004_knowledge"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_TABLES = ("orders", "customers")


def upgrade() -> None:
    for table in _TABLES:
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.drop_index(batch_op.f(f"ix_{table}_shop_id"))


def downgrade() -> None:
    for table in _TABLES:
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.create_index(batch_op.f(f"ix_{table}_shop_id"), ["shop_id"], unique=False)
