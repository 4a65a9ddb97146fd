"""Latency of a call through the voice frontend's per-call pipeline, from the caller's side.

    .venv/bin/python bench/call_latency.py [--calls 20]

`flowyte serve --demo` (core, SQLite in a temporary folder, the demo store) in its own
processes; this process runs the speech workers and, per call, a `Call` over the in-process
`LoopbackLeg` (frontends/voice/loopback.py) at real time: 20 ms frames both ways, the
caller's audio made by the TTS and sent over a μ-law line. Each call is one round of:

- answer → the first greeting audio (the greeting's sentences are cached after call one);
- end of the caller's speech ("Where is my order?") → the first reply audio: includes the
  endpointer's 600 ms of trailing silence that decides the turn is over, Whisper, the core's
  turn and the first sentence's synthesis;
- start of caller speech over that (interruptible) reply → playback stopped (barge-in);
- the final key of an entry ("2001#") → the first reply audio.

Floors, measured in the same run on the same workers: the first audio of a sentence from
the TTS worker (the least any reply can take), and for speech that plus Whisper on the same
utterance plus the endpointer's trailing silence. No SIP/RTP: the SIP endpoint's own cost
comes on top (bench/voice_latency.py, with it).

Checked after the clock stops, on every call: the greeting, the reply to speech and the
reply to the keys each played audio; barge-in stopped a playback; and the last reply,
transcribed by the project's recogniser, asks for what verifies order 2001. A benchmark,
not a test: it exits 0 whatever it measures (3 when the work was not done).
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import statistics
import sys
import tempfile
import time
from pathlib import Path

import grpc.aio
from chat_turns import flowyte_serve
from measure import aborting, expect

from flowyte.v1 import conversation_service_pb2_grpc as pb_grpc
from frontends.voice.call import Call
from frontends.voice.loopback import LoopbackLeg
from frontends.voice.speech import Expecting, SpeechEngines, pcm16_to_ulaw, ulaw_to_pcm16

TARGETS_MS = {"speech": 500, "digit": 250, "barge-in": 150, "greeting": 300}
TRAILING_SILENCE_S = 0.6  # the endpointer's default


async def _until_heard_beyond(leg: LoopbackLeg, size: int, limit: float = 30) -> float:
    loop = asyncio.get_running_loop()
    deadline = loop.time() + limit
    while len(leg.heard) <= size:
        expect(loop.time() < deadline, "a call", "audio played back", f"{size} bytes, no more")
        await asyncio.sleep(0.002)
    return loop.time()


async def _quiet(leg: LoopbackLeg, quiet: float = 0.8) -> int:
    last, still = len(leg.heard), time.monotonic()
    while time.monotonic() - still < quiet:
        await asyncio.sleep(0.02)
        if len(leg.heard) != last:
            last, still = len(leg.heard), time.monotonic()
    return last


async def _one_call(
    engines: SpeechEngines, target: str, key: str, agent_id: str, said: bytes
) -> dict[str, float]:
    loop = asyncio.get_running_loop()
    leg = LoopbackLeg()
    async with grpc.aio.insecure_channel(target) as channel:
        call = Call(
            leg,
            engines,
            pb_grpc.ConversationServiceStub(channel),
            (("authorization", f"Bearer {key}"),),
            agent_id=agent_id,
        )
        answered = loop.time()
        running = asyncio.create_task(call.run())
        figures = {"greeting": await _until_heard_beyond(leg, 0) - answered}
        size = await _quiet(leg)

        leg.say(said)
        while len(leg.spoke_times) < 1 or leg.speaking:  # until its last frame is sent
            expect(not leg.hung_up.is_set(), "a call", "still on", "hung up")
            await asyncio.sleep(0.002)
        spoken_until = leg.spoken_until
        figures["speech"] = await _until_heard_beyond(leg, size) - spoken_until
        await asyncio.sleep(0.6)  # into the reply, then the caller speaks over it
        leg.say(said)
        deadline = loop.time() + 10
        while not leg.stop_times:
            expect(loop.time() < deadline, "barge-in", "playback stopped", "it played on")
            await asyncio.sleep(0.002)
        figures["barge-in"] = leg.stop_times[0] - leg.spoke_times[1]
        size = await _quiet(leg, 1.5)

        leg.key("2001")
        await asyncio.sleep(0.2)
        leg.key("#")
        keyed = loop.time()
        figures["digit"] = await _until_heard_beyond(leg, size) - keyed
        await _quiet(leg)
        last = bytes(leg.heard[size:])
        leg.drop()
        await asyncio.wait_for(running, 30)
        shown = {name: round(seconds * 1000) for name, seconds in figures.items()}
        print(f"call: {shown} ms", file=sys.stderr, flush=True)
    heard = await engines.recogniser.recognise(last, 8000, Expecting.FREE)
    expect(
        "2001" in heard.text and any(w in heard.text.lower() for w in ("email", "phone", "zip")),
        "the reply to '2001#'",
        "a request for what verifies order #2001",
        heard.text,
    )
    return figures


async def _floors(engines: SpeechEngines, said: bytes) -> dict[str, float]:
    tts: list[float] = []
    asr: list[float] = []
    for _ in range(5):
        started = time.perf_counter()
        chunks = engines.synthesiser.synthesize("What's your order number?", 8000)
        async with contextlib.aclosing(chunks):
            expect(bool(await anext(chunks)), "TTS floor", "audio", b"")
        tts.append(time.perf_counter() - started)
        started = time.perf_counter()
        heard = await engines.recogniser.recognise(said, 8000, Expecting.FREE)
        asr.append(time.perf_counter() - started)
        expect("order" in heard.text.lower(), "ASR floor", "'where is my order'", heard.text)
    first_audio = statistics.median(tts)
    return {
        "digit": first_audio,
        "speech": TRAILING_SILENCE_S + statistics.median(asr) + first_audio,
    }


def _line(name: str, values: list[float], floor: float | None) -> str:
    ordered = sorted(values)
    p50 = statistics.median(ordered) * 1000
    p95 = ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))] * 1000
    floor_text = f"floor {floor * 1000:6.0f} ms" if floor is not None else "floor      -   "
    return (
        f"{name:9s} p50 {p50:6.0f} ms  p95 {p95:6.0f} ms  {floor_text}  "
        f"target p50 ≤ {TARGETS_MS[name]} ms  (n={len(values)})"
    )


async def _run(calls: int) -> int:
    engines = await SpeechEngines.start()
    try:
        said = ulaw_to_pcm16(
            pcm16_to_ulaw(await engines.synthesiser.synthesize_all("Where is my order?", 8000))
        )
        with tempfile.TemporaryDirectory() as folder, flowyte_serve(Path(folder)) as (demo, _):
            floors = await _floors(engines, said)
            rounds = [
                await _one_call(
                    engines, demo["urls"]["grpc"], demo["apiKey"], demo["agentId"], said
                )
                for _ in range(calls)
            ]
    finally:
        await engines.close()
    print(f"call pipeline over a loopback leg, {calls} calls (one turn of each kind per call)")
    for name in TARGETS_MS:
        print(_line(name, [r[name] for r in rounds], floors.get(name)))
    return 0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--calls", type=int, default=20)
    args = parser.parse_args()
    return asyncio.run(_run(args.calls))


if __name__ == "__main__":
    sys.exit(aborting(main))
