"""One phone call: an audio leg on one side, the core's `Converse` stream on the other.

    call = Call(leg, engines, conversations, metadata, agent_id=...)   # or called_number
    outcome = await call.run()   # returns when the call is over, whoever ended it

The call runs four tasks:

- listening: the leg's frames go through the endpointer (silero VAD). Caller speech starting
  while an interruptible reply plays stops it at once and tells the core how much was heard
  (`interrupt`); a finished turn is recognised (a grammar picked from the agent's last
  question, expecting.py, checked by Whisper, hearing.py) in the worker processes and sent
  as `speech`, with partial results while the caller speaks. Keys go to the
  keypad (keypad.py), which sends whole entries as `dtmf`.
- reading: the core's reply deltas and acknowledgements are queued to the player
  (playout.py), which synthesises and plays them in order; `transfer` and `hang_up` queue
  behind them, so the caller hears the line that announces them first.
- silence: once the agent has finished speaking and the caller is quiet, `no_input` with the
  silence so far goes to the core every `no_input_every` seconds; the agent's callControl
  (in the core) decides when to remind and what to do after.
- playing (the player's own).

The greeting is played as its deltas arrive; its sentences are then synthesised into the
synthesiser's cache, so the next call to the same agent hears it without waiting for TTS.

The leg hanging up closes the Converse stream (the core records the call as ended by the
caller); the core's `hang_up` plays what remains (the goodbye) and then hangs up the leg.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from enum import StrEnum

import grpc

from flowyte.v1 import audit_pb2
from flowyte.v1 import conversation_service_pb2 as pb
from flowyte.v1 import conversation_service_pb2_grpc as pb_grpc
from frontends.voice.expecting import expecting_after
from frontends.voice.hearing import hear
from frontends.voice.keypad import Keypad
from frontends.voice.leg import LEG_RATE, AudioLeg, Digit
from frontends.voice.playout import Line, Player
from frontends.voice.speech import (
    Expecting,
    LiveGrammar,
    SpeechEngines,
    SpeechStarted,
    TurnEnded,
    WorkerError,
)

log = logging.getLogger(__name__)

# The core's transfer: where to and whether warm; the channel places it and says how it went.
TransferCallback = Callable[[pb.Transfer], Awaitable[pb.TransferResult]]


class Ending(StrEnum):
    CALLER_HUNG_UP = "caller_hung_up"  # the leg ended first
    AGENT_HUNG_UP = "agent_hung_up"  # the core sent hang_up (goodbye, silence, transfer)
    FAILED = "failed"  # the core refused the call or the stream broke


@dataclass
class CallOutcome:
    session_name: str = ""
    ending: Ending = Ending.FAILED
    hang_up_reason: str = ""
    transfers: list[pb.Transfer] = field(default_factory=list)
    error: str = ""
    partials: int = 0  # partial results sent while the caller spoke


class Call:
    def __init__(
        self,
        leg: AudioLeg,
        engines: SpeechEngines,
        conversations: pb_grpc.ConversationServiceStub,
        metadata: grpc.aio.Metadata | tuple[tuple[str, str], ...],
        *,
        agent_id: str = "",
        on_transfer: TransferCallback | None = None,
        no_input_every: float = 2.0,
        keypad_pause: float = 2.0,
        opened: tuple[grpc.aio.StreamStreamCall, str] | None = None,
    ) -> None:
        """`opened`: a Converse stream already opened for this call (its config sent, its
        session named by the second item) — the SIP frontend opens it before answering, to
        answer 404 for a number the core does not know."""
        self._leg = leg
        self._engines = engines
        self._conversations = conversations
        self._metadata = metadata
        self._agent_id = agent_id
        self._on_transfer = on_transfer
        self._no_input_every = no_input_every
        self._keypad_pause = keypad_pause
        self.outcome = CallOutcome()
        self._stream: grpc.aio.StreamStreamCall | None = None
        self._opened = opened
        self._write_lock = asyncio.Lock()
        self._over = asyncio.Event()
        self._hanging_up = False
        self._expecting = Expecting.FREE
        self._caller_speaking = False
        self._awaiting_reply = False  # a turn was sent; its reply has not ended yet
        self._recognising = False
        self._caller_active_at = 0.0  # loop time the caller last spoke or keyed
        self._greeting: list[str] | None = []  # the first reply's sentences, to cache
        self._turns: asyncio.Queue[TurnEnded] = asyncio.Queue()
        self._live: LiveGrammar | None = None  # partial results of the turn under way
        self._forwarding: asyncio.Task[None] | None = None

    async def run(self) -> CallOutcome:
        """Answer, converse until either side ends, and say how it ended."""
        loop = asyncio.get_running_loop()
        self._caller_active_at = loop.time()
        self._player = Player(self._leg, self._engines.synthesiser)
        self._keypad = Keypad(self._send_dtmf, pause_seconds=self._keypad_pause)
        if self._opened is not None:
            self._stream, self.outcome.session_name = self._opened
        else:
            self._stream = self._conversations.Converse(metadata=self._metadata, timeout=None)
        config = pb.ConverseConfig(
            agent_id=self._agent_id,
            called_number="" if self._agent_id else self._leg.called_number,
            caller_number=self._leg.caller_number,
            channel=audit_pb2.CHANNEL_VOICE,
            reply_deltas=True,
        )
        tasks = [
            asyncio.create_task(self._read(), name="read"),
            asyncio.create_task(self._listen(), name="listen"),
            asyncio.create_task(self._recognise_turns(), name="recognise"),
            asyncio.create_task(self._count_silence(), name="silence"),
        ]
        try:
            if self._opened is None:
                await self._write(pb.ConverseRequest(config=config))
            await self._over.wait()
        finally:
            for task in tasks:
                task.cancel()
            for task in tasks:
                with contextlib.suppress(asyncio.CancelledError):
                    await task
            self._stop_partials()
            await self._keypad.close()
            await self._player.close()
            self._stream.cancel()
        return self.outcome

    # --- the caller's side ---------------------------------------------------------------

    async def _listen(self) -> None:
        endpointer = self._engines.endpointer(LEG_RATE)
        try:
            async for received in self._leg.received():
                if isinstance(received, Digit):
                    self._caller_active_at = asyncio.get_running_loop().time()
                    if not self._keypad.entering:
                        await self._barge_in()  # keying answers the agent as speaking does
                    self._keypad.press(received.key)
                    continue
                events = endpointer.feed(received)
                if self._live is not None:
                    self._live.feed(received)
                for event in events:
                    await self._on_speech(event)
        except Exception:  # a broken leg is a line gone: the core still hears the call end
            log.exception("the call's audio leg failed")
        # The caller hung up (or we did, and the leg says so).
        if not self._hanging_up:
            self.outcome.ending = Ending.CALLER_HUNG_UP
            await self._player.close()  # nothing more reaches a line that is gone
            await self._close_stream()
            self._over.set()

    async def _on_speech(self, event: SpeechStarted | TurnEnded) -> None:
        self._caller_active_at = asyncio.get_running_loop().time()
        if isinstance(event, SpeechStarted):
            self._caller_speaking = True
            await self._barge_in()
            self._start_partials()
        else:
            self._caller_speaking = False
            self._stop_partials()
            self._turns.put_nowait(event)

    def _start_partials(self) -> None:
        """While the caller speaks an answer a grammar reads (digits, yes/no, a postcode),
        what it has heard so far goes to the core as partial results: the core keeps the
        caller from being reminded and may prepare. Free speech has none (Whisper reads
        whole turns). The final result is recognised from the endpointer's whole turn."""
        if self._expecting is Expecting.FREE:
            return
        self._live = LiveGrammar(self._engines.recogniser, LEG_RATE, self._expecting)
        self._forwarding = asyncio.create_task(self._forward_partials(self._live))

    def _stop_partials(self) -> None:
        self._live = None
        if self._forwarding is not None:
            self._forwarding.cancel()  # a partial being written still goes (shielded)
            self._forwarding = None

    async def _forward_partials(self, live: LiveGrammar) -> None:
        while True:
            heard = await live.partials.get()
            self.outcome.partials += 1
            partial = pb.SpeechInput(
                text=heard.text[:4000],
                confidence=min(1.0, max(0.0, heard.confidence)),
                language=heard.language,
            )
            await asyncio.shield(self._write(pb.ConverseRequest(speech=partial)))

    async def _barge_in(self) -> None:
        for cut in self._player.barge_in():
            await self._write(
                pb.ConverseRequest(
                    interrupt=pb.Interrupt(reply_id=cut.reply_id, played_chars=cut.played_chars)
                )
            )

    async def _recognise_turns(self) -> None:
        """One turn at a time, in order: the core reads them as the caller said them."""
        while True:
            turn = await self._turns.get()
            self._recognising = True
            try:
                heard = await hear(
                    self._engines.recogniser, turn.audio, turn.sample_rate, self._expecting
                )
            except WorkerError as error:  # the caller is asked again by their own silence
                log.warning("recognition failed: %s", error)
                continue
            except Exception:  # one bad turn must not leave the call deaf
                log.exception("recognition failed")
                continue
            finally:
                self._recognising = False
            self._caller_active_at = asyncio.get_running_loop().time()
            if not heard.text.strip():
                continue  # a cough, a door: nothing for the core
            self._awaiting_reply = True
            await self._write(
                pb.ConverseRequest(
                    speech=pb.SpeechInput(
                        text=heard.text[:4000],
                        is_final=True,
                        confidence=min(1.0, max(0.0, heard.confidence)),
                        language=heard.language,
                    )
                )
            )

    async def _send_dtmf(self, digits: str, finish_digit: str) -> None:
        self._awaiting_reply = True
        self._caller_active_at = asyncio.get_running_loop().time()
        await self._write(
            pb.ConverseRequest(dtmf=pb.DtmfInput(digits=digits, finish_digit=finish_digit))
        )

    async def _count_silence(self) -> None:
        """`no_input` every `no_input_every` seconds of silence after the agent spoke."""
        loop = asyncio.get_running_loop()
        reported_from = -1.0  # the start of the silence last reported
        next_report = 0.0
        while True:
            await asyncio.sleep(0.1)
            quiet = not (
                self._player.speaking
                or self._caller_speaking
                or self._awaiting_reply
                or self._recognising
                or self._keypad.entering
                or not self._turns.empty()
            )
            if not quiet or self._greeting is not None:
                continue  # nothing counts before the greeting has been played through
            since = max(self._caller_active_at, self._player.idle_since)
            if since != reported_from:
                reported_from, next_report = since, self._no_input_every
            silence = loop.time() - since
            if silence >= next_report:
                next_report += self._no_input_every
                silence_ms = max(1, round(silence * 1000))
                await self._write(pb.ConverseRequest(no_input=pb.NoInput(silence_ms=silence_ms)))

    # --- the core's side -----------------------------------------------------------------

    async def _read(self) -> None:
        assert self._stream is not None
        try:
            # read(), not `async for`: grpc.aio forbids mixing the two on one call, and a
            # stream opened before the call was answered (`opened`) has been read already.
            while (response := await self._stream.read()) is not grpc.aio.EOF:
                self._on_response(response)
        except grpc.aio.AioRpcError as error:
            if self._over.is_set():
                return
            log.warning("Converse ended: %s %s", error.code().name, error.details())
            self.outcome.error = f"{error.code().name}: {error.details()}"
            self._player.then(self._hang_up_leg)
            return
        except Exception as error:  # a response this frontend cannot handle: end cleanly
            log.exception("Converse response not handled")
            self.outcome.error = f"INTERNAL: {type(error).__name__}"
            self._player.then(self._hang_up_leg)
            return
        # The core closed the stream; after a hang_up the player ends the call itself.
        if not self.outcome.hang_up_reason and self.outcome.ending is Ending.FAILED:
            self._player.then(self._hang_up_leg)

    def _on_response(self, response: pb.ConverseResponse) -> None:
        kind = response.WhichOneof("kind")
        if kind == "session":
            self.outcome.session_name = response.session.name
        elif kind == "reply_delta":
            delta = response.reply_delta
            if self._greeting is not None:
                self._greeting.append(delta.text)
            self._player.say(Line(delta.reply_id, delta.text, delta.offset, delta.interruptible))
        elif kind == "acknowledgement":
            ack = response.acknowledgement
            self._player.say(Line(ack.reply_id, ack.text, 0, True))
        elif kind == "turn_end":
            self._awaiting_reply = False
            if response.turn_end.text:
                self._expecting = expecting_after(response.turn_end.text, self._expecting)
            if self._greeting is not None:
                greeting, self._greeting = self._greeting, None
                self._player.then(lambda: self._cache(greeting))
        elif kind == "transfer":
            transfer = response.transfer
            self.outcome.transfers.append(transfer)
            self._player.then(lambda: self._transfer(transfer))
        elif kind == "hang_up":
            self.outcome.hang_up_reason = response.hang_up.reason
            self._player.then(self._hang_up_leg)

    async def _cache(self, sentences: list[str]) -> None:
        """After the greeting was played: keep its audio for the next call (in the
        background; the TTS worker runs it between this call's sentences)."""
        synthesiser = self._engines.synthesiser
        new = [s for s in sentences if not synthesiser.is_prepared(s)]
        if new:
            task = asyncio.create_task(synthesiser.prepare(new))
            task.add_done_callback(_log_failure)

    async def _transfer(self, transfer: pb.Transfer) -> None:
        if self._on_transfer is None:
            result = pb.TransferResult(
                outcome=pb.TRANSFER_OUTCOME_FAILED, destination=transfer.destination
            )
        else:
            try:
                result = await self._on_transfer(transfer)
            except Exception as error:  # the caller stays with the agent, who says so
                log.warning("transfer to %s failed: %s", transfer.destination, error)
                result = pb.TransferResult(
                    outcome=pb.TRANSFER_OUTCOME_FAILED, destination=transfer.destination
                )
        self._awaiting_reply = True
        await self._write(pb.ConverseRequest(transfer_result=result))

    async def _hang_up_leg(self) -> None:
        if self._hanging_up:
            return
        self._hanging_up = True
        if self.outcome.hang_up_reason and not self.outcome.error:
            self.outcome.ending = Ending.AGENT_HUNG_UP
        await self._leg.hang_up()
        await self._close_stream()
        self._over.set()

    async def _write(self, request: pb.ConverseRequest) -> None:
        assert self._stream is not None
        async with self._write_lock:
            if self._over.is_set():
                return
            try:
                await self._stream.write(request)
            except (grpc.aio.AioRpcError, grpc.aio.UsageError, asyncio.InvalidStateError) as error:
                log.info("Converse write dropped (%s): the call is ending", type(error).__name__)

    async def _close_stream(self) -> None:
        """No more input: the core ends the session (`caller_hung_up` if it was still on)."""
        assert self._stream is not None
        async with self._write_lock:
            with contextlib.suppress(grpc.aio.AioRpcError, grpc.aio.UsageError):
                await self._stream.done_writing()
        # Let the core finish what it was sending, so it records the end before we cancel.
        with contextlib.suppress(asyncio.TimeoutError, grpc.aio.AioRpcError):
            await asyncio.wait_for(self._stream.code(), 5)


def _log_failure(task: asyncio.Task[None]) -> None:
    if not task.cancelled() and task.exception() is not None:
        log.warning("caching the greeting failed: %s", task.exception())
