"""API tokens may expire

A token handed to an integration partner or a temporary helper should stop working on its own;
until now a token lived until someone remembered to revoke it. Existing tokens keep no expiry.

Revision ID: 0007_token_expiry
Revises: 0006_identity_shop_key
Create Date: 2026-11-24
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import kefu.storage.base

revision: str = "0007_token_expiry"
down_revision: str | None = "0006_identity_shop_key"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("api_tokens", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("expires_at", kefu.storage.base.UTCDateTime(timezone=True), nullable=True)
        )


def downgrade() -> None:
    with op.batch_alter_table("api_tokens", schema=None) as batch_op:
        batch_op.drop_column("expires_at")
