"""Shopify's calculated query cost and the leaky bucket that spends it.

Cost (shopify.dev, "GraphQL Admin API rate limits"): scalars and enums cost 0, objects 1; a
connection costs 2 plus, for each of the `first`/`last` items it may return, the cost of one
item's selection; a list of objects is sized by its `first` argument. The *requested* cost is
computed from the query before it runs; the *actual* cost from what came back. Observed
Shopify behaviour kept here: an empty connection still counts one item (2 + 1).

The bucket (per app and store; here per access token, or per client for issued tokens) holds
`maximumAvailable` points and refills at `restoreRate` per second. A query is admitted only
if its requested cost fits in what is currently available; after it runs, the difference
between requested and actual cost is refunded.
"""

from __future__ import annotations

import math
import threading
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from graphql import (
    BooleanValueNode,
    DocumentNode,
    FieldNode,
    FragmentDefinitionNode,
    FragmentSpreadNode,
    GraphQLField,
    GraphQLObjectType,
    GraphQLSchema,
    InlineFragmentNode,
    IntValueNode,
    OperationDefinitionNode,
    SelectionSetNode,
    VariableNode,
    get_named_type,
    get_nullable_type,
    is_leaf_type,
    is_list_type,
    is_object_type,
)

# Shopify's defaults for a standard plan's app+store bucket.
DEFAULT_BUCKET_CAPACITY = 2000.0
DEFAULT_RESTORE_RATE = 100.0
# No single query may cost more than this, whatever the plan.
SINGLE_QUERY_MAX_COST = 1000

CONNECTION_BASE_COST = 2


@dataclass
class _Walk:
    schema: GraphQLSchema
    fragments: dict[str, FragmentDefinitionNode]
    variables: dict[str, Any]


def _walk_for(
    schema: GraphQLSchema,
    document: DocumentNode,
    operation: OperationDefinitionNode,
    variables: dict[str, Any] | None,
) -> _Walk:
    given = dict(variables or {})
    effective: dict[str, Any] = {}
    for definition in operation.variable_definitions or ():
        name = definition.variable.name.value
        if name in given:
            effective[name] = given[name]
        elif definition.default_value is not None:
            effective[name] = _constant(definition.default_value)
    fragments = {
        d.name.value: d for d in document.definitions if isinstance(d, FragmentDefinitionNode)
    }
    return _Walk(schema, fragments, effective)


def _constant(node: Any) -> Any:
    """The few literal kinds the cost model reads: ints (`first`, `last`) and booleans."""
    if isinstance(node, IntValueNode):
        return int(node.value)
    if isinstance(node, BooleanValueNode):
        return node.value
    return None


def _literal(walk: _Walk, node: Any) -> Any:
    if isinstance(node, VariableNode):
        return walk.variables.get(node.name.value)
    return _constant(node)


def _included(walk: _Walk, node: Any) -> bool:
    for directive in node.directives or ():
        name = directive.name.value
        if name not in ("skip", "include"):
            continue
        value = next(
            (_literal(walk, a.value) for a in directive.arguments if a.name.value == "if"), None
        )
        if name == "skip" and value is True:
            return False
        if name == "include" and value is not True:
            return False
    return True


def _collect(
    walk: _Walk, selection_sets: Iterable[SelectionSetNode], seen: set[str] | None = None
) -> dict[str, list[FieldNode]]:
    """Fields by response key, across fragments (the demo schema has no abstract types)."""
    out: dict[str, list[FieldNode]] = {}
    seen = set() if seen is None else seen
    for selection_set in selection_sets:
        for selection in selection_set.selections:
            if not _included(walk, selection):
                continue
            if isinstance(selection, FieldNode):
                key = selection.alias.value if selection.alias else selection.name.value
                out.setdefault(key, []).append(selection)
            elif isinstance(selection, InlineFragmentNode):
                for key, nodes in _collect(walk, [selection.selection_set], seen).items():
                    out.setdefault(key, []).extend(nodes)
            elif isinstance(selection, FragmentSpreadNode):
                name = selection.name.value
                fragment = walk.fragments.get(name)
                if fragment is None or name in seen:
                    continue
                for key, nodes in _collect(walk, [fragment.selection_set], seen | {name}).items():
                    out.setdefault(key, []).extend(nodes)
    return out


def _subsets(nodes: list[FieldNode]) -> list[SelectionSetNode]:
    return [n.selection_set for n in nodes if n.selection_set is not None]


