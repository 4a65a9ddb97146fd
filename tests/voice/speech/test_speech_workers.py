"""The worker processes: a dead one is replaced, a bad request leaves it working, and the
event loop keeps its pace while they work."""

from __future__ import annotations

import asyncio
import os
import signal

import pytest

from frontends.voice.speech import (
    EngineWorker,
    Expecting,
    SpeechEngines,
    WorkerCrashed,
    WorkerError,
    WorkerUnavailable,
)
from frontends.voice.speech.audio import to_recognition_rate
from frontends.voice.speech.recognition import GRAMMAR_ENGINE
from tests.voice.speech.conftest import over_a_phone_line

pytestmark = pytest.mark.asyncio(loop_scope="session")

_LONG_TURN = (
    "Hello. I ordered a blue jacket two weeks ago and it still has not arrived. "
    "The order number is 1234 and my email is on the account. Can you tell me where it is?"
)


async def test_a_killed_worker_fails_its_request_and_the_next_one_works(
    engines: SpeechEngines,
) -> None:
    general, _ = engines.recogniser.workers
    audio = over_a_phone_line(await engines.synthesiser.synthesize_all(_LONG_TURN, 8000))
    dead_pid, restarts = general.pid, general.restarts
    assert dead_pid is not None

    in_flight = asyncio.create_task(engines.recogniser.recognise(audio, 8000, Expecting.FREE))
    await asyncio.sleep(0.1)  # the request is with the worker, decoding seconds of speech
    os.kill(dead_pid, signal.SIGKILL)

    with pytest.raises(WorkerCrashed, match="asr worker died"):
        await in_flight
    short = over_a_phone_line(await engines.synthesiser.synthesize_all("Where is my order?", 8000))
    heard = await engines.recogniser.recognise(short, 8000, Expecting.FREE)

    assert "order" in heard.text.lower()
    assert general.pid != dead_pid and general.restarts == restarts + 1


async def test_the_event_loop_keeps_ticking_while_a_transcription_runs(
    engines: SpeechEngines,
) -> None:
    audio = over_a_phone_line(await engines.synthesiser.synthesize_all(_LONG_TURN, 8000))
    ticks_during: list[int] = []
    ticks = 0
    stop = asyncio.Event()

    async def every_20_ms() -> None:
        nonlocal ticks
        while not stop.is_set():
            await asyncio.sleep(0.02)
            ticks += 1

    ticker = asyncio.create_task(every_20_ms())
    await asyncio.sleep(0.05)
    before = ticks
    heard = await engines.recogniser.recognise(audio, 8000, Expecting.FREE)
    ticks_during.append(ticks - before)
    stop.set()
    await ticker

    assert "order" in heard.text.lower()  # the work was really done
    # Whisper took hundreds of milliseconds in its own process; the 20 ms ticker went on.
    # Had the decoding run on this loop, the ticker could not have run until it finished.
    assert ticks_during[0] >= 3


async def test_a_bad_request_fails_alone_and_the_worker_keeps_serving(
    engines: SpeechEngines,
) -> None:
    _, grammar = engines.recogniser.workers
    pid = grammar.pid

    with pytest.raises(WorkerError, match="unknown grammar 'email'"):
        await grammar.call("decode", ("email", [0.0] * 1600))

    audio = over_a_phone_line(await engines.synthesiser.synthesize_all("one two three four", 8000))
    heard = await engines.recogniser.recognise(audio, 8000, Expecting.DIGITS)
    assert heard.text == "1234"
    assert grammar.pid == pid


async def test_an_engine_that_cannot_load_makes_its_worker_unavailable_not_a_crash_loop() -> None:
    worker = EngineWorker("broken", "frontends.voice.speech.whisper_engine:NoSuchEngine")
    try:
        with pytest.raises(WorkerUnavailable, match="NoSuchEngine"):
            await worker.start()
        with pytest.raises(WorkerUnavailable):
            await worker.call("transcribe", [])
        assert worker.restarts == 0
    finally:
        await worker.close()


async def test_a_stuck_worker_is_replaced_and_closing_fails_what_is_in_flight(
    engines: SpeechEngines,
) -> None:
    audio = over_a_phone_line(await engines.synthesiser.synthesize_all(_LONG_TURN, 8000))
    samples = to_recognition_rate(audio, 8000)
    worker = EngineWorker("grammar", GRAMMAR_ENGINE, timeout_seconds=0.01)
    try:
        await worker.start()
        stuck_pid = worker.pid

        # Ten seconds of speech through a grammar cannot answer within 10 ms.
        with pytest.raises(WorkerCrashed):
            await worker.call("decode", ("digits", samples))
        assert worker.pid != stuck_pid and worker.restarts == 1

        worker.timeout_seconds = 60.0
        answers = [a async for a in worker.stream("decode", ("digits", samples[:16000]))]
        assert answers[-1]["is_final"]

        in_flight = asyncio.create_task(worker.call("decode", ("digits", samples)))
        await asyncio.sleep(0.01)
        await worker.close()
        with pytest.raises(WorkerUnavailable, match="closed"):
            await in_flight
    finally:
        await worker.close()
