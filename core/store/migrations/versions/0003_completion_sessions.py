"""sessions.conversation_key: a stateless completion that hands off keeps one session

Revision ID: 0003
Revises: 0002
"""

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("sessions") as batch:
        batch.add_column(sa.Column("conversation_key", sa.String(length=64), nullable=True))
    op.create_index(
        "uq_sessions_org_conversation_key",
        "sessions",
        ["org_id", "conversation_key"],
        unique=True,
    )


def downgrade() -> None:
    op.drop_index("uq_sessions_org_conversation_key", table_name="sessions")
    with op.batch_alter_table("sessions") as batch:
        batch.drop_column("conversation_key")
