"""How well the built-in brain understands what shoppers write, measured on third-party
phrasings: every line of ../shared/corpora/bitext/utterances.csv sent as a shopper's first
message to the demo agent.

    python bench/understanding.py [--half tune|held-out|all] [--rest 20] [--show INTENT]

Straight through the engine (the BuiltinBrain with in-memory ports over the demo store's
data), which takes seconds; `--rest N` also sends N lines (spread over the intents) over
REST to `flowyte serve --demo`, in its own process, and prints how many got the same
verdict. The corpus is found in $FLOWYTE_BITEXT, else ../shared/corpora/bitext from the
repository root; it is never copied into the project.

Halves, by the corpus's source_row: every row in it is even (the file's odd rows are the
other half of the sample, kept apart), so the split is by source_row / 2: rows ≡ 0 mod 4 are
the tune half (looked at while improving the packs), rows ≡ 2 mod 4 the held-out half (only
measured). A benchmark, not a test: the
bounds live in tests/engine/test_understanding_corpus.py, which uses `judge` from here.
"""

from __future__ import annotations

import argparse
import asyncio
import csv
import os
import re
import sys
import time
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

CONTROL = "controls"
# The order the corpus's orders were rewritten to (README): any other order looked up or
# asked about came from a number that was not an order (money, a quantity, a date).
CORPUS_ORDER = "#2003"
INTENTS = (
    "track_order",
    "delivery_period",
    "contact_human_agent",
    "complaint",
    "cancel_order",
    "change_order",
    "get_refund",
    CONTROL,
)


def corpus_dir() -> Path:
    env = os.environ.get("FLOWYTE_BITEXT", "").strip()
    return Path(env) if env else ROOT.parent / "shared" / "corpora" / "bitext"


@dataclass(frozen=True)
class Line:
    intent: str  # Bitext's; every control intent is CONTROL
    row: int
    text: str

    @property
    def half(self) -> str:
        return "tune" if self.row % 4 == 0 else "held-out"


def lines(path: Path | None = None) -> list[Line]:
    path = path or corpus_dir() / "utterances.csv"
    with path.open(encoding="utf-8", newline="") as f:
        return [
            Line(
                CONTROL if r["set"] == "control" else r["intent"],
                int(r["source_row"]),
                r["utterance"],
            )
            for r in csv.DictReader(f)
        ]


@dataclass(frozen=True)
class Answer:
    """What a first answer did, read from its reply, state and events."""

    reply: str
    asked_order: bool  # asked for the order number, or for the detail verifying one
    person: bool  # a person offered, or the conversation handed off
    looked_up: tuple[str, ...]  # orders named in lookups and verification asks
    said_what: str  # "cancel" | "change" | "refund" | "" : the request told back


# "cancel or change an order" is the generic line: told back as neither.
_TOLD = (
    ("either", re.compile(r"\bcancel or change", re.I)),
    ("refund", re.compile(r"\b(?:refund|return)", re.I)),
    ("cancel", re.compile(r"\bcancel", re.I)),
    (
        "change",
        re.compile(r"\b(?:chang|add|remov|swap|edit|where an order goes|how an order)", re.I),
    ),
)


def read_answer(
    reply: str, state: Mapping[str, Any], events: Iterable[Any], handoff: Any
) -> Answer:
    expecting = state.get("expecting")
    # Not the reply's "#…": the order number is asked for with an example ("like #1001").
    named: set[str] = set()
    if state.get("order"):
        named.add(str(state["order"]))
    for event in events:
        payload = (
            getattr(event, "payload", None)
            or (event.get("payload") if isinstance(event, Mapping) else None)
            or {}
        )
        for key in ("order", "orderNumber", "order_number"):
            if isinstance(payload.get(key), str):
                named.add(payload[key])
        args = payload.get("arguments") or {}
        if isinstance(args, Mapping) and isinstance(args.get("order_number"), str):
            named.add(args["order_number"])
    said = next((kind for kind, p in _TOLD if p.search(reply)), "")
    return Answer(
        reply=reply,
        asked_order=expecting in ("order_number", "factor"),
        person=handoff is not None
        or state.get("offer") is not None
        or state.get("handoff") is not None,
        looked_up=tuple(sorted(n for n in named if n.startswith("#"))),
        said_what=said,
    )


def misread_number(answer: Answer) -> bool:
    """A number that was not the order (money, a quantity…) taken for one."""
    return any(name.split("-")[0] != CORPUS_ORDER for name in answer.looked_up)


def judge(intent: str, answer: Answer) -> bool:
    """Whether a first answer is right for the corpus's intent (its README's table)."""
    if misread_number(answer):
        return False
    if intent in ("track_order", "delivery_period"):
        return answer.asked_order
    if intent == "contact_human_agent":
        return answer.person
    if intent == "complaint":
        return answer.person or (answer.asked_order and bool(answer.looked_up))
    if intent == "cancel_order":
        return answer.said_what == "cancel" and answer.person
    if intent == "change_order":
        return answer.said_what == "change" and answer.person
    if intent == "get_refund":
        return answer.person
    if intent == CONTROL:
        return not answer.asked_order and answer.person
    raise ValueError(intent)


