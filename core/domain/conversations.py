"""Rules of a conversation that need no database or network: what a customer may send,
how a reply is cut into deltas, how tokens are counted, what a stored payload may hold."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator, Mapping
from typing import Any

from core import jsontext

from .errors import InvalidArgument

MAX_CONTENT = 4000
# A stateless completion replays every customer message through the brain: bound the work.
MAX_REPLAYED_MESSAGES = 100

CHANNELS = ("chat", "widget", "voice", "api")
HANDOFF_STATUSES = ("open", "claimed", "closed")
EVENT_TYPES = (
    "user_utterance",
    "agent_message",
    "tool_call",
    "guardrail",
    "verification",
    "handoff",
    "barge_in",
    "latency",
    "filler",
    "call_started",
    "call_ended",
    "error",
    "reply_interrupted",
    "no_input",
    "transfer_result",
)
CHAT_ROLES = ("system", "user", "assistant", "tool")

_TOKEN = re.compile(r"\w+|[^\w\s]", re.UNICODE)
_DELTA = re.compile(r"\S+\s*|\s+")


def content(text: str, field: str = "content") -> str:
    """What a customer (or a person replying) sends: 1 to 4000 characters, not blank."""
    if not text or not text.strip():
        raise InvalidArgument("must not be empty", field=field)
    if len(text) > MAX_CONTENT:
        raise InvalidArgument(f"must have at most {MAX_CONTENT} characters", field=field)
    return text


def count_tokens(text: str) -> int:
    """The built-in tokenizer: words and punctuation marks. Not a model's, but stable."""
    return len(_TOKEN.findall(text))


def deltas(text: str, words_per_delta: int = 3) -> Iterator[str]:
    """The reply in small pieces (a few words each, whitespace kept), joining back to it."""
    pieces = _DELTA.findall(text)
    for start in range(0, len(pieces), words_per_delta):
        yield "".join(pieces[start : start + words_per_delta])


def user_messages(messages: list[tuple[str, str]]) -> list[str]:
    """The customer's own words from an OpenAI-style message list. Only these rebuild the
    dialogue: system, assistant and tool messages are the caller's to write, so anything
    they claim ("you are verified") must change nothing."""
    if not messages:
        raise InvalidArgument("at least one message is required", field="messages")
    spoken = []
    for index, (role, text) in enumerate(messages):
        if role not in CHAT_ROLES:
            raise InvalidArgument(
                "must be one of: " + ", ".join(CHAT_ROLES), field=f"messages[{index}].role"
            )
        if role == "user":
            spoken.append(content(text, f"messages[{index}].content"))
    if not spoken:
        raise InvalidArgument("at least one user message is required", field="messages")
    if len(spoken) > MAX_REPLAYED_MESSAGES:
        raise InvalidArgument(f"at most {MAX_REPLAYED_MESSAGES} user messages", field="messages")
    return spoken


def json_safe(payload: Mapping[str, Any]) -> dict[str, Any]:
    """A payload as plain JSON (dates and other objects become strings)."""
    return dict(jsontext.plain(dict(payload)))


def redact_payload(value: Any, redact: Callable[[str], str]) -> Any:
    """Every string in a payload passed through `redact`; keys and structure kept."""
    if isinstance(value, str):
        return redact(value)
    if isinstance(value, Mapping):
        return {k: redact_payload(v, redact) for k, v in value.items()}
    if isinstance(value, list):
        return [redact_payload(v, redact) for v in value]
    return value


def redacts_pii(snapshot: Mapping[str, Any]) -> bool:
    """Whether an enabled content_policy of the served version says redactPii."""
    for policy in snapshot.get("guardrails") or []:
        if (
            policy.get("policy_type") == "POLICY_TYPE_CONTENT_POLICY"
            and policy.get("is_enabled", True)
            and (policy.get("config") or {}).get("redactPii") is True
        ):
            return True
    return False


# --- calls ---------------------------------------------------------------------------------

MAX_DTMF = 64
_DTMF = re.compile(r"[0-9*#A-Da-d]+")
# Words a merchant may write in a transfer rule's `when`, by the handoff reason they mean.
_REASON_WORDS = {
    "angry": "negative_sentiment",
    "upset": "negative_sentiment",
    "negative": "negative_sentiment",
    "sentiment": "negative_sentiment",
    "person": "requested",
    "human": "requested",
    "agent": "requested",
    "request": "requested",
    "delay": "delayed",
    "late": "delayed",
    "damage": "damaged",
    "broken": "damaged",
    "missing": "lost",
    "not_received": "lost",
    "failed": "failed_delivery",
    "redelivery": "failed_delivery",
    "attempt": "failed_delivery",
    "locked_out": "locked",
    "lock": "locked",
    "confused": "misunderstanding",
    "silence": "no_response",
    "silent": "no_response",
}


def dtmf_digits(digits: str, field: str = "dtmf_digits") -> str:
    """Keyed digits: 0-9, *, # and A-D, at most MAX_DTMF of them."""
    if not digits or not _DTMF.fullmatch(digits):
        raise InvalidArgument("must be DTMF digits: 0-9, *, # or A-D", field=field)
    if len(digits) > MAX_DTMF:
        raise InvalidArgument(f"must have at most {MAX_DTMF} digits", field=field)
    return digits.upper()


def transfer_for(
    snapshot: Mapping[str, Any], reason: str, chosen: str = ""
) -> tuple[str, bool] | None:
    """Where a call handed off for `reason` goes, and whether warm: the first of the agent's
    transfer rules whose `when` names the reason, else the brain's choice, else the default
    destination; None when the agent has none (the handoff still stands)."""
    config = (snapshot.get("agent") or {}).get("handoff_config") or {}
    warm = bool(config.get("warm", False))
    wanted = reason.strip().lower()
    for rule in config.get("transfer_rules") or []:
        when = re.sub(r"[\s-]+", "_", str(rule.get("when", "")).strip().lower())
        if when and rule.get("destination") and _REASON_WORDS.get(when, when) == wanted:
            return str(rule["destination"]), warm
    destination = chosen or str(config.get("transfer_destination") or "")
    return (destination, warm) if destination else None
