"""The attempts ledger: the distinct wrong details checked per (organization, store, order),
the count that locks an order.

Each wrong detail is kept once, as its keyed hash (domain/verification_factors.fingerprint)
with the time it was first counted, so:
- the count is the number of distinct wrong details within LOCK_WINDOW_MS, whichever agent,
  session, channel or request they came from; the same wrong detail sent again (a customer's
  own history, resent with every completion) is not counted again;
- a detail is claimed, and counted as wrong, BEFORE it is compared with the order, inside a
  transaction that first writes the order's row: concurrent checks of one order queue on that
  row (PostgreSQL's row lock; SQLite's one writer), so a burst of requests cannot compare
  more details than the limit allows. A detail that turns out right is released;
- once the count reaches the limit, no detail is claimed at all until the oldest counted one
  leaves the window: at most `limit` wrong details are checked per order in any window.

The window bounds how long a stranger's guesses lock an order for its owner (who is offered
a person meanwhile). Rows older than the window are removed by the next check of the order
and by the periodic sweep (store/expiry.py).
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import delete, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncSession

from core.domain.verification_factors import FactorClaim

from .tables import VerificationFailureRow, VerificationOrderRow

LOCK_WINDOW_MS = 15 * 60 * 1000

# When each distinct wrong detail of an order was counted (epoch ms), oldest first.
Failures = tuple[int, ...]


def live_count(failures: Failures, now_ms: int) -> int:
    """The wrong details that still count at `now_ms` (the runtime's clock)."""
    return sum(1 for at in failures if now_ms - at < LOCK_WINDOW_MS)


def cache_key(org_id: str, store_key: str, order_key: str) -> tuple[str, str, str]:
    """The read cache's key for one order's failures (change_tracking.py)."""
    return (org_id, store_key, order_key)


def _of_order(org_id: str, store_key: str, order_key: str) -> list[Any]:
    return [
        VerificationFailureRow.org_id == org_id,
        VerificationFailureRow.store_key == store_key,
        VerificationFailureRow.order_key == order_key,
    ]


async def read(session: AsyncSession, org_id: str, store_key: str, order_key: str) -> Failures:
    times = await session.scalars(
        select(VerificationFailureRow.failed_ms)
        .where(*_of_order(org_id, store_key, order_key))
        .order_by(VerificationFailureRow.failed_ms)
    )
    return tuple(int(at) for at in times)


async def claim(
    session: AsyncSession,
    org_id: str,
    store_key: str,
    order_key: str,
    digest: str,
    limit: int,
    now_ms: int,
) -> FactorClaim:
    """Claims the detail `digest` for a check at `now_ms`, in the caller's transaction (the
    caller commits it before comparing anything). See the module's docstring."""
    await _hold_order(session, org_id, store_key, order_key, now_ms)
    rows = (
        await session.execute(
            select(VerificationFailureRow.factor_digest, VerificationFailureRow.failed_ms).where(
                *_of_order(org_id, store_key, order_key)
            )
        )
    ).all()
    live = {row.factor_digest for row in rows if now_ms - row.failed_ms < LOCK_WINDOW_MS}
    if len(live) >= limit:
        return FactorClaim(allowed=False, failures=len(live))
    if digest in live:
        return FactorClaim(allowed=True, failures=len(live))
    keys = [cache_key(org_id, store_key, order_key)]
    expired = [row.factor_digest for row in rows if row.factor_digest not in live]
    if expired:
        await session.execute(
            delete(VerificationFailureRow)
            .where(
                *_of_order(org_id, store_key, order_key),
                VerificationFailureRow.factor_digest.in_(expired),
            )
            .execution_options(cache_keys=keys)
        )
    session.add(
        VerificationFailureRow(
            org_id=org_id,
            store_key=store_key,
            order_key=order_key,
            factor_digest=digest,
            failed_ms=now_ms,
        )
    )
    await session.flush()
    return FactorClaim(allowed=True, failures=len(live) + 1, fresh=True)


async def release(
    session: AsyncSession, org_id: str, store_key: str, order_key: str, digest: str
) -> None:
    """The detail `digest` is not a wrong one (it matched, or was never compared)."""
    await session.execute(
        delete(VerificationFailureRow)
        .where(
            *_of_order(org_id, store_key, order_key),
            VerificationFailureRow.factor_digest == digest,
        )
        .execution_options(cache_keys=[cache_key(org_id, store_key, order_key)])
    )


async def sweep(session: AsyncSession, now_ms: int) -> int:
    """Removes what no longer counts anywhere (older than the window); returns how many."""
    cutoff = now_ms - LOCK_WINDOW_MS
    removed = 0
    for statement in (
        delete(VerificationFailureRow).where(VerificationFailureRow.failed_ms <= cutoff),
        delete(VerificationOrderRow).where(VerificationOrderRow.checked_ms <= cutoff),
    ):
        result: Any = await session.execute(statement)
        removed += int(result.rowcount or 0)
    return removed


async def _hold_order(
    session: AsyncSession, org_id: str, store_key: str, order_key: str, now_ms: int
) -> None:
    """Writes the order's row (INSERT … ON CONFLICT DO UPDATE on both databases): on
    PostgreSQL that locks it until the transaction ends, and on SQLite, as the
    transaction's first statement, it takes the database's write lock before anything is
    read. Either way, every other check of this order waits for this one to commit."""
    dialect = session.get_bind().dialect.name
    insert: Any = postgresql.insert if dialect == "postgresql" else sqlite.insert
    table: Any = VerificationOrderRow.__table__
    statement = insert(table).values(
        org_id=org_id, store_key=store_key, order_key=order_key, checked_ms=now_ms
    )
    await session.execute(
        statement.on_conflict_do_update(
            index_elements=[table.c.org_id, table.c.store_key, table.c.order_key],
            set_={"checked_ms": statement.excluded.checked_ms},
        )
    )
