"""A guardrail's settings come two ways: typed (GuardrailPolicy's `settings` oneof, one
message per policy type) and as the deprecated `config` Struct. They are the same thing: the
Struct's keys are the typed messages' JSON names (`toolCallsPerMinute`, ...).

The store keeps the Struct's JSON, so documents stored before the oneof existed (and
published versions, whose diffs compare documents) read as they always did, and the engine
reads one form only. A request may carry either; carrying both, they must agree, so that a
policy list read and written back by any client is accepted, and a change made to one form
only is refused rather than silently lost. Every answer fills both.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any

from google.protobuf import json_format
from google.protobuf.message import Message

import flowyte.v1.guardrail_service_pb2 as pb
from core.domain import guardrails as rules
from core.domain.errors import InvalidArgument

from .convert import to_document

_SETTINGS = "settings"
_TYPED = frozenset(f.name for f in pb.GuardrailPolicy.DESCRIPTOR.oneofs_by_name[_SETTINGS].fields)


def typed_field(policy_type: int) -> str | None:
    """The oneof member of a policy type: POLICY_TYPE_RATE_LIMIT → `rate_limit`."""
    if policy_type not in pb.PolicyType.values():
        return None
    name = pb.PolicyType.Name(policy_type).removeprefix("POLICY_TYPE_").lower()
    return name if name in _TYPED else None


def stored_policies(policies: Sequence[pb.GuardrailPolicy]) -> list[dict[str, Any]]:
    """A request's policies as the store keeps them, checked by the domain's rules. A rule
    broken inside typed settings names the typed field the caller set, not `config`."""
    documents = [_stored(policy, f"guardrails[{index}]") for index, policy in enumerate(policies)]
    try:
        return rules.normalise_policies(documents)
    except InvalidArgument as error:
        for violation in error.fields:
            violation.field = _as_sent(violation.field, policies)
        raise


_CONFIG_PATH = re.compile(r"guardrails\[(\d+)\]\.config\.(\w+)(.*)")


def _as_sent(field: str, policies: Sequence[pb.GuardrailPolicy]) -> str:
    """`guardrails[0].config.toolCallsPerMinute` → `guardrails[0].rate_limit.
    tool_calls_per_minute` when the caller set the typed settings."""
    match = _CONFIG_PATH.fullmatch(field)
    if match is None:
        return field
    index, key, rest = int(match[1]), match[2], match[3]
    given = policies[index].WhichOneof(_SETTINGS)
    if given is None:
        return field
    by_json = {f.json_name: f.name for f in getattr(policies[index], given).DESCRIPTOR.fields}
    return f"guardrails[{index}].{given}.{by_json.get(key, key)}{rest}"


def _stored(policy: pb.GuardrailPolicy, where: str) -> dict[str, Any]:
    """The request's policy as the store keeps it: typed settings become `config`."""
    document = to_document(policy)
    given = policy.WhichOneof(_SETTINGS)
    if given is None:
        return document
    typed = getattr(policy, given)
    expected = typed_field(policy.policy_type)
    if expected is not None and given != expected:
        raise InvalidArgument(
            f"are settings of another policy type; this one takes {expected}",
            field=f"{where}.{given}",
        )
    if policy.HasField("config") and _read(policy.config, type(typed)) != typed:
        raise InvalidArgument(
            f"disagrees with {given}: set one of them (config is deprecated)",
            field=f"{where}.config",
        )
    del document[given]
    document["config"] = json_format.MessageToDict(typed)
    return document


def answered(policy: pb.GuardrailPolicy) -> pb.GuardrailPolicy:
    """The policy with its typed settings filled from `config`, in place; left unset when
    the stored config does not fit them (then `config` alone carries it)."""
    name = typed_field(policy.policy_type)
    if name is None:
        return policy
    typed = _read(policy.config, type(getattr(policy, name)))
    if typed is not None:
        getattr(policy, name).CopyFrom(typed)
        getattr(policy, name).SetInParent()  # settings with nothing in them are still set
    return policy


def _read(config: Message, message_type: type[Message]) -> Message | None:
    """A Struct config as the typed message; None when a value does not fit its field."""
    typed = message_type()
    try:
        return json_format.ParseDict(
            json_format.MessageToDict(config), typed, ignore_unknown_fields=True
        )
    except json_format.ParseError:
        return None
