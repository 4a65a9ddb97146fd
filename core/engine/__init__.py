"""The dialogue engine: a customer's words in, a verified, guarded reply out."""

from .builtin import BuiltinBrain
from .policy import AgentPolicy
from .redaction import redact
from .turn import (
    AttemptsPort,
    Brain,
    HandoffRequest,
    OrderPort,
    TurnContext,
    TurnEvent,
    TurnResult,
)

__all__ = [
    "AgentPolicy",
    "AttemptsPort",
    "Brain",
    "BuiltinBrain",
    "HandoffRequest",
    "OrderPort",
    "TurnContext",
    "TurnEvent",
    "TurnResult",
    "redact",
]
