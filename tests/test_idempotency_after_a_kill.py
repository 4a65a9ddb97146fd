"""`flowyte serve` killed in the middle of turns sent with an Idempotency-Key, and started
again: each retry runs its turn once, seconds later, not a day later, on the customer's
words the killed turn had already stored (they are in the transcript once).

The turns are held mid-lookup by a slow demo store when the process gets SIGKILL, so it
leaves their idempotency claims behind unfinished. The second start runs with its clock
moved past the claims' lease, as if the retry came that much later.
"""

from __future__ import annotations

import asyncio
import json
import os
import signal
import sqlite3
import time
from datetime import timedelta
from pathlib import Path
from typing import Any

import aiohttp

from core.store.claims import LEASE_MS
from flowyte.clock import OFFSET_VARIABLE, parse_offset
from tests.serving import STOP_TIMEOUT, clean_env, roles_of, serve

QUESTION = "Where is order #2001? My email is maya.patel@example.com"


def _offset_past_the_lease() -> str:
    """This run's clock offset (CI runs a year ahead), plus two leases."""
    current = os.environ.get(OFFSET_VARIABLE, "").strip()
    moved = (parse_offset(current) if current else timedelta(0)) + timedelta(
        milliseconds=2 * LEASE_MS
    )
    seconds = int(moved.total_seconds())
    return f"-{-seconds}s" if seconds < 0 else f"{seconds}s"


def _unfinished_claims(database: Path) -> set[str]:
    """The idempotency keys claimed and not yet answered, read beside the running server."""
    with sqlite3.connect(f"file:{database}?mode=ro", uri=True) as db:
        records = db.execute(
            "SELECT key FROM idempotency_records WHERE sealed_response IS NULL"
        ).fetchall()
        turns = db.execute("SELECT key FROM turn_keys WHERE last_seq IS NULL").fetchall()
    return {key for (key,) in records + turns}


def _stored_kinds(database: Path, session_id: str) -> list[str]:
    """The session's audit events by type, read beside the running server."""
    with sqlite3.connect(f"file:{database}?mode=ro", uri=True) as db:
        rows = db.execute(
            "SELECT event_type FROM audit_events WHERE session_id = ? ORDER BY seq", (session_id,)
        ).fetchall()
    return [kind for (kind,) in rows]


def _frames(sse: str) -> list[Any]:
    return [
        json.loads(line.removeprefix("data: "))
        for line in sse.splitlines()
        if line.startswith("data: ")
    ]


async def _post(
    http: aiohttp.ClientSession, url: str, key: str, body: Any, idempotency: str = ""
) -> tuple[int, str]:
    headers = {"Authorization": f"Bearer {key}"}
    if idempotency:
        headers["Idempotency-Key"] = idempotency
    async with http.post(url, json=body, headers=headers) as response:
        return response.status, await response.text()


async def test_turns_cut_short_by_a_kill_run_once_when_retried_after_the_restart(
    tmp_path: Path,
) -> None:
    data_dir = tmp_path / "data"
    with serve(data_dir, clean_env(), demo=True) as served:
        demo = json.loads((data_dir / "demo.json").read_text())
        api = demo["urls"]["api"]
        async with aiohttp.ClientSession() as http:
            # A key that outlives the restart (the demo key is minted afresh at each start).
            status, text = await _post(
                http,
                f"{api}/api-keys",
                demo["apiKey"],
                {"name": "client", "scopes": ["chat:read", "chat:write"]},
            )
            assert status == 201, text
            key = json.loads(text)["data"]["secret"]
            sessions = []
            for _ in range(2):
                status, text = await _post(
                    http, f"{api}/chat/sessions", key, {"agentId": demo["agentId"]}
                )
                assert status == 201, text
                sessions.append(json.loads(text)["data"]["id"])
            unary, streamed = (f"{api}/chat/sessions/{s}/messages" for s in sessions)

            async with http.patch(
                f"{demo['urls']['demoStore']}/_demo/faults", json={"latencyMs": 60_000}
            ) as response:
                assert response.status == 200
            cut_short = [
                asyncio.create_task(_post(http, unary, key, {"content": QUESTION}, "turn-1")),
                asyncio.create_task(
                    _post(http, streamed, key, {"content": QUESTION, "stream": True}, "turn-2")
                ),
            ]
            deadline = time.monotonic() + 20
            database = data_dir / "flowyte.db"
            while _unfinished_claims(database) < {"turn-1", "turn-2"} or any(
                _stored_kinds(database, s) != ["user_utterance"] for s in sessions
            ):
                # The customer's words are stored as soon as the turn starts, before its
                # lookup (held by the slow store) and its reply.
                assert time.monotonic() < deadline, "the turns never started"
                await asyncio.sleep(0.05)
            # The core itself dies outright (its supervisor then stops the rest).
            os.kill(roles_of(served.process.pid)["core"], signal.SIGKILL)
            served.process.wait(timeout=STOP_TIMEOUT)
            for task in cut_short:
                task.cancel()
            await asyncio.gather(*cut_short, return_exceptions=True)
    assert _unfinished_claims(data_dir / "flowyte.db") >= {"turn-1", "turn-2"}
    for session in sessions:  # the words outlived the core that died mid-reply
        assert _stored_kinds(data_dir / "flowyte.db", session) == ["user_utterance"]

    (data_dir / "demo.json").unlink()  # the killed run's: wait for the new one
    later = clean_env(**{OFFSET_VARIABLE: _offset_past_the_lease()})
    with serve(data_dir, later, demo=True) as restarted:
        api = json.loads((data_dir / "demo.json").read_text())["urls"]["api"]
        unary, streamed = (f"{api}/chat/sessions/{s}/messages" for s in sessions)
        async with aiohttp.ClientSession() as http:
            status, first = await _post(http, unary, key, {"content": QUESTION}, "turn-1")
            assert status == 200, first
            assert "on its way" in json.loads(first)["data"]["reply"]["content"]
            status, again = await _post(http, unary, key, {"content": QUESTION}, "turn-1")
            assert status == 200 and json.loads(again) == json.loads(first)

            body = {"content": QUESTION, "stream": True}
            status, first = await _post(http, streamed, key, body, "turn-2")
            assert status == 200 and "event: done" in first and "on its way" in first, first
            status, again = await _post(http, streamed, key, body, "turn-2")
            assert status == 200 and _frames(again) == _frames(first)

            for session in sessions:
                async with http.get(
                    f"{api}/chat/sessions/{session}/messages",
                    headers={"Authorization": f"Bearer {key}"},
                ) as response:
                    events = (await response.json())["data"]
                said = [e["eventType"] for e in events if e["eventType"].endswith("message")]
                heard = [e for e in events if e["eventType"] == "user_utterance"]
                assert said == ["agent_message"] and len(heard) == 1, events
        assert restarted.stop() == 0, restarted.output()
