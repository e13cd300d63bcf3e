"""The AI client: the official `openai` client against OpenAI or any OpenAI-compatible server.

Two calls: `stream_reply` (a reply draft streamed token by token, for st.write_stream) and
`extract_order` (an order draft as structured output, validated by Pydantic). Both raise AIError on
failure. Settings are passed in; nothing here reads the environment. The prompt builders, the order
draft models and AIError live in prompts.py and errors.py and are re-exported here.
"""

from __future__ import annotations

import math
import re
import time
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any, Protocol

import openai
import pydantic

from ai.errors import AIError, to_ai_error
from ai.prompts import PROMPT_VERSIONS, OrderDraftOut, OrderLineOut, order_messages, reply_messages

__all__ = [
    "PROMPT_VERSIONS",
    "AIError",
    "AISettings",
    "ExtractResult",
    "OrderDraftOut",
    "OrderLineOut",
    "ReplyStream",
    "estimate_tokens",
    "extract_order",
    "make_client",
    "order_messages",
    "reply_messages",
    "stream_reply",
    "to_ai_error",
]

OPENAI_BASE_URL = "https://api.openai.com/v1"
# tiktoken needs to download its encodings, which this deployment cannot do. When a server sends no
# usage, tokens are estimated at one token per 4 characters (OpenAI's rule of thumb for English; close
# enough for Spanish/Portuguese chat), rounded up, and the row is flagged as estimated.
CHARS_PER_TOKEN = 4


class AISettingsLike(Protocol):
    api_key: str | None
    base_url: str | None
    model: str
    timeout_s: float
    max_retries: int


@dataclass(frozen=True)
class AISettings:
    """What the AI client needs; build it from core.config with `AISettings.from_settings`."""

    api_key: str | None
    base_url: str | None = None
    model: str = "gpt-4o-mini"
    timeout_s: float = 30.0
    max_retries: int = 2

    @classmethod
    def from_settings(cls, settings: Any) -> AISettings:
        """Returns the AI part of core.config.Settings (fields openai_* and ai_*)."""
        return cls(
            api_key=settings.openai_api_key,
            base_url=settings.openai_base_url,
            model=settings.openai_model,
            timeout_s=settings.ai_timeout_s,
            max_retries=settings.ai_max_retries,
        )


def make_client(settings: AISettingsLike) -> openai.OpenAI:
    """Returns an OpenAI client with the settings' key, base URL, timeout (seconds) and retry count.

    Raises AIError(kind="auth") without an API key: callers use the offline drafter instead.
    """
    if not settings.api_key:
        raise AIError("auth", "no API key configured")
    return openai.OpenAI(
        api_key=settings.api_key,
        # explicit, so the client never falls back to OPENAI_BASE_URL behind the settings' back
        base_url=settings.base_url or OPENAI_BASE_URL,
        timeout=settings.timeout_s,
        max_retries=settings.max_retries,
    )


def estimate_tokens(text: str) -> int:
    """Returns the estimated token count of `text`: ceil(characters / 4)."""
    return math.ceil(len(text) / CHARS_PER_TOKEN)


def _prompt_text(messages: list[dict]) -> str:
    return "".join(m["content"] for m in messages if isinstance(m.get("content"), str))


def _elapsed_ms(started: float) -> int:
    return round((time.monotonic() - started) * 1000)


class ReplyStream:
    """An iterable of text deltas (pass it to st.write_stream), readable once.

    After the iteration ends: `.text`, `.input_tokens`, `.output_tokens`, `.tokens_estimated` (True
    when the server sent no usage), `.latency_ms`, `.finish_reason`, `.done`. A cut-off answer raises
    AIError("truncated") and a refused one AIError("refusal") at the end, with `.text` holding what came.
    """

    def __init__(self, stream: openai.Stream, prompt_text: str, started: float) -> None:
        self._stream = stream
        self._prompt_text = prompt_text
        self._started = started
        self._read = False
        self.text = ""
        self.input_tokens: int | None = None
        self.output_tokens: int | None = None
        self.tokens_estimated = False
        self.latency_ms: int | None = None
        self.finish_reason: str | None = None
        self.done = False

    def __iter__(self) -> Iterator[str]:
        if self._read:
            raise RuntimeError("a ReplyStream can be read only once")
        self._read = True
        parts: list[str] = []
        refusal: list[str] = []
        usage = None
        try:
            for chunk in self._stream:
                # with include_usage the last chunk has no choices, only usage
                usage = getattr(chunk, "usage", None) or usage
                for choice in chunk.choices or []:
                    delta = getattr(choice, "delta", None)
                    if delta is not None and delta.content:
                        parts.append(delta.content)
                        yield delta.content
                    if delta is not None and getattr(delta, "refusal", None):
                        refusal.append(delta.refusal)
                    if choice.finish_reason:
                        self.finish_reason = choice.finish_reason
        except openai.OpenAIError as exc:
            self._finish(parts, None)
            err = to_ai_error(exc)
            # the answer started, so tokens were spent: keep the estimate and the partial text
            err.input_tokens, err.output_tokens, err.raw = self.input_tokens, self.output_tokens, self.text
            raise err from exc
        finally:
            self._stream.close()
        self._finish(parts, usage)
        tokens = {"input_tokens": self.input_tokens, "output_tokens": self.output_tokens, "raw": self.text}
        if refusal or self.finish_reason == "content_filter":
            raise AIError("refusal", "".join(refusal) or "content_filter", **tokens)
        if self.finish_reason == "length":
            raise AIError("truncated", "finish_reason=length", **tokens)

    def _finish(self, parts: list[str], usage: Any) -> None:
        self.text = "".join(parts)
        self.latency_ms = _elapsed_ms(self._started)
        if usage is not None:
            self.input_tokens, self.output_tokens = usage.prompt_tokens, usage.completion_tokens
        else:
            self.input_tokens = estimate_tokens(self._prompt_text)
            self.output_tokens = estimate_tokens(self.text)
            self.tokens_estimated = True
        self.done = True


