"""Conversations: the parts of a conversation wired together once, for the core's servicers.

Each part is its own module: sessions (sessions.py), the turn runner (turns.py), brain turns
(thinking.py), calls (calls.py) and what the core says on them by itself (call_lines.py),
transcripts and their watch (transcripts.py), simulations and stateless completions
(completions.py). A servicer reaches the part it uses by name
(`conversations.turns`, `conversations.calls`, ...); this class only builds them so that they
share one session cache, one set of per-session locks and one brain chooser.
"""

from __future__ import annotations

from core.engine.turn import Brain
from core.runtime import Runtime
from core.services.agents import SnapshotOf
from core.services.numbers import Numbers
from core.shopify.lookup import OrderLookup

from .call_lines import CallLines
from .calls import Calls
from .completions import Completions
from .sessions import Redact, Sessions
from .thinking import Thinker
from .transcripts import Transcripts
from .turns import TurnRunner


class Conversations:
    def __init__(
        self,
        runtime: Runtime,
        brain: Brain,
        lookup: OrderLookup,
        snapshot_of: SnapshotOf,
        redact: Redact | None = None,
    ):
        self.runtime = runtime
        self.sessions = Sessions(runtime, snapshot_of, redact)
        self.thinker = Thinker(runtime, brain, lookup)
        self.turns = TurnRunner(self.sessions, self.thinker)
        self.calls = Calls(self.sessions, self.thinker)
        self.call_lines = CallLines(self.sessions)
        self.transcripts = Transcripts(runtime)
        self.completions = Completions(self.sessions, self.thinker)
        # Which agent a called number reaches (a call opened by the number it dialled).
        self.numbers = Numbers(runtime)
