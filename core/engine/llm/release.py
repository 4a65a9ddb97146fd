"""The model's reply let out while it is written: sentence by sentence, each only once the
reply so far, that sentence included, passes the check the whole reply must pass (no
banned topic; the brain checks the whole reply again at the end).

The first sentence that fails stops the release: the rest is held, and the brain's own
check on the whole reply then replaces it, which withdraws what was sent (the stream says
so). What discloses an order is decided before the model sees it (the Guard's tools give
it only what the customer may hear), so there is nothing more to check per sentence.
The last sentence is never let out here: only the turn knows the reply is over, and it
sends the rest once the reply is checked whole and stored.
"""

from __future__ import annotations

from core.domain.sentences import SentenceCutter

from ..policy import AgentPolicy
from ..turn import ReplySink


class Release:
    """Fed the reply's exact characters in order: the greeting, then the model's text as it
    streams (without the whitespace the reply is stripped of at its start)."""

    def __init__(self, sink: ReplySink | None, policy: AgentPolicy):
        self._sink = sink
        self._policy = policy
        self._cutter = SentenceCutter()
        self._sent = ""
        self._stopped = sink is None
        self._body_started = False

    def say(self, text: str) -> None:
        """Text of the reply composed in code (the greeting and the space after it)."""
        self._feed(text)

    def model_text(self, text: str) -> None:
        """The model's words as they stream; the reply drops whitespace before its first."""
        if not self._body_started:
            text = text.lstrip()
            if not text:
                return
            self._body_started = True
        self._feed(text)

    def _feed(self, text: str) -> None:
        if self._stopped:
            return
        for sentence in self._cutter.feed(text):
            if self._policy.banned_topic_in(self._sent + sentence) is not None:
                self._stopped = True  # held: the check of the whole reply replaces it
                return
            self._sent += sentence
            assert self._sink is not None
            self._sink.send(sentence)
