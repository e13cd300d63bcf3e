"""Metering of AI calls: what each call cost and how it went, in the caller's transaction.

A call the service answered becomes an ai_responses row (pending review) and is added to its day's
ai_usage_metrics and ai_prompt_performance rows; a failed one becomes an ai_errors row and counts as an
error of its day (with the tokens and cost the service reported, since a refused or cut-off answer is
billed too). Either way the month's budget is evaluated afterwards, so crossing a threshold raises its
alert at the call that crossed it. A call refused by the budget gate never reached the service: it gets
its ai_errors row and nothing else.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import Connection

from ai.errors import AIError
from ai.pricing import price_call
from queries import metering as q
from services import audit
from services.budget import BudgetState, evaluate_month

FEATURES = frozenset({"reply", "order_extraction", "classification"})
# ai_errors.context keeps the start of a bad answer for debugging, not the whole thing.
RAW_EXCERPT_CHARS = 500


@dataclass(frozen=True)
class CallRecord:
    """One call the service answered: the message it was about, the feature (ai_responses.kind), the text
    (and structured result) it produced, tokens (estimated or reported), latency and a 0..1 confidence."""

    message_id: int
    feature: str
    model: str
    prompt_version: str
    content: str
    input_tokens: int
    output_tokens: int
    latency_ms: int
    tokens_estimated: bool = False
    structured: dict[str, Any] | None = None
    confidence: float | None = None


@dataclass(frozen=True)
class Metered:
    """The recorded call: its ai_responses id, its cost in USD cents (None: model not priced) and the
    month's budget state after it."""

    response_id: int
    cost_cents: Decimal | None
    budget: BudgetState


def _check_feature(feature: str) -> None:
    if feature not in FEATURES:
        raise ValueError(f"unknown AI feature {feature!r}")


def record_call(
    conn: Connection,
    distributor_id: str,
    user_id: str | None,
    call: CallRecord,
    *,
    overrides: dict[str, tuple[Decimal, Decimal]] | None = None,
    now: datetime | None = None,
) -> Metered:
    """Records an answered call (ai_responses, ai_usage_metrics, ai_prompt_performance, an 'ai_call' audit
    row), then evaluates the month's budget. `now` (default: the transaction's time) dates the call.
    Returns what was recorded."""
    _check_feature(call.feature)
    cost = price_call(call.model, call.input_tokens, call.output_tokens, overrides)
    q.lock_metering(conn, distributor_id)
    response_id, day = q.insert_response(
        conn,
        distributor_id,
        message_id=call.message_id,
        kind=call.feature,
        content=call.content,
        structured=call.structured,
        model=call.model,
        prompt_version=call.prompt_version,
        input_tokens=call.input_tokens,
        output_tokens=call.output_tokens,
        tokens_estimated=call.tokens_estimated,
        cost_cents=cost,
        latency_ms=call.latency_ms,
        confidence=call.confidence,
        created_at=now,
    )
    q.upsert_usage_call(
        conn,
        distributor_id,
        day=day,
        model=call.model,
        feature=call.feature,
        input_tokens=call.input_tokens,
        output_tokens=call.output_tokens,
        cost_cents=cost,
    )
    q.upsert_prompt_call(
        conn,
        distributor_id,
        day=day,
        prompt_version=call.prompt_version,
        feature=call.feature,
        model=call.model,
        cost_cents=cost,
    )
    audit.record_access(
        conn,
        distributor_id=distributor_id,
        user_id=user_id,
        action="ai_call",
        resource="ai_responses",
        record_count=1,
        details={
            "response_id": response_id,
            "feature": call.feature,
            "model": call.model,
            "message_id": call.message_id,
            "input_tokens": call.input_tokens,
            "output_tokens": call.output_tokens,
            "cost_cents": cost,
        },
    )
    return Metered(response_id, cost, evaluate_month(conn, distributor_id, now))


def record_failure(
    conn: Connection,
    distributor_id: str,
    user_id: str | None,
    error: AIError,
    *,
    feature: str,
    model: str,
    message_id: int | None,
    prompt_version: str | None = None,
    overrides: dict[str, tuple[Decimal, Decimal]] | None = None,
    now: datetime | None = None,
) -> int:
    """Records a failed call: an ai_errors row (error_type = error.kind) and, unless the budget gate refused
    it before any request, errors + 1 on its day's ai_usage_metrics row plus the tokens and cost the service
    reported, an 'ai_call' audit row and a budget evaluation. Returns the ai_errors id."""
    _check_feature(feature)
    input_tokens, output_tokens = error.input_tokens or 0, error.output_tokens or 0
    context: dict[str, Any] = {
        "prompt_version": prompt_version,
        "input_tokens": error.input_tokens,
        "output_tokens": error.output_tokens,
        "user_message": error.user_message,
    }
    if error.raw:
        context["raw_excerpt"] = error.raw[:RAW_EXCERPT_CHARS]
    q.lock_metering(conn, distributor_id)
    error_id, day = q.insert_error(
        conn,
        distributor_id,
        message_id=message_id,
        model=model,
        feature=feature,
        error_type=error.kind,
        error_message=error.detail or error.kind,
        context=context,
        user_id=user_id,
        created_at=now,
    )
    if error.kind == "budget_blocked":
        return error_id
    cost = (
        price_call(model, input_tokens, output_tokens, overrides) if input_tokens or output_tokens else None
    )
    q.upsert_usage_error(
        conn,
        distributor_id,
        day=day,
        model=model,
        feature=feature,
        input_tokens=input_tokens,
        output_tokens=output_tokens,
        cost_cents=cost or Decimal(0),
    )
    audit.record_access(
        conn,
        distributor_id=distributor_id,
        user_id=user_id,
        action="ai_call",
        resource="ai_errors",
        record_count=1,
        details={
            "error_id": error_id,
            "feature": feature,
            "model": model,
            "error_type": error.kind,
            "message_id": message_id,
        },
    )
    evaluate_month(conn, distributor_id, now)
    return error_id