def _arg(walk: _Walk, node: FieldNode, name: str) -> int | None:
    for argument in node.arguments or ():
        if argument.name.value == name:
            value = _literal(walk, argument.value)
            return value if isinstance(value, int) and not isinstance(value, bool) else None
    return None


def _field_def(type_: GraphQLObjectType, name: str) -> GraphQLField | None:
    return type_.fields.get(name)


def _is_connection(type_: Any) -> bool:
    return (
        is_object_type(type_)
        and type_.name.endswith("Connection")
        and "pageInfo" in type_.fields
        and ("nodes" in type_.fields or "edges" in type_.fields)
    )


def _connection_node_type(conn: GraphQLObjectType) -> GraphQLObjectType:
    node_type = get_named_type(conn.fields["nodes"].type)
    assert isinstance(node_type, GraphQLObjectType)
    return node_type


# ---------------------------------------------------------------------------------------------
# requested cost


def _requested_fields(walk: _Walk, type_: GraphQLObjectType, sets: list[SelectionSetNode]) -> int:
    total = 0
    for nodes in _collect(walk, sets).values():
        name = nodes[0].name.value
        if name.startswith("__"):
            total += 0 if name == "__typename" else 1
            continue
        field = _field_def(type_, name)
        if field is not None:
            total += _requested_field(walk, field, nodes)
    return total


def _requested_field(walk: _Walk, field: GraphQLField, nodes: list[FieldNode]) -> int:
    named = get_named_type(field.type)
    if is_leaf_type(named) or not isinstance(named, GraphQLObjectType):
        return 0
    sets = _subsets(nodes)
    if _is_connection(named):
        size = _arg(walk, nodes[0], "first")
        if size is None:
            size = _arg(walk, nodes[0], "last")
        return CONNECTION_BASE_COST + max(size or 0, 0) * _requested_item(walk, named, sets)
    per_object = 1 + _requested_fields(walk, named, sets)
    if is_list_type(get_nullable_type(field.type)):
        size = _arg(walk, nodes[0], "first") if "first" in field.args else None
        return (1 if size is None else max(size, 0)) * per_object
    return per_object


def _requested_item(walk: _Walk, conn: GraphQLObjectType, sets: list[SelectionSetNode]) -> int:
    node_type = _connection_node_type(conn)
    cost = 0
    for nodes in _collect(walk, sets).values():
        name = nodes[0].name.value
        if name == "nodes":
            cost += 1 + _requested_fields(walk, node_type, _subsets(nodes))
        elif name == "edges":
            for inner in _collect(walk, _subsets(nodes)).values():
                if inner[0].name.value == "node":
                    cost += 1 + _requested_fields(walk, node_type, _subsets(inner))
    return cost


def requested_cost(
    schema: GraphQLSchema,
    document: DocumentNode,
    operation: OperationDefinitionNode,
    variables: dict[str, Any] | None,
) -> int:
    """The cost Shopify computes from the query's shape before running it."""
    walk = _walk_for(schema, document, operation, variables)
    root = schema.query_type
    assert root is not None
    return _requested_fields(walk, root, [operation.selection_set])


# ---------------------------------------------------------------------------------------------
# actual cost


def _actual_fields(
    walk: _Walk, type_: GraphQLObjectType, sets: list[SelectionSetNode], value: Any
) -> int:
    if not isinstance(value, dict):
        return 0
    total = 0
    for key, nodes in _collect(walk, sets).items():
        name = nodes[0].name.value
        if name.startswith("__"):
            total += 0 if name == "__typename" or value.get(key) is None else 1
            continue
        field = _field_def(type_, name)
        if field is not None:
            total += _actual_field(walk, field, nodes, value.get(key))
    return total


def _actual_field(walk: _Walk, field: GraphQLField, nodes: list[FieldNode], value: Any) -> int:
    named = get_named_type(field.type)
    if value is None or is_leaf_type(named) or not isinstance(named, GraphQLObjectType):
        return 0
    sets = _subsets(nodes)
    if _is_connection(named):
        return CONNECTION_BASE_COST + _actual_items(walk, named, sets, value)
    if isinstance(value, list):
        return sum(
            1 + _actual_fields(walk, named, sets, item) for item in value if item is not None
        )
    return 1 + _actual_fields(walk, named, sets, value)


