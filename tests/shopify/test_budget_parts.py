"""The client's parts on their own: search strings, the cost limiter, the circuit breaker,
single-flight, Retry-After, and credentials that never show themselves."""

from __future__ import annotations

import asyncio

import pytest

from core.shopify import search
from core.shopify.backoff import retry_after_seconds
from core.shopify.breaker import BreakerState, CircuitBreaker, CircuitOpen
from core.shopify.connection import StoreConnection, StoreCredentials
from core.shopify.limiter import BudgetExhausted, CostLimiter, QueryCost, ThrottleStatus
from core.shopify.singleflight import SingleFlight


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


# --- search strings ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("given", "query"),
    [
        ("1001", 'name:"#1001"'),
        ("#1001", 'name:"#1001"'),
        (" # 1001-A ", 'name:"#1001-A"'),
        ('1001" OR email:"*', 'name:"#1001\\"ORemail:\\"*"'),
        ("10\\01", 'name:"#10\\\\01"'),
    ],
)
def test_name_query_quotes_and_escapes(given, query):
    assert search.name_query(given) == query


def test_a_quoted_value_keeps_its_words_and_loses_control_characters():
    assert search.quoted('a"@b.c OR x') == '"a\\"@b.c OR x"'
    assert search.quoted("a\x00b@c.d\n") == '"ab@c.d"'


def test_same_order_name_is_exact_after_the_hash():
    assert search.same_order_name("#1001", "1001")
    assert search.same_order_name("#1001-A", "#1001-a")
    assert not search.same_order_name("#1001-A", "1001")
    assert not search.same_order_name("#10010", "#1001")
    assert not search.same_order_name(None, "#1001")
    assert search.order_name("###") == ""


# --- the cost limiter --------------------------------------------------------------------


def body(current: float, maximum: float = 100, rate: float = 10, requested: float = 20):
    return {
        "extensions": {
            "cost": {
                "requestedQueryCost": requested,
                "actualQueryCost": requested / 2,
                "throttleStatus": {
                    "maximumAvailable": maximum,
                    "currentlyAvailable": current,
                    "restoreRate": rate,
                },
            }
        }
    }


def test_query_cost_reads_extensions_and_tolerates_junk():
    cost = QueryCost.from_body(body(40))
    assert cost.requested == 20 and cost.actual == 10
    assert cost.throttle_status == ThrottleStatus(100, 40, 10)
    assert QueryCost.from_body(None) == QueryCost(None, None, None)
    junk = {"extensions": {"cost": {"throttleStatus": {"maximumAvailable": "x"}}}}
    assert QueryCost.from_body(junk).throttle_status is None


async def test_limiter_is_optimistic_then_follows_the_reported_bucket():
    clock = Clock()
    limiter = CostLimiter(clock)
    assert limiter.available() is None and limiter.expected_cost("q") == 0
    first = await limiter.acquire("q", cost=50, max_wait=0)  # nothing known: goes at once
    limiter.settle(first, QueryCost.from_body(body(30, requested=50)), "q")
    assert limiter.expected_cost("q") == 50 and limiter.expected_cost("other") == 50
    assert limiter.available() == 30
    assert limiter.wait_for(50) == pytest.approx(2.0)  # 20 short at 10/s
    clock.now += 1
    assert limiter.available() == 40
    clock.now += 100
    assert limiter.available() == 100  # capped at the maximum
    held = await limiter.acquire("q", max_wait=0)
    assert limiter.available() == 50  # in-flight cost counts against the estimate
    limiter.settle(held, None)
    limiter.settle(held, None)  # twice is harmless
    assert limiter.available() == 100


async def test_limiter_waits_rather_than_overspends():
    limiter = CostLimiter()
    first = await limiter.acquire("q", cost=10, max_wait=1)
    limiter.settle(first, QueryCost.from_body(body(5, maximum=100, rate=100, requested=10)), "q")
    loop = asyncio.get_running_loop()
    started = loop.time()
    second = await limiter.acquire("q", max_wait=1)  # needs 5 more points: ~50 ms at 100/s
    assert 0.03 <= loop.time() - started < 0.5
    limiter.settle(second, None)


async def test_limiter_gives_up_when_the_wait_would_pass_the_deadline():
    clock = Clock()
    limiter = CostLimiter(clock)
    first = await limiter.acquire("q", cost=10, max_wait=1)
    limiter.settle(first, QueryCost.from_body(body(0, rate=1, requested=10)), "q")
    with pytest.raises(BudgetExhausted) as raised:
        await limiter.acquire("q", max_wait=2)
    assert raised.value.wait_seconds == pytest.approx(10)


async def test_limiter_queues_others_behind_the_first_probe():
    limiter = CostLimiter()
    probe = await limiter.acquire("q", max_wait=1)
    waiter = asyncio.create_task(limiter.acquire("q", max_wait=1))
    await asyncio.sleep(0.02)
    assert not waiter.done()
    limiter.settle(probe, QueryCost.from_body(body(90, requested=10)), "q")
    second = await asyncio.wait_for(waiter, 1)
    assert not second.probe
    assert second.cost == 10  # the cost the probe's answer taught, not the unknown 0
    limiter.settle(second, None)


async def test_a_probe_that_learns_nothing_stops_the_queueing():
    limiter = CostLimiter()
    probe = await limiter.acquire("q", max_wait=1)
    waiter = asyncio.create_task(limiter.acquire("q", max_wait=1))
    await asyncio.sleep(0.01)
    limiter.settle(probe, None)  # e.g. a timeout: no throttle status
    second = await asyncio.wait_for(waiter, 1)
    third = await asyncio.wait_for(limiter.acquire("q", max_wait=1), 0.1)  # no second probe
    assert not second.probe and not third.probe


