"""Conversations and handoffs: sessions, turns through the brain, transcripts."""

from .handoffs import Handoffs
from .records import Completion, Turn
from .service import Conversations

__all__ = ["Completion", "Conversations", "Handoffs", "Turn"]