# -- straight through the engine -------------------------------------------------------


class _Attempts:
    def __init__(self) -> None:
        self.spent: list[str] = []

    async def failures(self, order_key: str) -> int:
        return 0

    async def claim(self, order_key: str, factor: Any, value: str, limit: int) -> Any:
        from core.domain.verification_factors import FactorClaim

        self.spent.append(order_key)
        return FactorClaim(allowed=True, failures=1, fresh=True)

    async def release(self, order_key: str, factor: Any, value: str) -> None:
        return None


class _Store:
    def __init__(self) -> None:
        import json

        from core.domain.order_status import OrderStatus

        data = json.loads((ROOT / "demostore" / "data" / "demo-store.json").read_text("utf-8"))
        self.orders = {o["name"]: OrderStatus.from_shopify(o, data["shop"]) for o in data["orders"]}
        self.asked: list[str] = []

    async def by_name(self, order_number: str) -> list[Any]:
        self.asked.append(order_number)
        wanted = order_number.lstrip("#").casefold()
        return [o for n, o in self.orders.items() if n.lstrip("#").casefold() == wanted]


def demo_agent(language: str = "") -> dict[str, Any]:
    from core.domain.provisioning import disclosure_policy, lookup_order_skill, order_match_method

    settings: dict[str, Any] = {"id": "agt_bench", "display_name": "Juniper Helper"}
    if language:
        settings["language"] = language
    return {
        "agent": settings,
        "skills": [{"id": "skl_lookup", **lookup_order_skill("Look up an order")}],
        "guardrails": [disclosure_policy()],
        "caller_verification": [order_match_method("skl_lookup")],
    }


async def first_answer(text: str, store: Any = None) -> tuple[Answer, list[str]]:
    """The brain's first answer to `text`; and the orders whose verification it spent."""
    from datetime import UTC, datetime

    from core.engine import BuiltinBrain, TurnContext

    store = store or _Store()
    attempts = _Attempts()
    now = datetime(2026, 6, 5, 15, 0, tzinfo=UTC)
    result = await BuiltinBrain().turn(
        TurnContext(
            agent=demo_agent(),
            channel="chat",
            state={},
            text=text,
            orders=store,
            attempts=attempts,
            now=lambda: now,
        )
    )
    answer = read_answer(result.reply, result.state, result.events, result.handoff)
    looked = set(answer.looked_up) | {order_name for order_name in store.asked}
    answer = Answer(
        answer.reply,
        answer.asked_order,
        answer.person,
        tuple(sorted(n if n.startswith("#") else "#" + n for n in looked)),
        answer.said_what,
    )
    return answer, attempts.spent


async def run_engine(corpus: list[Line]) -> tuple[list[tuple[Line, Answer, bool]], float, int]:
    store = _Store()
    out = []
    spent = 0
    started = time.perf_counter()  # wall clock: a benchmark timing itself
    for line in corpus:
        store.asked.clear()
        answer, burned = await first_answer(line.text, store)
        spent += sum(1 for key in burned if CORPUS_ORDER.lstrip("#") not in key)
        out.append((line, answer, judge(line.intent, answer)))
    elapsed = time.perf_counter() - started  # wall clock: a benchmark timing itself
    return out, elapsed, spent


# -- over REST -------------------------------------------------------------------------

# REST answers carry the reply and events, not the dialogue state: what was asked is read
# from the reply's words (the demo agent speaks English, as the corpus does).
_ASKS_ORDER = re.compile(r"order number|keep your order safe|email address, phone number", re.I)
_OFFERS_PERSON = re.compile(r"person on our team|pass you to a person", re.I)


def rest_answer(data: Mapping[str, Any]) -> Answer:
    reply = data["reply"]["content"]
    named = {
        str(e["payload"].get("order"))
        for e in data["events"]
        if e["eventType"] in ("tool_call", "guardrail", "verification")
        and isinstance(e.get("payload"), Mapping)
        and e["payload"].get("order")
    }
    said = next((kind for kind, p in _TOLD if p.search(reply)), "")
    person = bool(data["session"].get("handoffId")) or bool(_OFFERS_PERSON.search(reply))
    asked = bool(_ASKS_ORDER.search(reply)) and not person
    return Answer(reply, asked, person, tuple(sorted(named)), said)


