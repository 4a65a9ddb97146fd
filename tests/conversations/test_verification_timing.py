"""A wrong detail on a real order and a detail on an order that does not exist do the same
work in a real core, on SQLite and PostgreSQL: the same store call, the same ledger claim,
the same SQL, the same answer, and the same hold until the store's usual lookup time (see
core/engine/pacing.py). Their timing is measured, not tested: bench/verification_timing.py."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import pytest
from sqlalchemy import event

from core.engine.pacing import Pacer, Start
from core.shopify.lookup import OrderLookup

from .paths import Shop, shop

__all__ = ["shop"]  # fixtures


class Work:
    """What a request made the core do, in order."""

    def __init__(self) -> None:
        self.done: list[str] = []

    def note(self, what: str) -> None:
        self.done.append(re.sub(r"\b(2008|9008)\b", "N", what))


@pytest.fixture
def work(shop: Shop, monkeypatch: pytest.MonkeyPatch) -> Iterator[Work]:
    recorded = Work()
    by_name = OrderLookup.by_name
    settle = Pacer.settle

    async def store_call(self: OrderLookup, org_id: str, order_name: str) -> Any:
        recorded.note(f"store: orders named {order_name}")
        return await by_name(self, org_id, order_name)

    async def held(self: Pacer, begun: Start) -> None:
        recorded.note("held until the store's usual lookup time")
        await settle(self, begun)

    def statement(_conn: Any, _cursor: Any, sql: str, *_: Any) -> None:
        recorded.note("sql: " + " ".join(sql.split()))

    monkeypatch.setattr(OrderLookup, "by_name", store_call)
    monkeypatch.setattr(Pacer, "settle", held)
    engine = shop.core.handle.runtime.engine.sync_engine
    event.listen(engine, "before_cursor_execute", statement)
    yield recorded
    event.remove(engine, "before_cursor_execute", statement)


async def test_a_wrong_detail_and_a_missing_order_do_the_same_work(shop: Shop, work: Work) -> None:
    # Warm-up: the agent and the store's connection are read, the first answer records the
    # API version the store answered in, and the next request reads the connection again.
    for _ in range(2):
        await shop.complete(["order #2011, zip 10001"])
    done: dict[str, list[str]] = {}
    replies: dict[str, str] = {}
    for order in ("#2008", "#9008"):  # #2008 is in the demo store; #9008 is not
        work.done.clear()
        replies[order] = await shop.complete([f"order {order}, zip 10001"])
        done[order] = list(work.done)
    assert replies["#2008"] == replies["#9008"].replace("#9008", "#2008")
    assert done["#2008"] == done["#9008"]
    assert done["#2008"].count("store: orders named #N") == 1
    assert done["#2008"].count("held until the store's usual lookup time") == 1
    assert any(s.startswith("sql: INSERT INTO verification_failures") for s in done["#2008"])
