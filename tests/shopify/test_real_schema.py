"""Every GraphQL document the core sends is one Shopify's real Admin schema accepts
(tests/shopify/real_schema.py), both as written in the code and as sent over the wire; and
the check does catch a document Shopify would refuse."""

from __future__ import annotations

import importlib
import pkgutil
import re
from collections.abc import Iterable
from typing import Any

import pytest

import core
from core.shopify.queries import CHECK_QUERY, ORDERS_QUERY
from demostore import server as demo_server

from .conftest import connect
from .real_schema import problems

# A module-level string that opens like a GraphQL operation is a document the core may send.
_OPERATION = re.compile(r"^\s*(query|mutation|subscription)\b")


def documents_in(modules: Iterable[Any]) -> dict[str, str]:
    """Each GraphQL document held by a module-level string, by where it lives."""
    found: dict[str, str] = {}
    for module in modules:
        for name, value in vars(module).items():
            if isinstance(value, str) and _OPERATION.match(value) and value not in found.values():
                found[f"{module.__name__}.{name}"] = value
    return found


def core_modules() -> list[Any]:
    return [
        importlib.import_module(info.name)
        for info in pkgutil.walk_packages(core.__path__, "core.")
        # Migrations run on import, and __main__ starts a server: neither holds a query.
        if ".migrations" not in info.name and not info.name.endswith("__main__")
    ]


def refused(documents: dict[str, str]) -> dict[str, list[str]]:
    """The documents Shopify's schema refuses, with why."""
    return {where: found for where, doc in documents.items() if (found := problems(doc))}


def test_every_document_in_the_core_is_valid_for_shopify() -> None:
    documents = documents_in(core_modules())
    assert ORDERS_QUERY in documents.values() and CHECK_QUERY in documents.values()
    assert refused(documents) == {}


async def test_every_document_sent_to_a_store_is_valid_for_shopify(
    core, demo_store, monkeypatch
) -> None:
    sent: list[str] = []
    original = demo_server.run_graphql

    def recording(store: Any, app: str, query: str, *args: Any, **kwargs: Any) -> Any:
        sent.append(query)
        return original(store, app, query, *args, **kwargs)

    monkeypatch.setattr(demo_server, "run_graphql", recording)
    store = await demo_store()
    shop = await connect(core, store)
    assert await shop.lookup.by_name(shop.org_id, "#1001")
    assert await shop.lookup.check(shop.org_id)
    assert len(set(sent)) >= 2
    assert refused({f"request {i}": doc for i, doc in enumerate(sent)}) == {}


# The test of the test: a document asking for what Shopify does not have is refused.


def test_a_field_shopify_lacks_is_refused() -> None:
    wrong = ORDERS_QUERY.replace("displayStatus", "displayStatus trackingNumber")
    found = refused(documents_in([_Module("wrong", WRONG=wrong, RIGHT=ORDERS_QUERY)]))
    assert list(found) == ["wrong.WRONG"]
    [why] = found["wrong.WRONG"]
    assert why.startswith("Cannot query field 'trackingNumber' on type 'Fulfillment'.")


@pytest.mark.parametrize(
    ("document", "why"),
    [
        # Arguments the demo store used to accept, which no stable Admin version has.
        (
            'query { order(id: "gid://shopify/Order/1") { fulfillments(first: 1) '
            '{ events(first: 1, query: "status:DELIVERED") { nodes { status } } } } }',
            "Unknown argument 'query' on field 'Fulfillment.events'.",
        ),
        (
            'query { order(id: "gid://shopify/Order/1") { fulfillments(first: 1) '
            "{ events(first: 1, sortKey: RELEVANCE) { nodes { status } } } } }",
            "Value 'RELEVANCE' does not exist in 'FulfillmentEventSortKeys' enum.",
        ),
        ("query { orders { nodes { name } } }", None),  # valid: `first` is not required
        ("query { order { name } }", "Argument 'QueryRoot.order(id:)' of type 'ID!' is required"),
    ],
)
def test_shopify_refuses_what_it_does_not_have(document: str, why: str | None) -> None:
    found = problems(document)
    if why is None:
        assert found == []
    else:
        assert any(why in message for message in found), found


class _Module:
    """Stands in for a module of the core holding documents."""

    def __init__(self, name: str, **documents: str) -> None:
        self.__name__ = name
        self.__dict__.update(documents)
