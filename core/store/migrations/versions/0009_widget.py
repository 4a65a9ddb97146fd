"""the storefront widget: publishable keys, visitor tokens, the agent's widget config

Revision ID: 0009
Revises: 0008

`agents.widget` holds the draft's widget config (published inside each version's
snapshot); existing agents get an empty one, which means the widget's defaults.
"""

import sqlalchemy as sa
from alembic import op

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("agents") as batch:
        batch.add_column(sa.Column("widget", sa.JSON(), nullable=False, server_default="{}"))
    op.create_table(
        "publishable_keys",
        sa.Column("id", sa.String(length=40), nullable=False),
        sa.Column("org_id", sa.String(length=40), nullable=False),
        sa.Column("agent_id", sa.String(length=40), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("allowed_origins", sa.JSON(), nullable=False),
        sa.Column("rate_limit_rpm", sa.Integer(), nullable=False),
        sa.Column("key_public", sa.String(length=80), nullable=False),
        sa.Column("previous_key", sa.String(length=80), nullable=True),
        sa.Column("previous_until_ms", sa.BigInteger(), nullable=True),
        sa.Column("created_ms", sa.BigInteger(), nullable=False),
        sa.ForeignKeyConstraint(["org_id"], ["organizations.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["agent_id"], ["agents.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("key_public"),
        sa.UniqueConstraint("previous_key"),
    )
    op.create_index("ix_publishable_keys_agent", "publishable_keys", ["org_id", "agent_id", "id"])
    op.create_table(
        "widget_visitors",
        sa.Column("token_hash", sa.String(length=64), nullable=False),
        sa.Column("org_id", sa.String(length=40), nullable=False),
        sa.Column("session_id", sa.String(length=40), nullable=False),
        sa.Column("agent_id", sa.String(length=40), nullable=False),
        sa.Column("created_ms", sa.BigInteger(), nullable=False),
        sa.ForeignKeyConstraint(["org_id"], ["organizations.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["session_id"], ["sessions.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("token_hash"),
    )


def downgrade() -> None:
    op.drop_table("widget_visitors")
    op.drop_index("ix_publishable_keys_agent", table_name="publishable_keys")
    op.drop_table("publishable_keys")
    with op.batch_alter_table("agents") as batch:
        batch.drop_column("widget")