def stream_reply(client: openai.OpenAI, model: str, messages: list[dict]) -> ReplyStream:
    """Starts a streamed reply and returns its ReplyStream; raises AIError when the request fails
    (after the client's own retries for 429, 5xx, timeouts and connection errors)."""
    started = time.monotonic()
    try:
        stream = client.chat.completions.create(
            model=model, messages=messages, stream=True, stream_options={"include_usage": True}
        )
    except openai.OpenAIError as exc:
        raise to_ai_error(exc) from exc
    return ReplyStream(stream, _prompt_text(messages), started)


@dataclass(frozen=True)
class ExtractResult:
    """A validated structured answer, the raw text it came from and what the call cost."""

    parsed: pydantic.BaseModel
    raw: str
    input_tokens: int
    output_tokens: int
    latency_ms: int
    tokens_estimated: bool = False


_FENCE = re.compile(r"^\s*```(?:json)?\s*(.*?)\s*```\s*$", re.DOTALL)


def _response_format(schema: type[pydantic.BaseModel]) -> dict:
    # Plain response_format json_schema rather than client.chat.completions.parse(): every
    # OpenAI-compatible server that supports structured output accepts it, and we validate ourselves.
    return {
        "type": "json_schema",
        "json_schema": {"name": schema.__name__, "schema": schema.model_json_schema(), "strict": True},
    }


def extract_order(
    client: openai.OpenAI,
    model: str,
    messages: list[dict],
    schema: type[pydantic.BaseModel],
) -> ExtractResult:
    """Returns the model's answer parsed into `schema` (e.g. OrderDraftOut).

    Raises AIError: "refusal" (message.refusal or content filter), "truncated" (finish_reason length),
    "malformed_output" (not JSON or not the schema), or the kind of a failed request.
    """
    started = time.monotonic()
    try:
        completion = client.chat.completions.create(
            model=model, messages=messages, response_format=_response_format(schema)
        )
    except openai.OpenAIError as exc:
        raise to_ai_error(exc) from exc
    latency_ms = _elapsed_ms(started)

    choice = completion.choices[0] if completion.choices else None
    raw = (choice.message.content or "") if choice is not None else ""
    usage = getattr(completion, "usage", None)
    if usage is not None:
        input_tokens, output_tokens, estimated = usage.prompt_tokens, usage.completion_tokens, False
    else:
        input_tokens, output_tokens = estimate_tokens(_prompt_text(messages)), estimate_tokens(raw)
        estimated = True
    tokens = {"input_tokens": input_tokens, "output_tokens": output_tokens, "raw": raw}

    if choice is None:
        raise AIError("malformed_output", "no choices in the response", **tokens)
    refusal = getattr(choice.message, "refusal", None)
    if refusal or choice.finish_reason == "content_filter":
        raise AIError("refusal", refusal or "content_filter", **tokens)
    if choice.finish_reason == "length":
        raise AIError("truncated", "finish_reason=length", **tokens)
    # Some compatible servers wrap JSON in a markdown fence even in JSON mode.
    fenced = _FENCE.match(raw)
    try:
        parsed = schema.model_validate_json(fenced.group(1) if fenced else raw)
    except pydantic.ValidationError as exc:
        raise AIError("malformed_output", str(exc), **tokens) from exc
    return ExtractResult(parsed, raw, input_tokens, output_tokens, latency_ms, estimated)
