"""Bad input at the widget's public surface: each refused with a clear HTTP status or
websocket close code and reason, and the frontend still serves everyone else after."""

from __future__ import annotations

import gzip
import json
from typing import Any

import aiohttp

from frontends.widget.app import STATIC
from tests.widget.conftest import Demo

ASK = "Where is order #2002? My zip is 98121"


def origin(demo: Demo) -> dict[str, str]:
    return {"Origin": demo.storefront.rstrip("/")}


async def new_session(http: aiohttp.ClientSession, demo: Demo) -> dict[str, Any]:
    got = await http.post(
        f"{demo.widget}/chat/widget/sessions?key={demo.key}", json={}, headers=origin(demo)
    )
    assert got.status == 200, await got.text()
    return dict((await got.json())["data"])


async def socket(
    http: aiohttp.ClientSession, demo: Demo, token: str | None, **headers: str
) -> aiohttp.ClientWebSocketResponse:
    ws = await http.ws_connect(
        f"{demo.widget}/widget/ws?key={demo.key}", headers={**origin(demo), **headers}
    )
    if token is not None:
        await ws.send_json({"type": "hello", "token": token, "afterSeq": 0})
    return ws


async def closed_with(ws: aiohttp.ClientWebSocketResponse) -> tuple[int | None, str]:
    while True:
        msg = await ws.receive(timeout=10)
        if msg.type in (aiohttp.WSMsgType.CLOSE, aiohttp.WSMsgType.CLOSED):
            return ws.close_code, str(msg.extra or "")


async def still_serves(http: aiohttp.ClientSession, demo: Demo) -> None:
    got = await http.get(f"{demo.widget}/widget/bootstrap?key={demo.key}", headers=origin(demo))
    assert got.status == 200


async def test_wrong_missing_keys_and_foreign_origins_are_refused(demo: Demo) -> None:
    async with aiohttp.ClientSession() as http:
        base = f"{demo.widget}/widget/bootstrap"
        for url, headers, status in [
            (f"{base}?key=flowyte_pk_live_nope", origin(demo), 401),
            (base, origin(demo), 401),
            (f"{base}?key={demo.key}", {"Origin": "https://evil.example"}, 403),
            (f"{base}?key={demo.key}", {}, 403),
        ]:
            got = await http.get(url, headers=headers)
            assert got.status == status, (url, headers, await got.text())
            assert got.headers["Content-Type"].startswith("application/problem+json")
        ws = await socket(http, demo, "flowyte_vt_whatever", Origin="https://evil.example")
        assert await closed_with(ws) == (4403, "this origin may not use this key")
        await still_serves(http, demo)


async def test_a_visitor_token_names_its_own_session_and_nothing_else(demo: Demo) -> None:
    async with aiohttp.ClientSession() as http:
        ws = await socket(http, demo, "flowyte_vt_made_up_for_someone_else")
        code, reason = await closed_with(ws)
        assert code == 4404, reason
        await still_serves(http, demo)


async def test_malformed_oversized_and_flooding_sockets_are_closed_with_a_reason(
    demo: Demo,
) -> None:
    async with aiohttp.ClientSession() as http:
        token = (await new_session(http, demo))["visitorToken"]
        ws = await socket(http, demo, None)
        await ws.send_str("{not json")
        assert await closed_with(ws) == (4400, "frames must be JSON")

        ws = await socket(http, demo, token)
        await ws.send_json({"type": "message", "id": "x", "content": ""})
        assert (await closed_with(ws))[0] == 4400

        ws = await socket(http, demo, token)
        await ws.send_str(json.dumps({"type": "message", "content": "a" * 20_000}))
        assert (await closed_with(ws))[0] == 1009  # too big

        ws = await socket(http, demo, token)
        for n in range(60):
            await ws.send_json({"type": "ping", "id": n})
        assert (await closed_with(ws)) == (4429, "too many messages: slow down")
        await still_serves(http, demo)


async def test_a_message_streams_its_reply_and_heartbeats_keep_idle_sockets(demo: Demo) -> None:
    async with aiohttp.ClientSession() as http:
        token = (await new_session(http, demo))["visitorToken"]
        idle = [await socket(http, demo, token) for _ in range(20)]
        ws = await socket(http, demo, token)
        await ws.send_json({"type": "message", "id": "m1", "content": ASK})
        frames: list[dict[str, Any]] = []
        while not frames or frames[-1]["type"] != "turnEnd":
            frames.append(json.loads((await ws.receive(timeout=15)).data))
        deltas = "".join(f["text"] for f in frames if f["type"] == "delta")
        assert "out for delivery" in deltas
        seqs = [f["seq"] for f in frames if f["type"] == "event"]
        assert seqs == list(range(1, len(seqs) + 1))  # each once, in order, no gap
        # Another socket of the session (a second tab) sees the same events through its
        # watch, and no deltas: those belong to the socket that asked.
        seen: list[dict[str, Any]] = []
        while not seen or seen[-1].get("kind") != "agent_message":
            seen.append(json.loads((await idle[0].receive(timeout=5)).data))
        assert [f["seq"] for f in seen if f["type"] == "event"] == seqs
        assert not [f for f in seen if f["type"] == "delta"]
        for other in idle:
            await other.close()
        await ws.close()


async def test_two_people_cannot_claim_the_same_handoff(demo: Demo) -> None:
    async with aiohttp.ClientSession() as http:
        token = (await new_session(http, demo))["visitorToken"]
        ws = await socket(http, demo, token)
        await ws.send_json({"type": "message", "id": "d1", "content": ASK + ", it came damaged"})
        handoff = ""
        while not handoff:
            frame = json.loads((await ws.receive(timeout=15)).data)
            handoff = (
                frame.get("payload", {}).get("handoffId", "")
                if frame.get("kind") == "handoff"
                else ""
            )
        inbox = f"{demo.widget.replace('http', 'ws', 1)}/inbox/ws"
        answers = []
        for who in ("Ana", "Bo"):
            person = await http.ws_connect(inbox)
            await person.send_json({"type": "auth", "key": demo.api_key, "name": who})
            await person.send_json({"op": "claim", "ref": who, "handoffId": handoff})
            while True:
                frame = json.loads((await person.receive(timeout=10)).data)
                if frame["type"] == "result":
                    answers.append(frame)
                    break
            await person.close()
        assert answers[0]["ok"] and answers[0]["handoff"]["claimedBy"] == "Ana"
        assert not answers[1]["ok"] and answers[1]["status"] == 409
        assert answers[1]["message"] == "Ana has claimed this handoff"
        await ws.close()

        # A wrong secret key is told so and closed: the inbox shows nothing.
        person = await http.ws_connect(inbox)
        await person.send_json({"type": "auth", "key": "flowyte_sk_live_nope"})
        assert (await closed_with(person))[0] == 4401


def test_the_loader_and_widget_weigh_at_most_30_kb_gzipped() -> None:
    size = sum(
        len(gzip.compress((STATIC / name).read_bytes(), 9)) for name in ("loader.js", "widget.css")
    )
    assert size <= 30 * 1024, size
