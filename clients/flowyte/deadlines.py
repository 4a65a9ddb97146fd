"""How long each hop of a turn may wait for the next, in one place, so each caller outlasts
what it calls:

    store attempt  ≤  store lookup (its retries included)  <  turn  <  a frontend's call

A frontend that gave up on the core before the core's store client gave up on the store
would cut the turn off mid-way: the customer gets a 504 and their words are never written.
With the waits in this order the store client gives up first, the turn answers "trouble
reaching the store", and it is written, the customer's words with it.

The core builds its store client from these values and the frontends derive their call
deadlines from them, so the two cannot drift apart. FLOWYTE_STORE_TIMEOUT_SECONDS sets
one store attempt's timeout (default 10 s); every process started with the same environment
reads the same value (`Deadlines.from_env`).
"""

from __future__ import annotations

import math
import os
from collections.abc import Mapping
from dataclasses import dataclass

STORE_TIMEOUT_VARIABLE = "FLOWYTE_STORE_TIMEOUT_SECONDS"


@dataclass(frozen=True)
class Deadlines:
    # One HTTP attempt at the store, connect to last byte.
    store_attempt: float = 10.0
    # A lookup tries at most this often: the first try and the transient retries.
    store_tries: int = 3
    # The longest pause between two tries (the cap of the client's jittered backoff).
    store_backoff_cap: float = 2.0
    # The longest an LLM brain spends in its model in one turn (an agent may set less).
    model: float = 60.0
    # Reading and writing a turn, and the hop between a frontend and the core.
    margin: float = 5.0

    def __post_init__(self) -> None:
        if not (math.isfinite(self.store_attempt) and self.store_attempt > 0):
            raise ValueError(f"{STORE_TIMEOUT_VARIABLE} must be a positive number of seconds")
        if self.store_tries < 1:
            raise ValueError("a lookup tries the store at least once")

    @property
    def store_lookup(self) -> float:
        """One whole lookup at the longest: every try timing out, and the pauses between."""
        return (
            self.store_tries * self.store_attempt + (self.store_tries - 1) * self.store_backoff_cap
        )

    @property
    def turn(self) -> float:
        """One turn at the longest: its model time, then a lookup the store never answers
        (a store that cannot answer ends the turn, so there is at most one such lookup),
        and the turn's own reads and writes."""
        return self.model + self.store_lookup + self.margin

    def frontend_call(self, turns: int = 1) -> float:
        """The deadline a frontend gives a call to the core that runs `turns` turns (a
        stateless completion replays each of the customer's messages)."""
        return max(1, turns) * self.turn + self.margin

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None) -> Deadlines:
        raw = (os.environ if env is None else env).get(STORE_TIMEOUT_VARIABLE, "").strip()
        if not raw:
            return cls()
        try:
            seconds = float(raw)
        except ValueError:
            raise ValueError(
                f"{STORE_TIMEOUT_VARIABLE} must be a number of seconds, not {raw!r}"
            ) from None
        return cls(store_attempt=seconds)
