"""Verification guesses are limited per organization, store and order, whichever way they
come in: every distinct wrong detail checked counts once, in the database; once `maxAttempts`
of them are counted in the window, no detail is checked at all (not even the right one), on
every path and for every agent of the organization. A wrong detail the customer already sent
costs nothing more when their conversation is sent again, so a customer who mistyped once is
not locked out by their own history."""

from __future__ import annotations

import asyncio
import itertools
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from core.store.attempts import LOCK_WINDOW_MS
from tests.llm.conftest import ScriptedLLM, llm

from .paths import (
    DISCLOSED,
    LOCKED,
    NOT_MATCHED,
    ORDER,
    ORDER_EMAIL,
    PATHS,
    RIGHT_ZIP,
    FactorSpy,
    Shop,
    factor_spy,
    guessing_model,
    shop,
    wrong_zip,
)

__all__ = ["factor_spy", "llm", "shop"]  # fixtures


def wrong_checked(spy: FactorSpy) -> set[str]:
    return {value for _, value, matched in spy.of(ORDER_EMAIL) if not matched}


async def test_guesses_in_earlier_messages_of_a_completion_count(
    shop: Shop, factor_spy: FactorSpy
) -> None:
    """The probe from the issue: two ZIP codes guessed in the earlier messages of every
    completion, resent with new guesses again and again. They count, so the order locks, and
    the right ZIP in an earlier message then discloses nothing."""
    for attempt in range(5):
        reply = await shop.complete(
            [
                f"where is order {ORDER}? my zip is {wrong_zip(2 * attempt)}",
                f"zip code {wrong_zip(2 * attempt + 1)}",
                "what is the status?",
            ]
        )
        assert DISCLOSED not in reply
    assert len(wrong_checked(factor_spy)) == 3

    told = await shop.complete([f"where is order {ORDER}? my zip is {RIGHT_ZIP}", "status?"])
    assert LOCKED in told and DISCLOSED not in told
    assert all(not matched for _, _, matched in factor_spy.of(ORDER_EMAIL))


async def test_a_mistyped_detail_resent_with_the_conversation_counts_once(
    shop: Shop, factor_spy: FactorSpy
) -> None:
    history = [
        f"where is order {ORDER}? my zip is {wrong_zip(1)}",
        f"sorry, it's {RIGHT_ZIP}",
    ]
    for _ in range(6):
        assert DISCLOSED in await shop.complete(history)
        history += ["and what is the status now?"]
    assert wrong_checked(factor_spy) == {wrong_zip(1)}
    # The history's mistake is one of the three: two more wrong guesses lock the order.
    assert NOT_MATCHED in await shop.complete([f"order {ORDER} zip {wrong_zip(2)}"])
    assert LOCKED in await shop.complete([f"order {ORDER} zip {wrong_zip(3)}"])
    assert LOCKED in await shop.complete([f"order {ORDER} zip {RIGHT_ZIP}"])


async def test_concurrent_guesses_cannot_outrun_the_lock(shop: Shop, factor_spy: FactorSpy) -> None:
    """Twelve guesses at once, over every path: the counting is claimed before a detail is
    compared, so no more than three are ever compared."""
    guesses = [
        shop.say(path, [f"where is order {ORDER}? my zip is {wrong_zip(n)}"], session=n)
        for n, path in enumerate(PATHS * 2)
    ]
    replies = await asyncio.gather(*guesses)
    assert len(wrong_checked(factor_spy)) == 3
    assert sum(LOCKED in reply for reply in replies) >= len(replies) - 3
    assert LOCKED in await shop.complete([f"order {ORDER}, zip {RIGHT_ZIP}"])


async def test_a_locked_order_stays_locked_on_every_path(shop: Shop, factor_spy: FactorSpy) -> None:
    for n in range(3):
        await shop.complete([f"order {ORDER}, zip {wrong_zip(n)}"])
    for path in PATHS:
        for agent in (0, 1):
            told = await shop.say(path, [f"where is order {ORDER}? my zip is {RIGHT_ZIP}"], agent)
            assert LOCKED in told and DISCLOSED not in told, (path, agent, told)
    assert [matched for _, _, matched in factor_spy.of(ORDER_EMAIL)] == [False] * 3

    # The window passes: the order opens again, to the right detail.
    shop.clock.advance(timedelta(milliseconds=LOCK_WINDOW_MS))
    assert DISCLOSED in await shop.complete([f"order {ORDER}, zip {RIGHT_ZIP}"])


