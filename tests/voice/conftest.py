"""Voice tests' shared parts: a real SIP server on 127.0.0.1 (UDP and TCP on one port) with an
echo application, and sipp (Debian sip-tester) as the caller, run as a subprocess beside the
server's loop; and one set of speech workers for every voice test (loading the models takes
seconds, and the workers are built to be shared: the voice frontend shares them across calls)."""

from __future__ import annotations

import asyncio
import contextlib
import shutil
import socket
from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass, field
from pathlib import Path

import pytest
import pytest_asyncio

from frontends.voice.sip import AudioFrame, Call, Digit, SipServer, Timers, TrunkAdmission
from frontends.voice.speech import SpeechEngines, pcm16_to_ulaw, ulaw_to_pcm16

SCENARIOS = Path(__file__).parent / "scenarios"
ANSWERED = {"1000"}  # numbers the echo application answers at once
SLOW = {"2000"}  # numbers it lets ring (for CANCEL)
TRANSFER_TARGET = "sip:agent@127.0.0.1"


@dataclass
class CallRecord:
    call: Call
    digits: list[str] = field(default_factory=list)
    frames: int = 0
    played_ms: int = 0
    transferred: bool | None = None


class EchoApp:
    """The call's application in these tests: answers, records digits, plays the caller's
    audio back to them (a real use of call.play), hangs up on '*' and transfers on '0'."""

    def __init__(self) -> None:
        self.records: list[CallRecord] = []
        self.finished = asyncio.Event()

    async def __call__(self, call: Call) -> None:
        record = CallRecord(call)
        self.records.append(record)
        if call.called in SLOW:
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(call.ended.wait(), 10)
            if call.ended.is_set():
                return
        await call.answer()
        echo: asyncio.Queue[bytes | None] = asyncio.Queue()

        async def frames() -> AsyncIterator[bytes]:
            while (pcm := await echo.get()) is not None:
                yield pcm

        player = asyncio.ensure_future(call.play(frames()))
        async for event in call.events():
            if isinstance(event, AudioFrame):
                record.frames += 1
                echo.put_nowait(event.pcm)
            elif isinstance(event, Digit):
                record.digits.append(event.digit)
                if event.digit == "*":
                    break
                if event.digit == "0":
                    record.transferred = await call.transfer(TRANSFER_TARGET, within=5)
        echo.put_nowait(None)
        call.stop_playback()
        record.played_ms = (await player).played_ms
        await call.hangup()


def free_port(kind: int = socket.SOCK_DGRAM) -> int:
    with socket.socket(socket.AF_INET, kind) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@dataclass
class Endpoint:
    server: SipServer
    app: EchoApp

    async def idle(self, within: float = 10.0) -> bool:
        """True once no call and no transaction is left (nothing leaked)."""
        loop = asyncio.get_running_loop()
        deadline = loop.time() + within
        while loop.time() < deadline:
            if (
                not self.server.calls
                and not self.server.transactions
                and not (self.server.client_transactions)
            ):
                return True
            await asyncio.sleep(0.05)
        return False


# Short timers: retransmissions and lingering transactions finish within a test.
FAST = Timers(t1=0.05, t2=0.2, t4=0.1)


@pytest.fixture
async def make_endpoint() -> AsyncIterator[Callable[..., Awaitable[Endpoint]]]:
    started: list[SipServer] = []

    async def make(
        allowed: tuple[str, ...] = ("127.0.0.1/32",),
        credentials: dict[str, str] | None = None,
        timers: Timers = FAST,
        app: EchoApp | None = None,
        media_timeout: float = 30.0,
    ) -> Endpoint:
        app = app or EchoApp()
        admission = TrunkAdmission(
            numbers=lambda n: n in ANSWERED | SLOW,
            allowed_networks=allowed,
            credentials=credentials,
        )
        server = SipServer(
            admit=admission,
            on_call=app,
            host="127.0.0.1",
            timers=timers,
            media_timeout=media_timeout,
        )
        await server.start()
        started.append(server)
        return Endpoint(server, app)

    yield make
    for server in started:
        await server.close()


@pytest.fixture
async def endpoint(make_endpoint: Callable[..., Awaitable[Endpoint]]) -> Endpoint:
    return await make_endpoint()


@dataclass
class SippResult:
    returncode: int
    output: str


async def run_sipp(
    scenario: str,
    port: int,
    workdir: Path,
    *,
    transport: str = "u1",
    service: str = "1000",
    calls: int = 1,
    extra: tuple[str, ...] = (),
    seconds: float = 30.0,
) -> SippResult:
    sipp = shutil.which("sipp")
    assert sipp, "sipp is installed by `make apt-deps` (Debian sip-tester)"
    args = [
        f"127.0.0.1:{port}",
        "-sf", str(SCENARIOS / scenario),
        "-m", str(calls), "-l", str(calls),
        "-t", transport,
        "-i", "127.0.0.1", "-mi", "127.0.0.1",
        "-p", str(free_port(socket.SOCK_STREAM if transport == "t1" else socket.SOCK_DGRAM)),
        "-mp", str(free_port()),
        "-s", service,
        "-nostdin", "-timeout", f"{int(seconds)}s", "-timeout_error",
        "-trace_err", "-error_file", str(workdir / "sipp_errors.log"),
        *extra,
    ]  # fmt: skip
    process = await asyncio.create_subprocess_exec(
        sipp, *args, cwd=workdir,
        stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.STDOUT,
    )  # fmt: skip
    stdout, _ = await asyncio.wait_for(process.communicate(), seconds + 10)
    errors = workdir / "sipp_errors.log"
    text = stdout.decode(errors="replace")[-3000:]
    if errors.exists():
        text += "\n--- sipp errors ---\n" + errors.read_text(errors="replace")[-3000:]
    return SippResult(process.returncode or 0, text)


GREETING = "Hello, you have reached the order desk. How can I help?"


@pytest_asyncio.fixture(scope="session", loop_scope="session")
async def engines() -> AsyncIterator[SpeechEngines]:
    # Piper varies each rendering at random (its noise), and a few renderings in a hundred
    # are ones Whisper mishears ("ship" for "shipped"); with the variation off, a sentence
    # sounds the same on every run, so a test's outcome does not depend on the draw.
    # test_speech_synthesis.py checks the default voice too; bench/speech.py uses it.
    started = await SpeechEngines.start(greetings=[GREETING], tts_options={"variation": 0.0})
    yield started
    await started.close()


def over_a_phone_line(pcm_8k: bytes) -> bytes:
    """What reaches the far end of a G.711 call: μ-law there and back."""
    return ulaw_to_pcm16(pcm16_to_ulaw(pcm_8k))
