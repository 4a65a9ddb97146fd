"""The model port of the LLM brain, and its one adapter: any OpenAI-compatible server
through the `openai` package, always streamed.

The API key lives in a ModelEndpoint, whose repr hides it; it goes nowhere but the
client's Authorization header. Errors become ModelFailure with a coarse reason, never the
server's words (they are not ours to log, and they could echo what we sent).
"""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any, Protocol


class ModelFailure(Exception):
    """The model could not give a usable answer: the turn falls back to the built-in brain."""

    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason


@dataclass(frozen=True)
class ModelEndpoint:
    model: str
    base_url: str | None  # None: the openai package's default
    api_key: str = field(repr=False)

    def __repr__(self) -> str:  # the key never reaches a log line by accident
        return f"ModelEndpoint(model={self.model!r}, base_url={self.base_url!r})"


@dataclass(frozen=True)
class ToolCall:
    id: str
    name: str
    arguments: str  # the model's JSON text, unparsed


@dataclass
class ModelReply:
    deltas: list[str]
    tool_calls: list[ToolCall]
    finish_reason: str

    @property
    def text(self) -> str:
        return "".join(self.deltas)


# Told each piece of the answer's text the moment the model sends it.
OnText = Callable[[str], None]


class ChatModel(Protocol):
    async def complete(
        self,
        messages: Sequence[dict[str, Any]],
        tools: Sequence[dict[str, Any]],
        on_text: OnText | None = None,
    ) -> ModelReply:
        """One streamed chat completion, collected (and its text passed to `on_text` as it
        streams). Raises ModelFailure."""
        ...

    async def close(self) -> None: ...


class OpenAIChat:
    """ChatModel on an OpenAI-compatible server. One per turn; close() it after."""

    def __init__(self, endpoint: ModelEndpoint, timeout_seconds: float):
        # only agents with an LLM brain need the package
        from openai import AsyncOpenAI, DefaultAsyncHttpxClient

        self.endpoint = endpoint
        self._client = AsyncOpenAI(
            api_key=endpoint.api_key,
            base_url=endpoint.base_url,
            timeout=timeout_seconds,
            max_retries=0,  # the built-in brain is the retry
            # The package follows redirects by default, which would send the system prompt,
            # the customer's words and the key to any host a model server names, past the
            # allowed hosts checked on connect. A redirect is a failure (status_3xx) instead,
            # as in the Shopify client and the webhooks.
            http_client=DefaultAsyncHttpxClient(timeout=timeout_seconds, follow_redirects=False),
        )

    def __repr__(self) -> str:
        return f"OpenAIChat({self.endpoint!r})"

    async def close(self) -> None:
        await self._client.close()

    async def complete(
        self,
        messages: Sequence[dict[str, Any]],
        tools: Sequence[dict[str, Any]],
        on_text: OnText | None = None,
    ) -> ModelReply:
        import openai

        extra: dict[str, Any] = {"tools": list(tools)} if tools else {}
        deltas: list[str] = []
        calls: dict[int, dict[str, str]] = {}
        finish = ""
        try:
            stream: Any = await self._client.chat.completions.create(
                model=self.endpoint.model,
                messages=list(messages),  # type: ignore[arg-type]  # plain dicts, as sent
                stream=True,
                **extra,
            )
            async for chunk in stream:
                for choice in chunk.choices:
                    if choice.index != 0:
                        continue
                    delta = choice.delta
                    if delta.content:
                        deltas.append(delta.content)
                        if on_text is not None:
                            on_text(delta.content)
                    for fragment in delta.tool_calls or ():
                        call = calls.setdefault(
                            fragment.index, {"id": "", "name": "", "arguments": ""}
                        )
                        if fragment.id:
                            call["id"] = fragment.id
                        if fragment.function is not None:
                            if fragment.function.name:
                                call["name"] += fragment.function.name
                            if fragment.function.arguments:
                                call["arguments"] += fragment.function.arguments
                    if choice.finish_reason:
                        finish = choice.finish_reason
        except openai.APITimeoutError:
            raise ModelFailure("timeout") from None
        except openai.APIStatusError as exc:
            raise ModelFailure(f"status_{exc.status_code}") from None
        except openai.APIConnectionError:
            raise ModelFailure("connection") from None
        except (openai.OpenAIError, json.JSONDecodeError, ValueError, TypeError):
            raise ModelFailure("bad_response") from None
        tool_calls = [
            ToolCall(c["id"] or f"call_{i}", c["name"], c["arguments"])
            for i, c in sorted(calls.items())
        ]
        return ModelReply(deltas, tool_calls, finish)