async def test_an_older_report_arriving_late_does_not_overstate_the_bucket():
    limiter = CostLimiter(Clock())
    probe = await limiter.acquire("q", cost=10, max_wait=0)
    limiter.settle(probe, QueryCost.from_body(body(100, requested=10)), "q")
    a = await limiter.acquire("q", max_wait=0)
    b = await limiter.acquire("q", max_wait=0)
    # The store charged A then B, but B's answer arrives first and A's (older) one last.
    limiter.settle(b, QueryCost.from_body(body(90, requested=10)), "q")
    limiter.settle(a, QueryCost.from_body(body(95, requested=10)), "q")
    available = limiter.available()
    assert available is not None and available <= 90


async def test_limiter_pause_holds_everyone():
    limiter = CostLimiter()
    limiter.pause(0.05)
    loop = asyncio.get_running_loop()
    started = loop.time()
    held = await limiter.acquire("q", cost=1, max_wait=1)
    assert loop.time() - started >= 0.04
    limiter.settle(held, None)


# --- the circuit breaker ----------------------------------------------------------------


def test_breaker_opens_after_consecutive_failures_and_half_opens_after_cooldown():
    clock = Clock()
    breaker = CircuitBreaker(threshold=3, cooldown=10, clock=clock)
    for _ in range(2):
        breaker.before_call()
        breaker.record_failure()
    breaker.record_success()  # a success resets the streak
    for _ in range(3):
        breaker.before_call()
        breaker.record_failure()
    assert breaker.state is BreakerState.OPEN
    with pytest.raises(CircuitOpen):
        breaker.before_call()
    clock.now += 10
    assert breaker.state is BreakerState.HALF_OPEN
    breaker.before_call()  # the one trial
    with pytest.raises(CircuitOpen):
        breaker.before_call()  # no second trial while the first runs
    breaker.record_failure()
    assert breaker.state is BreakerState.OPEN
    clock.now += 10
    breaker.before_call()
    breaker.record_success()
    assert breaker.state is BreakerState.CLOSED
    breaker.before_call()


# --- single flight -----------------------------------------------------------------------


async def test_single_flight_shares_running_calls_and_forgets_finished_ones():
    flights: SingleFlight[int] = SingleFlight()
    calls = 0
    gate = asyncio.Event()

    async def work() -> int:
        nonlocal calls
        calls += 1
        await gate.wait()
        return calls

    waiting = [asyncio.create_task(flights.run("k", work)) for _ in range(5)]
    await asyncio.sleep(0.01)
    assert flights.in_flight("k")
    gate.set()
    assert await asyncio.gather(*waiting) == [1] * 5
    assert not flights.in_flight("k")
    assert await flights.run("k", work) == 2  # later: a fresh call, never a cached answer


async def test_single_flight_survives_one_caller_cancelling():
    flights: SingleFlight[str] = SingleFlight()
    gate = asyncio.Event()

    async def work() -> str:
        await gate.wait()
        return "done"

    first = asyncio.create_task(flights.run("k", work))
    second = asyncio.create_task(flights.run("k", work))
    await asyncio.sleep(0.01)
    first.cancel()
    gate.set()
    assert await second == "done"


async def test_single_flight_survives_a_waiter_cancelling_and_runs_once():
    flights: SingleFlight[str] = SingleFlight()
    gate = asyncio.Event()
    runs = 0

    async def work() -> str:
        nonlocal runs
        runs += 1
        await gate.wait()
        return "done"

    first = asyncio.create_task(flights.run("k", work))
    await asyncio.sleep(0)  # the first caller is running it
    waiters = [asyncio.create_task(flights.run("k", work)) for _ in range(2)]
    await asyncio.sleep(0.01)
    waiters[0].cancel()
    gate.set()
    assert await first == "done" and await waiters[1] == "done"
    assert waiters[0].cancelled()
    assert runs == 1


# --- Retry-After and credentials --------------------------------------------------------


def test_retry_after_reads_seconds_and_dates_and_caps_them():
    assert retry_after_seconds("2") == 2
    assert retry_after_seconds("1.5") == 1.5
    assert retry_after_seconds(None) is None and retry_after_seconds("soon") is None
    assert retry_after_seconds("-4") == 0
    assert retry_after_seconds("99999") == 60
    assert retry_after_seconds("Wed, 21 Oct 2015 07:28:10 GMT", now=1445412480.0) == 10


def test_credentials_never_show_themselves():
    secret = "shpat_CANARY_never_show_1234"
    creds = StoreCredentials(access_token=secret, client_id="id", client_secret=secret)
    conn = StoreConnection.for_shop("int_1", "a.myshopify.com", creds)
    for text in (repr(creds), str(creds), repr(conn), str(conn), f"{conn}"):
        assert secret not in text
    assert conn.base_url == "https://a.myshopify.com"
    assert conn.graphql_url == "https://a.myshopify.com/admin/api/2026-10/graphql.json"
    demo = StoreConnection.for_shop("int_1", "a.myshopify.com", creds, "http://127.0.0.1:9/")
    assert demo.token_url == "http://127.0.0.1:9/admin/oauth/access_token"
    pinned = StoreConnection.for_shop("int_1", "a.myshopify.com", creds, api_version="2026-04")
    assert pinned.graphql_url == "https://a.myshopify.com/admin/api/2026-04/graphql.json"
