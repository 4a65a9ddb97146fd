"""verification_attempts → verification_orders + verification_failures: the attempts ledger

Revision ID: 0007
Revises: 0006

Failed verifications were counted per agent and order; they are now kept per organization,
store and order, one row per distinct wrong detail (its keyed hash). The old counts cannot
name their details (nothing but a number was kept), so each becomes that many placeholder
rows at the time of its last failure: an order locked before the upgrade stays locked for
the rest of its window, and one that had failures keeps them. The migration has no key for
the hashes, so the placeholders are plain SHA-256 of where they came from, which no real
detail's keyed hash can equal.
"""

import hashlib

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None

# An organization had one store per kind, and the Shopify lookup was the only one verified.
STORE_KEY = "shopify"

_OLD = sa.table(
    "verification_attempts",
    sa.column("org_id", sa.String),
    sa.column("agent_id", sa.String),
    sa.column("order_key", sa.String),
    sa.column("failures", sa.Integer),
    sa.column("updated_ms", sa.BigInteger),
)


def upgrade() -> None:
    op.create_table(
        "verification_orders",
        sa.Column("org_id", sa.String(length=40), nullable=False),
        sa.Column("store_key", sa.String(length=64), nullable=False),
        sa.Column("order_key", sa.String(length=255), nullable=False),
        sa.Column("checked_ms", sa.BigInteger(), nullable=False),
        sa.ForeignKeyConstraint(["org_id"], ["organizations.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("org_id", "store_key", "order_key"),
    )
    failures = op.create_table(
        "verification_failures",
        sa.Column("org_id", sa.String(length=40), nullable=False),
        sa.Column("store_key", sa.String(length=64), nullable=False),
        sa.Column("order_key", sa.String(length=255), nullable=False),
        sa.Column("factor_digest", sa.String(length=64), nullable=False),
        sa.Column("failed_ms", sa.BigInteger(), nullable=False),
        sa.ForeignKeyConstraint(["org_id"], ["organizations.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("org_id", "store_key", "order_key", "factor_digest"),
    )
    bind = op.get_bind()
    carried: dict[tuple[str, str, str], int] = {}  # (org, order, digest) -> failed_ms
    for org_id, agent_id, old_key, count, updated_ms in bind.execute(sa.select(_OLD)):
        # The old key was "{agent_id}/{order name without '#', case-folded}".
        order_key = old_key.split("/", 1)[1] if "/" in old_key else old_key
        for n in range(int(count)):
            where = f"migrated/{org_id}/{agent_id}/{order_key}/{n}"
            digest = hashlib.sha256(where.encode()).hexdigest()
            carried[(org_id, order_key, digest)] = int(updated_ms)
    if carried:
        newest: dict[tuple[str, str], int] = {}
        for (org_id, order_key, _), at in carried.items():
            newest[(org_id, order_key)] = max(at, newest.get((org_id, order_key), at))
        orders = sa.table(
            "verification_orders",
            sa.column("org_id", sa.String),
            sa.column("store_key", sa.String),
            sa.column("order_key", sa.String),
            sa.column("checked_ms", sa.BigInteger),
        )
        op.bulk_insert(
            orders,
            [
                {"org_id": org, "store_key": STORE_KEY, "order_key": key, "checked_ms": at}
                for (org, key), at in newest.items()
            ],
        )
        op.bulk_insert(
            failures,
            [
                {
                    "org_id": org,
                    "store_key": STORE_KEY,
                    "order_key": key,
                    "factor_digest": digest,
                    "failed_ms": at,
                }
                for (org, key, digest), at in carried.items()
            ],
        )
    op.drop_table("verification_attempts")


def downgrade() -> None:
    op.create_table(
        "verification_attempts",
        sa.Column("org_id", sa.String(length=40), nullable=False),
        sa.Column("agent_id", sa.String(length=40), nullable=False),
        sa.Column("order_key", sa.String(length=255), nullable=False),
        sa.Column("failures", sa.Integer(), nullable=False),
        sa.Column("updated_ms", sa.BigInteger(), nullable=False),
        sa.ForeignKeyConstraint(["org_id"], ["organizations.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("org_id", "agent_id", "order_key"),
    )
    # Counts per agent cannot be rebuilt from the organization's: the old table starts empty.
    op.drop_table("verification_failures")
    op.drop_table("verification_orders")
