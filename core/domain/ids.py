"""Public resource ids: a type prefix and a time-ordered random part.

Time order lets lists page by id alone (`WHERE id > :after ORDER BY id`), and the prefix
tells a person at a glance what an id names (`agt_…` is an agent).
"""

from __future__ import annotations

import os
import threading

from flowyte.clock import now_ms, process_clock

_ALPHABET = "0123456789abcdefghjkmnpqrstvwxyz"  # Crockford base32, lower case: sorts as it encodes

PREFIXES = {
    "organization": "org",
    "api_key": "key",
    "agent": "agt",
    "skill": "skl",
    "integration": "int",
    "session": "ses",
    "event": "evt",
    "handoff": "hof",
    "publishable_key": "pkk",
    "number": "num",
    "reply": "rpl",  # a reply spoken on a call (named by an interrupt; not stored as a row)
}


# Every pair of characters, by the 10 bits it encodes: half the steps of one at a time
# (a turn makes several ids).
_PAIRS = [high + low for high in _ALPHABET for low in _ALPHABET]


def _base32(value: int, length: int) -> str:
    """`value` in `length` characters (an even number), most significant first."""
    pairs = []
    for _ in range(length // 2):
        pairs.append(_PAIRS[value & 1023])
        value >>= 10
    return "".join(reversed(pairs))


# The last id's time and random part: ids made in the same millisecond (or after the clock
# stepped back) continue from it by a random step, so this process's ids sort in the order
# they were made (a page listed by id is the order of creation).
_last = (0, 0)
_making = threading.Lock()


def new_id(kind: str) -> str:
    """48 bits of milliseconds then 80 random bits, so ids made later sort later."""
    global _last
    step = 1 + int.from_bytes(os.urandom(4), "big")  # still not guessable from the last
    fresh = int.from_bytes(os.urandom(10), "big")
    with _making:  # ids are also made on SQLite's write threads
        # An id needs only order, not the date: the process's own clock, not a test's.
        millis = now_ms(process_clock()) & ((1 << 48) - 1)
        last_millis, last_random = _last
        if millis <= last_millis and last_random + step < 1 << 80:
            millis, random_part = last_millis, last_random + step
        else:
            random_part = fresh
        _last = (millis, random_part)
    return f"{PREFIXES[kind]}_{_base32(millis, 10)}{_base32(random_part, 16)}"
