"""integrations.status_reason: why an integration is not connected, so the merchant can be
told what to fix

Revision ID: 0006
Revises: 0005

Existing integrations get "": their next lookup or check says why, if anything is wrong.
"""

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("integrations") as batch:
        batch.add_column(
            sa.Column("status_reason", sa.String(60), nullable=False, server_default="")
        )


def downgrade() -> None:
    with op.batch_alter_table("integrations") as batch:
        batch.drop_column("status_reason")
