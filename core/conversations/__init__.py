"""Conversations and handoffs: sessions, turns through the brain, transcripts."""

from .handoffs import Handoffs
from .service import Completion, Conversations, Turn

__all__ = ["Completion", "Conversations", "Handoffs", "Turn"]