def sample(corpus: list[Line], n: int) -> list[Line]:
    """n lines spread over the intents: every k-th line of each, in the corpus's order."""
    by_intent: dict[str, list[Line]] = {}
    for line in corpus:
        by_intent.setdefault(line.intent, []).append(line)
    each = max(1, n // len(by_intent))
    return [
        line for group in by_intent.values() for line in group[:: max(1, len(group) // each)][:each]
    ]


def run_rest(corpus: list[Line], n: int) -> list[tuple[Line, Answer, bool]]:
    """`flowyte serve --demo` in its own process (bench/chat_turns.py's), one new chat
    session per line."""
    import tempfile

    import aiohttp

    sys.path.insert(0, str(ROOT / "bench"))
    from chat_turns import flowyte_demo

    async def drive(demo: dict[str, Any]) -> list[tuple[Line, Answer, bool]]:
        api = demo["urls"]["api"]
        out = []
        headers = {"Authorization": f"Bearer {demo['apiKey']}"}
        async with aiohttp.ClientSession(headers=headers) as http:
            for line in sample(corpus, n):
                async with http.post(
                    f"{api}/chat/sessions", json={"agentId": demo["agentId"]}
                ) as r:
                    session = (await r.json())["data"]["id"]
                url = f"{api}/chat/sessions/{session}/messages"
                async with http.post(url, json={"content": line.text}) as r:
                    payload = await r.json()
                if r.status >= 300:
                    raise SystemExit(f"POST {url}: {r.status} {payload}")
                answer = rest_answer(payload["data"])
                out.append((line, answer, judge(line.intent, answer)))
        return out

    with tempfile.TemporaryDirectory() as folder, flowyte_demo(Path(folder)) as demo:
        return asyncio.run(drive(demo))


def understanding_ms(corpus: list[Line], rounds: int = 5) -> float:
    """Milliseconds to understand one message (nlu.understand: intent, slots, mood), the
    best of `rounds` passes over the corpus, caches warm."""
    from core.engine.nlu import understand

    best = float("inf")
    for _ in range(rounds):
        started = time.perf_counter()  # wall clock: a benchmark timing itself
        for line in corpus:
            understand(line.text)
        best = min(best, time.perf_counter() - started)  # wall clock: a benchmark timing itself
    return 1000 * best / len(corpus)


def table(results: list[tuple[Line, Answer, bool]], title: str) -> str:
    total: Counter[str] = Counter()
    right: Counter[str] = Counter()
    misread: Counter[str] = Counter()
    for line, answer, ok in results:
        total[line.intent] += 1
        right[line.intent] += ok
        misread[line.intent] += misread_number(answer)
    rows = [f"{title}", f"{'intent':<22}{'lines':>6}{'right':>8}{'number misread':>16}"]
    for intent in INTENTS:
        if total[intent]:
            rows.append(
                f"{intent:<22}{total[intent]:>6}{100 * right[intent] / total[intent]:>7.0f}%"
                f"{misread[intent]:>16}"
            )
    return "\n".join(rows)


def rates(results: list[tuple[Line, Answer, bool]]) -> dict[str, float]:
    total: Counter[str] = Counter()
    right: Counter[str] = Counter()
    for line, _, ok in results:
        total[line.intent] += 1
        right[line.intent] += ok
    return {i: right[i] / total[i] for i in total}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--half", choices=("tune", "held-out", "all"), default="all")
    # --show prints lines: only ever the tune half's, so the held-out half stays unseen.
    parser.add_argument("--show", default="", help="print the wrong answers of this intent")
    parser.add_argument("--rest", type=int, default=0, help="also send a sample this big over REST")
    args = parser.parse_args()
    path = corpus_dir() / "utterances.csv"
    if not path.exists():
        print(f"no corpus at {path} (set FLOWYTE_BITEXT)", file=sys.stderr)
        return 2
    corpus = lines(path)
    results, elapsed, spent = asyncio.run(run_engine(corpus))
    halves = ("tune", "held-out") if args.half == "all" else (args.half,)
    for half in halves:
        print(table([r for r in results if r[0].half == half], f"== {half} half =="))
        print()
    if args.half == "all":
        print(table(results, "== both halves =="))
    print(
        f"\n{len(results)} messages in {elapsed:.2f} s: {1000 * elapsed / len(results):.2f} ms a "
        f"message (a whole first turn); verification attempts spent on a misread number: {spent}"
    )
    print(f"understanding alone: {understanding_ms(corpus):.3f} ms a message")
    if args.rest:
        over_rest = run_rest(corpus, args.rest)
        engine = {line.row: ok for line, _, ok in results}
        same = sum(engine[line.row] == ok for line, _, ok in over_rest)
        print()
        print(table(over_rest, f"== over REST: {len(over_rest)} lines =="))
        print(f"same verdict as straight through the engine: {same} of {len(over_rest)}")
        for line, answer, ok in over_rest:
            if engine[line.row] != ok:
                print(f"- differs [{line.row}] {line.text!r}\n    → {answer.reply}")
    if args.show:
        for line, answer, ok in results:
            if line.intent == args.show and not ok and line.half == "tune":
                print(f"- [{line.row}] {line.text!r}\n    → {answer.reply}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
