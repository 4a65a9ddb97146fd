"""The speech tests share the voice tests' engines (tests/voice/conftest.py)."""

from tests.voice.conftest import GREETING, over_a_phone_line

__all__ = ["GREETING", "over_a_phone_line"]
