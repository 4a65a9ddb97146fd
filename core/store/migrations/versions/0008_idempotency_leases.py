"""idempotency claims are leases, and belong to the API key that made them

Revision ID: 0008
Revises: 0007

`idempotency_records` and `turn_keys` gain `api_key_id` (in the primary key: a stored
response replays only to the key that sent the request) and `lease_expires_ms` (an
unfinished claim lapses unless its request renews it, so a crash no longer blocks retries
for a day). Both tables only hold replays kept for a day, and no existing row can say
which key made it, so they are recreated empty: a retry sent across this upgrade runs
again rather than replaying, and the claims a crash left stuck are gone.
"""

import sqlalchemy as sa
from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None


def _idempotency_records(*, per_key: bool) -> None:
    op.create_table(
        "idempotency_records",
        sa.Column("org_id", sa.String(length=40), nullable=False),
        *([sa.Column("api_key_id", sa.String(length=40), nullable=False)] if per_key else []),
        sa.Column("key", sa.String(length=255), nullable=False),
        sa.Column("method", sa.String(length=200), nullable=False),
        sa.Column("request_hash", sa.String(length=64), nullable=False),
        sa.Column("sealed_response", sa.Text(), nullable=True),
        sa.Column("created_ms", sa.BigInteger(), nullable=False),
        *([sa.Column("lease_expires_ms", sa.BigInteger(), nullable=False)] if per_key else []),
        sa.PrimaryKeyConstraint("org_id", *(["api_key_id"] if per_key else []), "key"),
    )


def _turn_keys(*, per_key: bool) -> None:
    op.create_table(
        "turn_keys",
        sa.Column("session_id", sa.String(length=40), nullable=False),
        *([sa.Column("api_key_id", sa.String(length=40), nullable=False)] if per_key else []),
        sa.Column("key", sa.String(length=255), nullable=False),
        sa.Column("request_hash", sa.String(length=64), nullable=False),
        sa.Column("first_seq", sa.BigInteger(), nullable=True),
        sa.Column("last_seq", sa.BigInteger(), nullable=True),
        sa.Column("created_ms", sa.BigInteger(), nullable=False),
        *([sa.Column("lease_expires_ms", sa.BigInteger(), nullable=False)] if per_key else []),
        sa.ForeignKeyConstraint(["session_id"], ["sessions.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("session_id", *(["api_key_id"] if per_key else []), "key"),
    )


def upgrade() -> None:
    op.drop_table("idempotency_records")
    op.drop_table("turn_keys")
    _idempotency_records(per_key=True)
    _turn_keys(per_key=True)


def downgrade() -> None:
    op.drop_table("idempotency_records")
    op.drop_table("turn_keys")
    _idempotency_records(per_key=False)
    _turn_keys(per_key=False)