def _actual_items(
    walk: _Walk, conn: GraphQLObjectType, sets: list[SelectionSetNode], value: Any
) -> int:
    if not isinstance(value, dict):
        return 0
    node_type = _connection_node_type(conn)
    cost, selects_items = 0, False
    for key, nodes in _collect(walk, sets).items():
        name = nodes[0].name.value
        items = value.get(key) or []
        if name == "nodes":
            selects_items = True
            cost += sum(1 + _actual_fields(walk, node_type, _subsets(nodes), n) for n in items)
        elif name == "edges":
            selects_items = True
            for edge_key, inner in _collect(walk, _subsets(nodes)).items():
                if inner[0].name.value != "node":
                    continue
                for edge in items:
                    node = edge.get(edge_key) if isinstance(edge, dict) else None
                    if node is not None:
                        cost += 1 + _actual_fields(walk, node_type, _subsets(inner), node)
    return cost if cost or not selects_items else 1


def actual_cost(
    schema: GraphQLSchema,
    document: DocumentNode,
    operation: OperationDefinitionNode,
    variables: dict[str, Any] | None,
    data: Any,
) -> int:
    """The cost of what the query actually returned."""
    walk = _walk_for(schema, document, operation, variables)
    root = schema.query_type
    assert root is not None
    return _actual_fields(walk, root, [operation.selection_set], data)


# ---------------------------------------------------------------------------------------------
# the leaky bucket


class LeakyBucket:
    """Points available to one app on one store, refilling continuously."""

    def __init__(
        self,
        capacity: float,
        restore_rate: float,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.capacity = float(capacity)
        self.restore_rate = float(restore_rate)
        self._clock = clock
        self._available = self.capacity
        self._at = clock()

    def _refill(self) -> None:
        now = self._clock()
        elapsed = max(now - self._at, 0.0)
        self._available = min(self.capacity, self._available + elapsed * self.restore_rate)
        self._at = now

    @property
    def available(self) -> float:
        self._refill()
        return self._available

    def try_take(self, cost: float) -> bool:
        self._refill()
        if cost > self._available:
            return False
        self._available -= cost
        return True

    def give_back(self, points: float) -> None:
        self._refill()
        self._available = min(self.capacity, self._available + max(points, 0.0))

    def reset(self) -> None:
        self._available = self.capacity
        self._at = self._clock()

    def status(self) -> dict[str, Any]:
        """`throttleStatus` as Shopify writes it (floats for the fixed numbers)."""
        return {
            "maximumAvailable": self.capacity,
            "currentlyAvailable": math.floor(self.available),
            "restoreRate": self.restore_rate,
        }


class Buckets:
    """One bucket per app (access token or OAuth client), all with the same settings."""

    def __init__(
        self,
        capacity: float = DEFAULT_BUCKET_CAPACITY,
        restore_rate: float = DEFAULT_RESTORE_RATE,
        max_query_cost: int = SINGLE_QUERY_MAX_COST,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        if capacity <= 0 or restore_rate < 0 or max_query_cost <= 0:
            raise ValueError("bucket capacity and max query cost must be positive")
        self.capacity = float(capacity)
        self.restore_rate = float(restore_rate)
        self.max_query_cost = int(max_query_cost)
        self._clock = clock
        self._buckets: dict[str, LeakyBucket] = {}
        self._lock = threading.Lock()

    @property
    def single_query_limit(self) -> int:
        """The most one query may request: Shopify's 1000, or less for a smaller bucket."""
        return min(self.max_query_cost, math.floor(self.capacity))

    def get(self, key: str) -> LeakyBucket:
        with self._lock:
            bucket = self._buckets.get(key)
            if bucket is None:
                bucket = LeakyBucket(self.capacity, self.restore_rate, self._clock)
                self._buckets[key] = bucket
            return bucket

    def configure(
        self,
        capacity: float | None = None,
        restore_rate: float | None = None,
        max_query_cost: int | None = None,
    ) -> None:
        with self._lock:
            if capacity is not None:
                if capacity <= 0:
                    raise ValueError("bucket capacity must be positive")
                self.capacity = float(capacity)
            if restore_rate is not None:
                if restore_rate < 0:
                    raise ValueError("restore rate must not be negative")
                self.restore_rate = float(restore_rate)
            if max_query_cost is not None:
                if max_query_cost <= 0:
                    raise ValueError("max query cost must be positive")
                self.max_query_cost = int(max_query_cost)
            for bucket in self._buckets.values():
                bucket.capacity, bucket.restore_rate = self.capacity, self.restore_rate
                bucket.reset()

    def reset(self) -> None:
        with self._lock:
            for bucket in self._buckets.values():
                bucket.reset()

    def snapshot(self) -> dict[str, dict[str, Any]]:
        with self._lock:
            return {key: bucket.status() for key, bucket in self._buckets.items()}
