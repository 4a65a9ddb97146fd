"""A wrong factor on a real order against the same wrong factor on an order that does not
exist: both must answer in the same time, or the time tells a guesser which orders exist.

    python bench/verification_timing.py [--requests 400]

Two processes besides this client: the bundled demo store with 160 copies of #2001 under
new names (`chat_turns.py --serve-store`, its budget out of the way) and `flowyte serve
--demo` (core and REST gateway, SQLite in a temporary folder, its Shopify integration
reconnected to that store). The demo agent is given `maxAttempts: 10` and published, so
each copy takes ten distinct wrong guesses before it locks.

One `/chat/completions` request at a time, interleaved (one of each per round, in a fresh
random order; see `measure.drive_interleaved`):

- real order:    "Where is order #3001? My email is guess7@example.com" (a copy that exists);
- missing order: the same words about #7001 (no order of that name).

Every request names an (order, guess) pair of its own, so each is a new distinct wrong
factor: the full path an attacker pays for (the lock checked, the factor claimed, the store
asked, the comparison, the failure kept). Checked on every answer: the reply is the "couldn't
find order … with those details" answer for the order asked (not a lock, not a status). It
prints both medians side by side and their difference (real minus missing), and the median of
the paired differences of the same rounds. A benchmark, not a test: it always exits 0.
"""

from __future__ import annotations

import argparse
import asyncio
import itertools
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import aiohttp
from chat_turns import COPIES, STORE_TOKEN, child, flowyte_demo
from measure import Result, Timed, aborting, drive_interleaved, expect

MAX_ATTEMPTS = 10
MISSING = [f"#{7001 + i}" for i in range(len(COPIES))]


def guesses(orders: list[str]) -> Iterator[tuple[str, str]]:
    """(order, wrong email) pairs, each new: every order in turn, then the next guess."""
    for guess, order in itertools.product(range(MAX_ATTEMPTS), orders):
        yield order, f"guess{guess}@example.com"


async def run(demo: dict[str, Any], store: dict[str, Any], requests: int) -> list[Result]:
    api = demo["urls"]["api"]
    agent = demo["agentId"]
    headers = {"Authorization": f"Bearer {demo['apiKey']}"}
    async with aiohttp.ClientSession(headers=headers) as http:

        async def call(method: str, url: str, body: Any = None) -> Any:
            async with http.request(method, url, json=body) as response:
                payload = await response.json()
                expect(response.status < 300, f"{method} {url}", "a 2xx answer", payload)
                return payload

        await call(
            "POST",
            f"{api}/integrations/shopify/connect",
            {
                "credentials": {"shop": store["shop"], "access_token": STORE_TOKEN},
                "apiBaseUrl": store["url"],
            },
        )
        methods = (await call("GET", f"{api}/agents/{agent}/caller-verification"))["data"]
        for method in methods:
            method["maxAttempts"] = MAX_ATTEMPTS
        await call("PUT", f"{api}/agents/{agent}/caller-verification", {"methods": methods})
        await call("POST", f"{api}/agents/{agent}/publish", {"note": "timing bench"})

        def asking(pairs: Iterator[tuple[str, str]]) -> Timed[tuple[str, str]]:
            async def ask() -> tuple[str, str]:
                order, email = next(pairs)
                said = f"Where is order {order}? My email is {email}"
                answer = await call(
                    "POST",
                    f"{api}/chat/completions",
                    {"model": agent, "messages": [{"role": "user", "content": said}]},
                )
                return order, answer["choices"][0]["message"]["content"]

            def not_matched(answer: tuple[str, str]) -> None:
                order, reply = answer
                expect(
                    f"couldn't find order {order} with those details" in reply,
                    f"POST {api}/chat/completions ({order})",
                    f"the not-matched answer for {order}",
                    reply,
                )

            return Timed(ask, not_matched)

        real = guesses(list(COPIES))
        missing = guesses(MISSING)
        warmup = min(requests // 5, 50)
        available = len(COPIES) * MAX_ATTEMPTS
        if requests + warmup > available:
            raise SystemExit(f"at most {available - warmup} requests: each guess is new")
        calls = {"real order": asking(real), "missing order": asking(missing)}
        return await drive_interleaved(calls, requests, warmup)


def report(results: list[Result]) -> None:
    real, missing = results
    print(f"\n{'':16}{'p50 ms':>9}{'p90 ms':>9}")
    for result in results:
        print(f"{result.name:16}{result.percentile(0.5):9.3f}{result.percentile(0.9):9.3f}")
    paired = sorted(a - b for a, b in zip(real.latencies_ms, missing.latencies_ms, strict=True))
    print(
        f"\nreal - missing: {real.percentile(0.5) - missing.percentile(0.5):+.3f} ms (medians), "
        f"{paired[len(paired) // 2]:+.3f} ms (median of paired differences), "
        f"{len(paired)} rounds"
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--requests", type=int, default=400, help="timed calls of each kind")
    args = parser.parse_args()
    store_script = str(Path(__file__).with_name("chat_turns.py"))
    with (
        tempfile.TemporaryDirectory(prefix="flowyte-bench-") as tmp,
        child("--serve-store", script=store_script) as store,
        flowyte_demo(Path(tmp)) as demo,
    ):
        report(asyncio.run(run(demo, store, args.requests)))
    return 0


if __name__ == "__main__":
    sys.exit(aborting(main))
