"""phone numbers, and the number a call dialled

Revision ID: 0010
Revises: 0009

`phone_numbers.e164` is unique across organizations: an incoming call finds its
organization and agent by the number it dialled. Sessions before this have no called
number (""); an index lists an agent's calls without reading its chats.
"""

import sqlalchemy as sa
from alembic import op

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "phone_numbers",
        sa.Column("id", sa.String(length=40), nullable=False),
        sa.Column("org_id", sa.String(length=40), nullable=False),
        sa.Column("e164", sa.String(length=16), nullable=False),
        sa.Column("agent_id", sa.String(length=40), nullable=True),
        sa.Column("created_ms", sa.BigInteger(), nullable=False),
        sa.ForeignKeyConstraint(["org_id"], ["organizations.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["agent_id"], ["agents.id"], ondelete="SET NULL"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("e164"),
    )
    op.create_index("ix_phone_numbers_org", "phone_numbers", ["org_id", "id"])
    with op.batch_alter_table("sessions") as batch:
        batch.add_column(
            sa.Column("called_number", sa.String(length=40), nullable=False, server_default="")
        )
    op.create_index("ix_sessions_agent_channel", "sessions", ["agent_id", "channel", "id"])


def downgrade() -> None:
    op.drop_index("ix_sessions_agent_channel", table_name="sessions")
    with op.batch_alter_table("sessions") as batch:
        batch.drop_column("called_number")
    op.drop_index("ix_phone_numbers_org", table_name="phone_numbers")
    op.drop_table("phone_numbers")
