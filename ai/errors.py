"""AIError: every failure of an AI call, as one exception with a kind and a message fit for the screen."""

from __future__ import annotations

import openai

# kind -> what the user reads. Each says the typed text is safe, because the pages keep it on failure.
USER_MESSAGES: dict[str, str] = {
    "timeout": "The AI service took too long to answer. Your text is kept — try again.",
    "rate_limit": "The AI service is busy right now. Your text is kept — try again in a minute.",
    "server_error": "The AI service had a problem on its side. Your text is kept — try again.",
    "connection": "The AI service could not be reached. Your text is kept — check the connection, try again.",
    "refusal": "The AI declined to answer this request. Your text is kept — rephrase it or write it.",
    "truncated": "The AI answer was cut off before the end. Your text is kept — try a shorter request.",
    "malformed_output": "The AI answer could not be read as an order. Your text is kept — try again.",
    "auth": "The AI service rejected the API key. Ask an admin to check the AI settings.",
    "budget_blocked": "This month's AI budget is used up, so AI calls are paused. Ask finance or an admin.",
    "other": "The AI call failed. Your text is kept — try again.",
}

KINDS = frozenset(USER_MESSAGES)


class AIError(Exception):
    """An AI call that did not produce a usable answer.

    `kind` is one of KINDS, `user_message` is safe to show, `detail` is the technical cause (for ai_errors).
    Tokens and raw output are kept when the service reported them, so a failed call is still costed.
    """

    def __init__(
        self,
        kind: str,
        detail: str = "",
        *,
        user_message: str | None = None,
        input_tokens: int | None = None,
        output_tokens: int | None = None,
        raw: str | None = None,
    ) -> None:
        if kind not in KINDS:
            raise ValueError(f"unknown AIError kind {kind!r}")
        super().__init__(f"{kind}: {detail}" if detail else kind)
        self.kind = kind
        self.detail = detail
        self.user_message = user_message or USER_MESSAGES[kind]
        self.input_tokens = input_tokens
        self.output_tokens = output_tokens
        self.raw = raw


def to_ai_error(exc: Exception) -> AIError:
    """Returns the AIError for an exception raised by the openai client (order matters: subclasses first)."""
    if isinstance(exc, AIError):
        return exc
    detail = f"{type(exc).__name__}: {exc}"
    if isinstance(exc, openai.APITimeoutError):
        kind = "timeout"
    elif isinstance(exc, openai.APIConnectionError):
        kind = "connection"
    elif isinstance(exc, openai.AuthenticationError | openai.PermissionDeniedError):
        kind = "auth"
    elif isinstance(exc, openai.RateLimitError):
        kind = "rate_limit"
    elif isinstance(exc, openai.APIStatusError):
        kind = "server_error" if exc.status_code >= 500 else "other"
    elif isinstance(exc, openai.APIError):
        # An error event inside a stream: the service failed after it had started answering.
        kind = "server_error"
    else:
        kind = "other"
    return AIError(kind, detail)
