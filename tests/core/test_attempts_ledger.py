"""The attempts ledger (core/store/attempts.py) through its port, on SQLite and PostgreSQL:
claims are atomic, distinct details count once, the window frees an order, the read cache
follows every write, and only keyed hashes are stored (the migration that brought it is in
test_migrations.py)."""

from __future__ import annotations

import asyncio

from sqlalchemy import select, update

from core.conversations.ports import RecordedAttempts
from core.domain.verification_factors import Factor
from core.store import attempts
from core.store.tables import VerificationFailureRow
from tests.conftest import CoreFixture


async def test_concurrent_claims_never_pass_the_limit(core: CoreFixture) -> None:
    runtime = core.handle.runtime
    org, other = await core.new_org(), await core.new_org()
    port = RecordedAttempts(runtime, org)
    claims = await asyncio.gather(
        *(port.claim("1001", Factor.EMAIL, f"guess{n}@example.com", 3) for n in range(12))
    )
    assert sum(c.allowed for c in claims) == 3
    assert sorted(c.failures for c in claims if c.allowed) == [1, 2, 3]
    assert all(c.failures == 3 for c in claims if not c.allowed)
    assert await port.failures("1001") == 3
    assert await port.failures("1002") == 0
    assert await RecordedAttempts(runtime, other).failures("1001") == 0


async def test_the_same_detail_counts_once_and_a_right_one_is_released(core: CoreFixture) -> None:
    port = RecordedAttempts(core.handle.runtime, await core.new_org())
    first = await port.claim("1001", Factor.PHONE, "(503) 555-0101", 3)
    again = await port.claim("1001", Factor.PHONE, "+1 503 555 0101", 3)  # the same number
    assert (first.fresh, first.failures) == (True, 1)
    assert (again.allowed, again.fresh, again.failures) == (True, False, 1)
    assert await port.failures("1001") == 1
    await port.release("1001", Factor.PHONE, "5035550101")
    assert await port.failures("1001") == 0


async def test_failures_count_within_the_lock_window_only(core: CoreFixture) -> None:
    runtime = core.handle.runtime
    port = RecordedAttempts(runtime, await core.new_org())
    assert await port.failures("1001") == 0  # now cached where the read cache is on
    for n in (1, 2, 3):
        await port.claim("1001", Factor.POSTCODE, f"1000{n}", 3)
        assert await port.failures("1001") == n  # each claim drops the cached count
    assert not (await port.claim("1001", Factor.POSTCODE, "97209", 3)).allowed
    async with runtime.sessions() as session:  # the window passes
        await session.execute(
            update(VerificationFailureRow).values(
                failed_ms=VerificationFailureRow.failed_ms - attempts.LOCK_WINDOW_MS
            )
        )
        await session.commit()
    assert await port.failures("1001") == 0  # a stranger's guesses no longer lock it
    claim = await port.claim("1001", Factor.POSTCODE, "10001", 3)
    assert (claim.allowed, claim.fresh, claim.failures) == (True, True, 1)  # counted anew
    async with runtime.sessions() as session:
        assert await attempts.sweep(session, runtime.now_ms() + attempts.LOCK_WINDOW_MS) == 2
        await session.commit()
    assert await port.failures("1001") == 0


async def test_only_keyed_hashes_are_stored(core: CoreFixture) -> None:
    runtime = core.handle.runtime
    org = await core.new_org()
    await RecordedAttempts(runtime, org).claim("1001", Factor.EMAIL, "Secret.Person@example.com", 3)
    async with runtime.sessions() as session:
        rows = (await session.execute(select(VerificationFailureRow))).scalars().all()
        dump = repr([vars(row) for row in rows])
    assert len(rows) == 1 and len(rows[0].factor_digest) == 64
    assert "secret" not in dump.lower() and "example.com" not in dump