async def test_every_agent_of_the_organization_shares_the_count(
    shop: Shop, factor_spy: FactorSpy
) -> None:
    """A second published agent is no second set of guesses for the same order."""
    await shop.say("rest", [f"where is order {ORDER}?", f"zip {wrong_zip(0)}"], agent=0)
    await shop.say("rest", [f"zip {wrong_zip(1)}"], agent=0)
    await shop.say("rest", [f"where is order {ORDER}? zip {wrong_zip(2)}"], agent=1)
    told = await shop.say("grpc_send", [f"where is order {ORDER}? zip {RIGHT_ZIP}"], agent=1)
    assert LOCKED in told and DISCLOSED not in told
    assert len(wrong_checked(factor_spy)) == 3


# --- the property ------------------------------------------------------------------------

WINDOW = timedelta(milliseconds=LOCK_WINDOW_MS)
EMAILS = [ORDER_EMAIL, *(f"guess{n}@example.com" for n in range(4))]
ZIPS = [RIGHT_ZIP, *(wrong_zip(n) for n in range(4))]


@dataclass(frozen=True)
class Request:
    path: str
    agent: int  # 0 and 1: the built-in brain; 2: the LLM, its model trying every detail
    session: int
    texts: tuple[str, ...]


@dataclass(frozen=True)
class Burst:
    """Requests sent at once (each on a session of its own)."""

    requests: tuple[Request, ...]


@dataclass(frozen=True)
class WindowPasses:
    pass


message = st.one_of(
    st.sampled_from(ZIPS).map(lambda z: f"where is order {ORDER}? my zip is {z}"),
    st.sampled_from(ZIPS).map(lambda z: f"zip code {z}"),
    st.sampled_from(EMAILS).map(lambda e: f"order {ORDER}, my email is {e}"),
    st.sampled_from(EMAILS),
    st.just("what is the status?"),
)
request = st.builds(
    Request,
    path=st.sampled_from(PATHS),
    agent=st.integers(0, 2),
    session=st.integers(0, 1),
    texts=st.lists(message, min_size=1, max_size=4).map(tuple),
)
step = st.one_of(
    request,
    st.lists(request, min_size=2, max_size=4).map(tuple).map(Burst),
    st.just(WindowPasses()),
)


def checks_per_window(spy: FactorSpy, cut: list[int]) -> list[list[tuple[str, str, bool]]]:
    """The order's checks, split where the window passed."""
    checks = spy.of(ORDER_EMAIL)
    bounds = [0, *cut, len(checks)]
    return [checks[a:b] for a, b in itertools.pairwise(bounds)]


@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(steps=st.lists(step, min_size=1, max_size=7))
async def test_no_way_of_spreading_guesses_checks_more_than_max_attempts(
    shop: Shop, factor_spy: FactorSpy, llm: ScriptedLLM, steps: list[Any]
) -> None:
    """Guesses spread over messages, requests, bursts, streamed and unary calls, sessions,
    agents (the LLM's tools among them) and lock windows: in each window at most
    maxAttempts (3) distinct wrong details are ever compared with the order, and once the
    third is, no other detail is compared in that window, not even the right one. (One of
    the three, claimed before the lock and sent twice at once, may finish its comparison
    after the third: it was counted already and tells nothing new.)"""
    llm.steps.clear()
    llm.script(*[guessing_model] * 10_000)
    shop.llm = llm
    await shop.open()
    factor_spy.checks.clear()
    cut: list[int] = []
    for item in steps:
        if isinstance(item, WindowPasses):
            shop.clock.advance(WINDOW)
            cut.append(len(factor_spy.of(ORDER_EMAIL)))
        elif isinstance(item, Burst):
            await asyncio.gather(
                *(
                    shop.say(r.path, list(r.texts), r.agent, session=10 + n)
                    for n, r in enumerate(item.requests)
                )
            )
        else:
            await shop.say(item.path, list(item.texts), item.agent, item.session)
    for checks in checks_per_window(factor_spy, cut):
        wrong: set[str] = set()
        for kind, value, matched in checks:
            detail = f"{kind}:{value}"
            assert len(wrong) < 3 or detail in wrong, ("compared after the lock", detail, checks)
            if not matched:
                wrong.add(detail)
