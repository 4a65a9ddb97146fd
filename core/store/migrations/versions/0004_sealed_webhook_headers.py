"""skills.sealed_headers: a webhook's header values go to the vault

Revision ID: 0004
Revises: 0003

Header values already stored in a webhook's definition cannot be sealed here (migrations
hold no key), so they are blanked: the merchant enters them again, and from then on they
are sealed.
"""

import json

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None

_SKILLS = sa.table("skills", sa.column("id", sa.String), sa.column("definition", sa.JSON))


def upgrade() -> None:
    with op.batch_alter_table("skills") as batch:
        batch.add_column(sa.Column("sealed_headers", sa.Text(), nullable=True))
    bind = op.get_bind()
    for skill_id, definition in bind.execute(sa.select(_SKILLS.c.id, _SKILLS.c.definition)):
        if isinstance(definition, str):
            definition = json.loads(definition)
        headers = ((definition or {}).get("execution_config") or {}).get("headers")
        if definition.get("skill_type") == "http_webhook" and headers:
            definition["execution_config"]["headers"] = {name: "" for name in headers}
            bind.execute(
                _SKILLS.update().where(_SKILLS.c.id == skill_id).values(definition=definition)
            )


def downgrade() -> None:
    with op.batch_alter_table("skills") as batch:
        batch.drop_column("sealed_headers")
