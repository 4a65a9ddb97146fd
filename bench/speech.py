"""Per-engine latency of the offline speech pipeline (frontends/voice/speech), on this machine.

    .venv/bin/python bench/speech.py [--rounds 10]

Starts the three worker processes once (as the voice frontend does) and prints, each next to
its floor measured in the same run:

- TTS: time to the first audio of a sentence (Piper, 8 kHz), against a greeting prepared
  ahead (the cache a caller's greeting comes from) and the worker round trip;
- ASR: Whisper per telephone utterance, against the utterance's own length (real time);
- grammar: pocketsphinx digits per utterance, against the same;
- VAD: silero per 32 ms chunk in this process, against the chunk's 32 ms.

Every timed call is checked after its clock stops: audio came back, Whisper named the
carrier, the grammar read the digits, the VAD heard speech in speech; one that did not
ends the run with no figures (exit status 3).
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import statistics
import sys
import time

from measure import aborting, expect

from frontends.voice.speech import Expecting, SpeechEngines
from frontends.voice.speech.audio import (
    duration_seconds,
    pcm16_to_ulaw,
    to_recognition_rate,
    ulaw_to_pcm16,
)
from frontends.voice.speech.vad import CHUNK_SAMPLES, VadStream

GREETING = "Hello, you have reached the order desk. How can I help?"
SENTENCES = [
    "Your order 1234 shipped with UPS.",
    "It was delivered on Monday.",
    "Your parcel is in transit with FedEx.",
    "I can pass you to a person now.",
]


def _ms(seconds: list[float]) -> str:
    ordered = sorted(seconds)
    p95 = ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]
    return f"p50 {statistics.median(seconds) * 1000:7.1f} ms  p95 {p95 * 1000:7.1f} ms"


async def _first_audio(engines: SpeechEngines, text: str) -> tuple[float, bytes]:
    started = time.perf_counter()
    chunks = engines.synthesiser.synthesize(text, 8000)
    async with contextlib.aclosing(chunks):
        first = await anext(chunks)
        elapsed = time.perf_counter() - started
        rest = b"".join([chunk async for chunk in chunks])
    return elapsed, first + rest


async def run(rounds: int) -> None:
    started = time.perf_counter()
    engines = await SpeechEngines.start(greetings=[GREETING])
    print(f"workers started and greeting prepared in {time.perf_counter() - started:.2f} s")
    try:
        await _bench(engines, rounds)
    finally:
        await engines.close()


async def _bench(engines: SpeechEngines, rounds: int) -> None:
    _, grammar = engines.recogniser.workers
    cached, tts_first, round_trip = [], [], []
    for _ in range(rounds):
        elapsed, audio = await _first_audio(engines, GREETING)
        expect(duration_seconds(audio, 8000) > 1.0, "greeting", "its prepared audio", audio[:8])
        cached.append(elapsed)
        for text in SENTENCES:
            elapsed, audio = await _first_audio(engines, text)
            expect(duration_seconds(audio, 8000) > 0.8, f"TTS {text!r}", "audio", len(audio))
            tts_first.append(elapsed)
        started = time.perf_counter()
        answers = [r async for r in grammar.stream("decode", ("digits", []))]
        round_trip.append(time.perf_counter() - started)
        expect(answers[-1]["is_final"], "grammar round trip", "a final answer", answers)
    print(f"TTS first audio (Piper, 8 kHz)      {_ms(tts_first)}")
    print(f"  floor: prepared greeting          {_ms(cached)}")
    print(f"  floor: worker round trip          {_ms(round_trip)}")

    phone = {
        text: ulaw_to_pcm16(pcm16_to_ulaw(await engines.synthesiser.synthesize_all(text, 8000)))
        for text in [*SENTENCES, "one two three four"]
    }
    asr, asr_rtf = [], []
    for _ in range(rounds):
        audio = phone[SENTENCES[0]]
        started = time.perf_counter()
        heard = await engines.recogniser.recognise(audio, 8000, Expecting.FREE)
        elapsed = time.perf_counter() - started
        expect("UPS" in heard.text, "Whisper on the phone line", "'UPS' named", heard.text)
        asr.append(elapsed)
        asr_rtf.append(elapsed / duration_seconds(audio, 8000))
    seconds = duration_seconds(phone[SENTENCES[0]], 8000)
    print(f"ASR per utterance (Whisper, {seconds:.1f} s) {_ms(asr)}")
    print(f"  against real time                 RTF p50 {statistics.median(asr_rtf):.3f}")

    digits, digits_rtf = [], []
    for _ in range(rounds):
        audio = phone["one two three four"]
        started = time.perf_counter()
        heard = await engines.recogniser.recognise(audio, 8000, Expecting.DIGITS)
        elapsed = time.perf_counter() - started
        expect(heard.text.isdigit(), "digit grammar", "digits", heard.text)
        digits.append(elapsed)
        digits_rtf.append(elapsed / duration_seconds(audio, 8000))
    print(f"grammar per utterance (digits)      {_ms(digits)}")
    print(f"  against real time                 RTF p50 {statistics.median(digits_rtf):.3f}")

    samples = to_recognition_rate(phone[SENTENCES[0]], 8000)
    vad = VadStream()
    chunks = [samples[i : i + CHUNK_SAMPLES] for i in range(0, samples.size, CHUNK_SAMPLES)]
    chunks = [chunk for chunk in chunks if chunk.size == CHUNK_SAMPLES] * rounds
    started = time.perf_counter()
    probabilities = [p for chunk in chunks for p in vad.feed(chunk)]
    per_chunk = (time.perf_counter() - started) / len(chunks)
    expect(max(probabilities) > 0.5, "VAD on speech", "speech heard", max(probabilities))
    print(f"VAD per 32 ms chunk (silero, 1 thread) {per_chunk * 1e6:7.1f} µs")
    print(f"  against the chunk's own 32 ms     {per_chunk / 0.032 * 100:.2f} % of real time")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rounds", type=int, default=10)
    arguments = parser.parse_args()
    asyncio.run(run(arguments.rounds))
    return 0


if __name__ == "__main__":
    sys.exit(aborting(main))
