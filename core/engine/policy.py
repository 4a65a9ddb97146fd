"""The served agent's rules, read once per turn from its AgentSnapshot document.

Secure when silent: a field no verify_before_disclose policy names is disclosed only to a
verified customer, a lookup skill that does not say otherwise requires verification, and a
verification method without limits gets the domain defaults (3 attempts, 900 seconds).
Enum values are accepted in the contract's form ("VERIFICATION_METHOD_ORDER_MATCH") and
in the REST form ("order_match").
"""

from __future__ import annotations

import re
from collections import OrderedDict
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from core.domain.business_hours import OpeningHours
from core.domain.guardrails import DEFAULT_MAX_ATTEMPTS, DEFAULT_TOKEN_TTL_SECONDS
from core.domain.provisioning import ORDER_FIELDS

from .wording import NEUTRAL, Wording, wording_for

ORDER_MATCH = "order_match"
CALLER_ID = "caller_id"
LOOKUP_ACTION = "lookup_order"
DEFAULT_NEGATIVE_TURNS = 2


@dataclass(frozen=True)
class Method:
    kind: str
    ttl_seconds: int
    max_attempts: int


@dataclass(frozen=True)
class LookupSkill:
    name: str
    enabled: bool
    requires_identity: bool
    channels: frozenset[str]  # empty: every channel

    def serves(self, channel: str) -> bool:
        return self.enabled and (not self.channels or channel in self.channels)


_RECENT_SIZE = 256
_RECENT: OrderedDict[int, tuple[Mapping[str, Any], AgentPolicy]] = OrderedDict()


