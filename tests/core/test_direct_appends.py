"""A turn's write straight on SQLite's driver (transcripts.DirectAppends): its own
transaction, numbered after whatever else committed, and never a frozen loop while another
transaction in this process holds the write lock."""

from __future__ import annotations

import asyncio
import json
import time
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from sqlalchemy import text

from core.domain.errors import Conflict
from core.runtime import Runtime
from core.store import transcripts
from core.store.transcripts import Append, NewEvent
from tests.conftest import core_settings


@pytest.fixture
async def runtime(tmp_path: Path, master_key: str) -> AsyncIterator[Runtime]:
    url = f"sqlite+aiosqlite:///{tmp_path / 'flowyte.db'}"
    opened = await Runtime.open(core_settings(tmp_path, url, master_key), serving=True)
    async with opened.engine.connect() as conn:
        await conn.execute(text("PRAGMA foreign_keys=OFF"))  # sessions without org or agent
        for session_id in ("ses_a", "ses_b"):
            await conn.execute(
                text(
                    "INSERT INTO sessions (id, org_id, agent_id, agent_version, draft_mode,"
                    " channel, status, state, caller_number, handoff_id, last_seq, turns,"
                    " created_ms) VALUES (:id, 'org', 'agt', 1, 0, 'chat', 'active', '{}',"
                    " '', '', 0, 0, 0)"
                ),
                {"id": session_id},
            )
        await conn.commit()
        await conn.execute(text("PRAGMA foreign_keys=ON"))
    yield opened
    await opened.close()


def _turn(session_id: str, turns: int, said: str) -> Append:
    events = [NewEvent("user_utterance", {"text": said}), NewEvent("agent_message", {"text": "ok"})]
    return Append(
        session_id,
        "chat",
        "trace",
        events,
        changes={"state": {"said": said}},
        counts_turn=True,
        expect_turns=turns,
        expect_status="active",
        at_ms=1,
    )


async def _stored(runtime: Runtime, session_id: str) -> list[tuple[int, str]]:
    async with runtime.engine.connect() as conn:
        rows = await conn.execute(
            text("SELECT seq, event_type FROM audit_events WHERE session_id = :s ORDER BY seq"),
            {"s": session_id},
        )
        return [(row.seq, row.event_type) for row in rows]


async def test_a_turn_commits_its_events_and_the_sessions_new_state(runtime: Runtime) -> None:
    cache = runtime.cache
    cache.put("session", "ses_a", ("as read before the turn",), cache.generation)
    with runtime.live.watch("ses_a") as watcher:
        first = await runtime.direct_appends.write(_turn("ses_a", 0, "hi"))
        # What the session's commit hooks do elsewhere: the cached view goes, watchers wake.
        assert cache.get("session", "ses_a") is None
        assert await watcher.wait(1) and watcher.last_seq == 2
    second = await runtime.direct_appends.write(_turn("ses_a", 1, "again"))
    assert first is not None and second is not None
    assert [e.seq for e in first + second] == [1, 2, 3, 4]
    assert await _stored(runtime, "ses_a") == [
        (1, "user_utterance"),
        (2, "agent_message"),
        (3, "user_utterance"),
        (4, "agent_message"),
    ]
    async with runtime.engine.connect() as conn:
        row = (
            await conn.execute(
                text("SELECT turns, last_seq, state FROM sessions WHERE id = 'ses_a'")
            )
        ).one()
    assert (row.turns, row.last_seq, json.loads(row.state)) == (2, 4, {"said": "again"})


async def test_a_stale_turn_is_refused_and_writes_nothing(runtime: Runtime) -> None:
    await runtime.direct_appends.write(_turn("ses_a", 0, "hi"))
    with pytest.raises(Conflict):
        await runtime.direct_appends.write(_turn("ses_a", 0, "raced"))  # read before "hi"
    assert await _stored(runtime, "ses_a") == [(1, "user_utterance"), (2, "agent_message")]
    assert (await runtime.direct_appends.write(_turn("ses_a", 1, "next"))) is not None


async def test_a_turn_behind_an_open_transaction_waits_without_freezing_the_loop(
    runtime: Runtime,
) -> None:
    async with runtime.sessions() as holder:
        # Another write of this process, mid-transaction: it holds SQLite's write lock.
        appended = await transcripts.write(
            holder, Append("ses_b", "chat", "t", [NewEvent("handoff", {"reason": "x"})], at_ms=1)
        )
        waiting = asyncio.create_task(runtime.direct_appends.write(_turn("ses_a", 0, "hi")))
        ticks, deadline = 0, time.monotonic() + 0.3
        while time.monotonic() < deadline:  # the loop keeps running meanwhile
            await asyncio.sleep(0.01)
            ticks += 1
        assert ticks >= 10 and not waiting.done()
        await holder.commit()
    assert [e.seq for e in appended] == [1]
    done = await asyncio.wait_for(waiting, 5)
    assert done is not None and [e.seq for e in done] == [1, 2]
    assert await _stored(runtime, "ses_a") == [(1, "user_utterance"), (2, "agent_message")]
