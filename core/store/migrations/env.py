"""Alembic environment: the core passes its own connection (core/store/db.py:migrate)."""

from alembic import context

from core.store.tables import Base

connection = context.config.attributes["connection"]
context.configure(connection=connection, target_metadata=Base.metadata, render_as_batch=True)
with context.begin_transaction():
    context.run_migrations()