@dataclass(frozen=True)
class AgentPolicy:
    agent_id: str
    display_name: str = ""
    greeting: str = ""
    persona: str = ""
    language: str = ""
    wording: Wording = NEUTRAL  # from the language's region: see .wording
    transfer_destination: str = ""
    lookup: LookupSkill | None = None
    # Fields that may reach a reply at all, and who may hear each.
    allowed_fields: frozenset[str] = frozenset(ORDER_FIELDS)
    disclosure: Mapping[str, str] = field(default_factory=dict)
    methods: Mapping[str, Method] = field(default_factory=dict)
    per_minute: int | None = None
    per_conversation: int | None = None
    banned_topics: tuple[str, ...] = ()
    redact_pii: bool = False
    negative_turns: int = DEFAULT_NEGATIVE_TURNS
    # Opening hours (None: always open), and what a handoff outside them says and does.
    hours: OpeningHours | None = None
    after_hours_action: str = ""
    after_hours_message: str = ""

    def staffed(self, now: datetime) -> bool:
        """Whether a person can take a conversation now."""
        return self.hours is None or self.hours.is_open(now)

    def banned_topic_in(self, text: str) -> str | None:
        """The first banned topic the text mentions (whole words, any case)."""
        for topic in self.banned_topics:
            if re.search(rf"(?<!\w){re.escape(topic)}(?!\w)", text, re.IGNORECASE):
                return topic
        return None

    def level(self, name: str) -> str:
        return self.disclosure.get(name, "verified")

    def fields_for(self, verified: bool) -> frozenset[str]:
        """What a customer may hear about an order: verified, every allowed field; not
        verified, only fields the merchant opened to anyone, and only when the lookup does
        not require a verified customer at all."""
        if verified:
            return self.allowed_fields
        if self.lookup is None or self.lookup.requires_identity:
            return frozenset()
        return frozenset(f for f in self.allowed_fields if self.level(f) == "anyone")

    @classmethod
    def of(cls, snapshot: Mapping[str, Any]) -> AgentPolicy:
        """`from_snapshot`, remembered per snapshot object. A published version is served
        from one cached snapshot that never changes, and reading it again was a tenth of a
        turn's own work. The entry keeps its snapshot alive, so the id cannot be reused."""
        key = id(snapshot)
        found = _RECENT.get(key)
        if found is not None and found[0] is snapshot:
            return found[1]
        policy = cls.from_snapshot(snapshot)
        _RECENT[key] = (snapshot, policy)
        if len(_RECENT) > _RECENT_SIZE:
            _RECENT.popitem(last=False)
        return policy

    @classmethod
    def from_snapshot(cls, snapshot: Mapping[str, Any]) -> AgentPolicy:
        agent = _mapping(snapshot.get("agent"))
        agent_id = _text(agent.get("id")) or _text(agent.get("name")).rpartition("/")[2]
        handoff = _mapping(agent.get("handoff_config"))

        lookup = None
        allowed = frozenset(ORDER_FIELDS)
        for skill in _list(snapshot.get("skills")):
            skill = _mapping(skill)
            config = _mapping(skill.get("execution_config"))
            if LOOKUP_ACTION not in (config.get("action"), skill.get("display_name")):
                continue
            lookup = LookupSkill(
                name=_text(skill.get("display_name")) or LOOKUP_ACTION,
                enabled=skill.get("is_enabled", True) is not False,
                requires_identity=skill.get("requires_verified_identity", True) is not False,
                channels=frozenset(_channel(c) for c in _list(skill.get("channels"))),
            )
            fields = [f for f in _list(skill.get("allowed_fields")) if isinstance(f, str)]
            if fields:
                allowed = frozenset(fields)
            break

        disclosure: dict[str, str] = {}
        hours = OpeningHours.from_settings(_mapping(agent.get("business_hours")), UTC)
        per_minute = per_conversation = None
        banned: list[str] = []
        redact = False
        negative_turns = DEFAULT_NEGATIVE_TURNS
        for policy in _list(snapshot.get("guardrails")):
            policy = _mapping(policy)
            kind = _enum(policy.get("policy_type"), "POLICY_TYPE_")
            if policy.get("is_enabled", True) is False:
                if kind == "business_hours":
                    hours = None  # the merchant switched after-hours behaviour off
                continue
            config = _mapping(policy.get("config"))
            if kind == "verify_before_disclose":
                for name, level in _mapping(config.get("fields")).items():
                    # Two policies disagreeing: the stricter one holds.
                    if disclosure.get(name) != "verified":
                        disclosure[name] = "anyone" if level == "anyone" else "verified"
            elif kind == "allowed_fields":
                listed = {f for f in _list(config.get("fields")) if isinstance(f, str)}
                allowed = allowed & listed
            elif kind == "rate_limit":
                per_minute = _smaller(per_minute, _positive(config.get("toolCallsPerMinute")))
                per_conversation = _smaller(
                    per_conversation, _positive(config.get("toolCallsPerConversation"))
                )
            elif kind == "content_policy":
                banned += [t.strip() for t in _list(config.get("bannedTopics")) if _text(t)]
                redact = redact or config.get("redactPii") is True
                negative_turns = (
                    _positive(config.get("negativeTurnsBeforeHandoff")) or negative_turns
                )

        methods: dict[str, Method] = {}
        for method in _list(snapshot.get("caller_verification")):
            method = _mapping(method)
            kind = _enum(method.get("method"), "VERIFICATION_METHOD_")
            if kind in (ORDER_MATCH, CALLER_ID):
                methods[kind] = Method(
                    kind,
                    _positive(method.get("token_ttl_seconds")) or DEFAULT_TOKEN_TTL_SECONDS,
                    _positive(method.get("max_attempts")) or DEFAULT_MAX_ATTEMPTS,
                )

        return cls(
            agent_id=agent_id,
            display_name=_text(agent.get("display_name")),
            greeting=_text(agent.get("greeting")),
            persona=_text(agent.get("persona")),
            language=_text(agent.get("language")),
            wording=wording_for(_text(agent.get("language"))),
            transfer_destination=_text(handoff.get("transfer_destination")),
            lookup=lookup,
            allowed_fields=allowed,
            disclosure=disclosure,
            methods=methods,
            per_minute=per_minute,
            per_conversation=per_conversation,
            banned_topics=tuple(banned),
            redact_pii=redact,
            negative_turns=negative_turns,
            hours=hours,
            after_hours_action=_text(_mapping(agent.get("after_hours")).get("action")),
            after_hours_message=_text(_mapping(agent.get("after_hours")).get("message")),
        )


def _mapping(value: Any) -> Mapping[str, Any]:
    return value if isinstance(value, Mapping) else {}


def _list(value: Any) -> list[Any]:
    return list(value) if isinstance(value, list | tuple) else []


def _text(value: Any) -> str:
    return value if isinstance(value, str) else ""


def _enum(value: Any, prefix: str) -> str:
    return _text(value).removeprefix(prefix).lower()


def _channel(value: Any) -> str:
    return _enum(value, "CHANNEL_")


def _positive(value: Any) -> int | None:
    if isinstance(value, bool) or not isinstance(value, int | float | str):
        return None
    try:
        number = int(float(value))
    except ValueError:
        return None
    return number if number >= 1 else None


def _smaller(a: int | None, b: int | None) -> int | None:
    return b if a is None else a if b is None else min(a, b)
