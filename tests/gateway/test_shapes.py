"""The gateway's own Struct walk answers what MessageToDict would, for any payload."""

from __future__ import annotations

from typing import Any

from google.protobuf import json_format, struct_pb2
from hypothesis import given
from hypothesis import strategies as st

from frontends.gateway.shapes import struct_to_rest

_LEAVES = (
    st.none()
    | st.booleans()
    | st.text(max_size=20)
    | st.floats(allow_nan=False, allow_infinity=False)
)
_VALUES = st.recursive(
    _LEAVES,
    lambda inner: (
        st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner, max_size=4)
    ),
    max_leaves=20,
)


@given(st.dictionaries(st.text(max_size=8), _VALUES, max_size=6))
def test_struct_to_rest_matches_message_to_dict(payload: dict[str, Any]) -> None:
    struct = struct_pb2.Struct()
    struct.update(payload)
    assert struct_to_rest(struct) == json_format.MessageToDict(struct)
