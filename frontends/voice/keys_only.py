"""`run_call(leg, stream)`: a call without speech engines (FLOWYTE_VOICE_SPEECH=off).

The caller's keyed entries go to the core as `dtmf` (an entry ends with `#`, or with a
pause of `KEY_PAUSE_SECONDS`), nothing is spoken or heard, a `transfer` is answered as
failed (this mode places none: the core says so and the handoff stays in the team's
inbox), and the core's `hang_up` ends the call. When the caller hangs up first, the
stream's writing side closes and the core records the call as ended by the caller. With
the engines up, the process runs the pipeline (`frontends/voice/call.py`) instead.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from typing import TYPE_CHECKING

import grpc
import grpc.aio

from flowyte.v1 import conversation_service_pb2 as pb
from frontends.voice.gate import ConverseStream
from frontends.voice.leg import AudioLeg, Digit

if TYPE_CHECKING:
    from frontends.voice.speech import SpeechEngines

log = logging.getLogger(__name__)

KEY_PAUSE_SECONDS = 3.0
DRAIN_SECONDS = 2.0  # after the caller hung up, how long the core has to end the session


async def run_call(
    leg: AudioLeg, stream: ConverseStream, *, engines: SpeechEngines | None = None
) -> str:
    """Runs one answered call to its end; returns why it ended. `stream` is open: its
    config was sent and its session read. `engines` are for the pipeline; unused here."""
    keys: asyncio.Queue[str | None] = asyncio.Queue()
    writer = _Writer(stream)
    listening = asyncio.create_task(_listen(leg, keys))
    sending = asyncio.create_task(_send_entries(writer, keys))
    reading = asyncio.create_task(_read_until_hang_up(stream, writer))
    try:
        await asyncio.wait({listening, reading}, return_when=asyncio.FIRST_COMPLETED)
        if reading.done():
            reason = reading.result()
            await leg.hang_up()
            return reason
        # The caller hung up: no more input; give the core a moment to close its side.
        sending.cancel()
        with contextlib.suppress(Exception):
            await stream.done_writing()
        with contextlib.suppress(TimeoutError, Exception):
            await asyncio.wait_for(asyncio.shield(reading), DRAIN_SECONDS)
        return "caller_hung_up"
    finally:
        for task in (listening, sending, reading):
            task.cancel()
        await asyncio.gather(listening, sending, reading, return_exceptions=True)
        stream.cancel()


async def _listen(leg: AudioLeg, keys: asyncio.Queue[str | None]) -> None:
    async for item in leg.received():
        if isinstance(item, Digit):
            keys.put_nowait(item.key)
    keys.put_nowait(None)


class _Writer:
    """One write at a time: a grpc.aio stream refuses overlapping writes."""

    def __init__(self, stream: ConverseStream) -> None:
        self._stream = stream
        self._lock = asyncio.Lock()

    async def write(self, request: pb.ConverseRequest) -> None:
        async with self._lock:
            await self._stream.write(request)


async def _send_entries(stream: _Writer, keys: asyncio.Queue[str | None]) -> None:
    entry = ""
    while True:
        try:
            key = await asyncio.wait_for(keys.get(), KEY_PAUSE_SECONDS if entry else None)
        except TimeoutError:
            key = ""  # a pause ends the entry
        if key is None:
            return
        if key in ("#", "") and entry:
            await stream.write(
                pb.ConverseRequest(dtmf=pb.DtmfInput(digits=entry, finish_digit=key))
            )
            entry = ""
        elif key not in ("#", ""):
            entry = (entry + key)[:64]  # the core takes up to 64 keys an entry


async def _read_until_hang_up(stream: ConverseStream, writer: _Writer) -> str:
    try:
        # read(), not `async for`: the gate already read the session with read(), and a
        # grpc.aio call refuses both ways of reading on one stream.
        while (response := await stream.read()) is not grpc.aio.EOF:
            kind = response.WhichOneof("kind")
            if kind == "hang_up":
                return response.hang_up.reason or "hang_up"
            if kind == "transfer":
                failed = pb.TransferResult(
                    outcome=pb.TRANSFER_OUTCOME_FAILED, destination=response.transfer.destination
                )
                await writer.write(pb.ConverseRequest(transfer_result=failed))
    except grpc.aio.AioRpcError as error:
        log.warning("a call's Converse stream broke: %s", error.code().name)
        return "error"
    return "core_ended"
