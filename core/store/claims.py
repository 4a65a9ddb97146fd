"""An idempotency claim is a lease, not a lock held until the answer exists.

A request claims its idempotency key (an IdempotencyRecord, or a turn's TurnKeyRow) before
it runs, and fills it in when it succeeds. While it runs it renews the claim every
RENEW_SECONDS; a claim left unfinished and unrenewed past its `lease_expires_ms` belongs
to a request that died with its process (a crash, a kill, a lost machine), and the next
retry takes it over and runs the request, once, instead of answering "still running"
until the key expires a day later. Taking over is a conditional update, so of several
retries racing for a lapsed claim exactly one wins.

The lease is on the runtime clock, which every replica shares through the database; the
renewal cadence is a duration. A request that stalls longer than a lease without renewing
(an event loop blocked for 20 s) can lose its claim to a retry: a turn is still written
once (a turn commits only on the state it read), and the first answer stored wins.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass
from typing import Any

from sqlalchemy import ColumnElement, delete, update
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from .tables import IdempotencyRecord, TurnKeyRow

LEASE_MS = 30_000
RENEW_SECONDS = LEASE_MS / 1000 / 3  # three chances to renew before a lease lapses

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Claim:
    """One claim's row: its table, the conditions naming it, and what "unfinished" means
    there (no sealed response yet; no reply to the turn yet). `unstarted`, where a request
    commits part of its work before the rest (a turn: the customer's words first), says it
    has committed none yet."""

    model: type[IdempotencyRecord] | type[TurnKeyRow]
    row: tuple[ColumnElement[bool], ...]
    unfinished: ColumnElement[bool]
    unstarted: ColumnElement[bool] | None = None

    async def take_over(
        self, sessions: async_sessionmaker[AsyncSession], seen_expiry_ms: int, now_ms: int
    ) -> bool:
        """Takes over an unfinished claim whose lease, last seen as `seen_expiry_ms`, has
        lapsed. False while it has not, or if another retry took it first (or its request
        finished meanwhile): the caller answers "still running"."""
        if seen_expiry_ms > now_ms:
            return False
        return await self._extend(sessions, now_ms, self.model.lease_expires_ms == seen_expiry_ms)

    async def release(self, sessions: async_sessionmaker[AsyncSession]) -> None:
        """The request failed: the key is free for a retry, unless a request that took the
        claim over has already finished it. A request that committed part of its work
        keeps its claim, lapsed at once: the retry takes it over and finishes that work
        rather than starting it again."""
        async with sessions() as session:
            if self.unstarted is None:
                await session.execute(delete(self.model).where(*self.row, self.unfinished))
            else:
                await session.execute(
                    delete(self.model).where(*self.row, self.unfinished, self.unstarted)
                )
                await session.execute(
                    update(self.model).where(*self.row, self.unfinished).values(lease_expires_ms=0)
                )
            await session.commit()

    @contextlib.asynccontextmanager
    async def held(
        self, sessions: async_sessionmaker[AsyncSession], now_ms: Callable[[], int]
    ) -> AsyncIterator[None]:
        """Renews the claim while the block runs; releases it if the block fails."""
        renewing = asyncio.create_task(self._renew_forever(sessions, now_ms))
        try:
            yield
        except BaseException:
            await _stopped(renewing)
            await self.release(sessions)
            raise
        await _stopped(renewing)

    async def _renew_forever(
        self, sessions: async_sessionmaker[AsyncSession], now_ms: Callable[[], int]
    ) -> None:
        while True:
            await asyncio.sleep(RENEW_SECONDS)
            try:
                await self._extend(sessions, now_ms())
            except Exception:  # the next renewal may succeed; the lease has room for it
                log.warning("renewing an idempotency claim failed", exc_info=True)

    async def _extend(
        self,
        sessions: async_sessionmaker[AsyncSession],
        now_ms: int,
        *conditions: ColumnElement[bool],
    ) -> bool:
        async with sessions() as session:
            result: Any = await session.execute(
                update(self.model)
                .where(*self.row, self.unfinished, *conditions)
                .values(lease_expires_ms=lease_end(now_ms))
            )
            await session.commit()
        return int(result.rowcount or 0) == 1


def lease_end(now_ms: int) -> int:
    return now_ms + LEASE_MS


async def _stopped(task: asyncio.Task[None]) -> None:
    task.cancel()
    with contextlib.suppress(asyncio.CancelledError):
        await task
