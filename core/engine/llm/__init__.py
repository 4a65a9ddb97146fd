"""The optional LLM brain: an OpenAI-compatible model, the agent's skills as tools, and the
guardrails in code around it (see brain.py)."""

from .brain import DEFAULT_TIMEOUT_SECONDS, LlmBrain
from .client import ChatModel, ModelEndpoint, ModelFailure, ModelReply, OpenAIChat, ToolCall

__all__ = [
    "DEFAULT_TIMEOUT_SECONDS",
    "ChatModel",
    "LlmBrain",
    "ModelEndpoint",
    "ModelFailure",
    "ModelReply",
    "OpenAIChat",
    "ToolCall",
]
