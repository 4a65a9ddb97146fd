"""Rules for guardrail policies and caller verification methods (contract field names)."""

from __future__ import annotations

from typing import Any

from .errors import InvalidArgument

DISCLOSURE_LEVELS = ("anyone", "verified")
DEFAULT_TOKEN_TTL_SECONDS = 900
DEFAULT_MAX_ATTEMPTS = 3

# Caps on what one conversation can make Flowyte do, whatever the agent's guardrails say
# (a merchant's rate_limit can only lower them). A request is one customer turn, or one
# /chat/completions call with every message it replays; a session is one conversation.
# Tool calls are store lookups and webhook skills actually run: an order asked about again
# within a request is answered from that request's own lookup, and costs nothing.
MAX_TOOL_CALLS_PER_REQUEST = 5
MAX_TOOL_CALLS_PER_SESSION = 50
# Model calls of the LLM brain: its tool rounds in one turn, and in a whole conversation
# (past it the built-in brain answers). A completion asks the model about its newest
# message only: the replayed ones are rebuilt by the built-in brain.
MAX_MODEL_CALLS_PER_REQUEST = 4
MAX_MODEL_CALLS_PER_SESSION = 100

# The rate_limit guardrail every new agent starts with (the merchant may change or remove
# it; the caps above still hold).
DEFAULT_RATE_LIMIT = {"toolCallsPerMinute": 20, "toolCallsPerConversation": 30}


def default_policies() -> list[dict[str, Any]]:
    """The guardrails of a new agent (contract field names)."""
    return [
        {
            "policy_type": "POLICY_TYPE_RATE_LIMIT",
            "config": dict(DEFAULT_RATE_LIMIT),
            "is_enabled": True,
        }
    ]


def normalise_policies(policies: list[dict[str, Any]]) -> list[dict[str, Any]]:
    for index, policy in enumerate(policies):
        where = f"guardrails[{index}]"
        kind = policy.get("policy_type", "POLICY_TYPE_UNSPECIFIED")
        if kind == "POLICY_TYPE_UNSPECIFIED":
            raise InvalidArgument("is required", field=f"{where}.policy_type")
        config = policy.setdefault("config", {})
        policy.setdefault("is_enabled", True)
        if kind == "POLICY_TYPE_VERIFY_BEFORE_DISCLOSE":
            for field, level in (config.get("fields") or {}).items():
                if level not in DISCLOSURE_LEVELS:
                    raise InvalidArgument(
                        "must be anyone or verified", field=f"{where}.config.fields.{field}"
                    )
        elif kind == "POLICY_TYPE_RATE_LIMIT":
            for limit in ("toolCallsPerMinute", "toolCallsPerConversation"):
                if limit in config and (
                    not isinstance(config[limit], int | float) or config[limit] < 1
                ):
                    raise InvalidArgument(
                        "must be a positive number", field=f"{where}.config.{limit}"
                    )
        elif kind == "POLICY_TYPE_CONTENT_POLICY":
            topics = config.get("bannedTopics", [])
            if not isinstance(topics, list) or not all(isinstance(t, str) for t in topics):
                raise InvalidArgument(
                    "must be a list of strings", field=f"{where}.config.bannedTopics"
                )
            if "redactPii" in config and not isinstance(config["redactPii"], bool):
                raise InvalidArgument("must be true or false", field=f"{where}.config.redactPii")
            turns = config.get("negativeTurnsBeforeHandoff", 1)
            if not isinstance(turns, int | float) or turns < 1:
                raise InvalidArgument(
                    "must be at least 1", field=f"{where}.config.negativeTurnsBeforeHandoff"
                )
        elif kind == "POLICY_TYPE_ALLOWED_FIELDS":
            fields = config.get("fields", [])
            if not isinstance(fields, list) or not all(isinstance(f, str) for f in fields):
                raise InvalidArgument(
                    "must be a list of field names", field=f"{where}.config.fields"
                )
    return policies


def normalise_methods(methods: list[dict[str, Any]]) -> list[dict[str, Any]]:
    seen: set[str] = set()
    for index, method in enumerate(methods):
        where = f"methods[{index}]"
        kind = method.get("method", "VERIFICATION_METHOD_UNSPECIFIED")
        if kind == "VERIFICATION_METHOD_UNSPECIFIED":
            raise InvalidArgument("is required", field=f"{where}.method")
        if kind in seen:
            raise InvalidArgument("each method may appear once", field=f"{where}.method")
        seen.add(kind)
        ttl = method.get("token_ttl_seconds") or DEFAULT_TOKEN_TTL_SECONDS
        attempts = method.get("max_attempts") or DEFAULT_MAX_ATTEMPTS
        if not 60 <= ttl <= 86400:
            raise InvalidArgument(
                "must be between 60 and 86400", field=f"{where}.token_ttl_seconds"
            )
        if not 1 <= attempts <= 10:
            raise InvalidArgument("must be between 1 and 10", field=f"{where}.max_attempts")
        method["token_ttl_seconds"], method["max_attempts"] = ttl, attempts
    return methods
