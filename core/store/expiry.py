"""Idempotency keys expire: a retry is a matter of minutes, and a table that keeps every key
for ever only grows.

Keys (of unary calls, IdempotencyRecord, and of streamed turns, TurnKeyRow) are kept for
KEY_RETENTION_MS, 24 hours as Stripe keeps them; after that the same key runs the request
again. Every serving core sweeps once at start and then every SWEEP_SECONDS; on several
replicas the sweeps simply overlap (deleting is idempotent). The same sweep clears the
attempts ledger of wrong details that no longer count (store/attempts.py).
"""

from __future__ import annotations

import asyncio
import logging
from typing import Any

from sqlalchemy import delete
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from . import attempts
from .tables import IdempotencyRecord, TurnKeyRow

KEY_RETENTION_MS = 24 * 3600 * 1000
SWEEP_SECONDS = 3600.0

log = logging.getLogger(__name__)


async def sweep_once(sessions: async_sessionmaker[AsyncSession], now_ms: int) -> int:
    """Deletes the keys older than the retention, and the attempts ledger's rows older than
    its window; returns how many."""
    cutoff = now_ms - KEY_RETENTION_MS
    removed = 0
    async with sessions() as session:
        for model in (IdempotencyRecord, TurnKeyRow):
            result: Any = await session.execute(delete(model).where(model.created_ms < cutoff))
            removed += int(result.rowcount or 0)
        removed += await attempts.sweep(session, now_ms)
        await session.commit()
    return removed


async def sweep_forever(sessions: async_sessionmaker[AsyncSession], clock: Any) -> None:
    while True:
        try:
            removed = await sweep_once(sessions, clock())
            if removed:
                log.info("expired %d idempotency key(s) and attempt record(s)", removed)
        except Exception:  # a failed sweep is retried at the next one, never fatal
            log.exception("sweeping expired idempotency keys failed")
        await asyncio.sleep(SWEEP_SECONDS)
