"""integrations.api_version, answered_api_version: the Shopify Admin API version asked for,
and the one the store answered in

Revision ID: 0005
Revises: 0004

Existing integrations get "" for both: they ask for the core's default version, and record
the version that answers on their next lookup.
"""

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("integrations") as batch:
        batch.add_column(sa.Column("api_version", sa.String(20), nullable=False, server_default=""))
        batch.add_column(
            sa.Column("answered_api_version", sa.String(20), nullable=False, server_default="")
        )


def downgrade() -> None:
    with op.batch_alter_table("integrations") as batch:
        batch.drop_column("answered_api_version")
        batch.drop_column("api_version")
