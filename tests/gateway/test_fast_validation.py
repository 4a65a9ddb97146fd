"""The gateway's fast verdict (jsonschema-rs) never lets through a body jsonschema refuses.

Bodies are drawn from each route's own schema, then bent: wrong types, missing and extra
fields, lengths and numbers at and past their bounds, wide integers, astral characters.
"""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from jsonschema import Draft202012Validator

from frontends.gateway.routes import ROUTES
from frontends.gateway.validation import _passes_fast_check

BODIES = {route.operation_id: route.body for route in ROUTES if route.body is not None}

_ANY_JSON = st.recursive(
    st.none()
    | st.booleans()
    | st.integers(min_value=-(2**70), max_value=2**70)
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(max_size=6),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=6), inner),
    max_leaves=8,
)


def _from(schema: Any) -> st.SearchStrategy[Any]:
    """Mostly what `schema` asks for, now and then anything at all."""
    return st.one_of(_fitting(schema), _fitting(schema), _ANY_JSON)


def _fitting(schema: Any) -> st.SearchStrategy[Any]:
    if not isinstance(schema, dict):
        return _ANY_JSON
    if "const" in schema:
        return st.just(schema["const"])
    if "enum" in schema:
        return st.sampled_from(schema["enum"])
    if "anyOf" in schema:
        return st.one_of([_from(option) for option in schema["anyOf"]])
    kind = schema.get("type")
    if isinstance(kind, list):
        return st.one_of([_fitting({**schema, "type": one}) for one in kind])
    if kind == "object":
        return _object(schema)
    if kind == "array":
        low = schema.get("minItems", 0)
        high = schema.get("maxItems", low + 3)
        return st.lists(_from(schema.get("items", {})), min_size=max(0, low - 1), max_size=high + 1)
    if kind == "string":
        low, high = schema.get("minLength", 0), schema.get("maxLength", 12)
        return st.text(min_size=max(0, low - 1), max_size=min(high + 1, 40))
    if kind in ("integer", "number"):
        low, high = schema.get("minimum", -(2**70)), schema.get("maximum", 2**70)
        edges = st.sampled_from([low - 1, low, high, high + 1, 2**64, 1.5, float(low)])
        return edges | st.integers(min_value=low - 2, max_value=high + 2)
    if kind == "boolean":
        return st.booleans() | st.sampled_from([0, 1])
    return _ANY_JSON


@st.composite
def _object(draw: st.DrawFn, schema: dict[str, Any]) -> Any:
    properties = schema.get("properties", {})
    body = {}
    for name, sub in properties.items():
        if name in schema.get("required", ()) or draw(st.booleans()):
            body[name] = draw(_from(sub))
    for name in draw(st.lists(st.sampled_from(list(properties) or ["x"]), max_size=1)):
        body.pop(name, None)  # now and then a required field goes missing
    if draw(st.integers(0, 9)) == 0:
        body[draw(st.text(max_size=6))] = draw(_ANY_JSON)  # and an unknown one appears
    return body


# Nested schemas (agents, skills) are slow to draw from; the checks themselves are not.
@pytest.mark.parametrize("operation", sorted(BODIES))
@settings(max_examples=40, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(data=st.data())
def test_the_fast_check_never_passes_a_body_jsonschema_refuses(
    operation: str, data: st.DataObject
) -> None:
    schema = BODIES[operation]
    body = data.draw(_from(schema))
    if _passes_fast_check(body, schema):
        errors = list(Draft202012Validator(schema).iter_errors(body))
        assert not errors, (body, [e.message for e in errors])


def test_the_fast_check_passes_what_the_routes_are_sent() -> None:
    assert _passes_fast_check({"content": "Where is order #1004?"}, BODIES["sendChatMessage"])
    assert not _passes_fast_check({"content": ""}, BODIES["sendChatMessage"])
    assert not _passes_fast_check({"content": 7}, BODIES["sendChatMessage"])
