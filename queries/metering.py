"""The statements that meter AI calls: responses, errors and their daily rollups (SQL in metering.sql).

All run in the caller's transaction (a tenant_scope connection); cost_cents is Decimal USD cents or None
when the model's price is unknown."""

from __future__ import annotations

import json
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import Connection

from queries.loader import load_queries

Q = load_queries("metering")


def lock_metering(conn: Connection, distributor_id: str) -> None:
    """Takes the distributor's metering lock until the transaction ends."""
    conn.execute(Q["lock_metering"], {"distributor_id": str(distributor_id)})


def insert_response(
    conn: Connection,
    distributor_id: str,
    *,
    message_id: int,
    kind: str,
    content: str,
    structured: dict[str, Any] | None,
    model: str,
    prompt_version: str,
    input_tokens: int,
    output_tokens: int,
    tokens_estimated: bool,
    cost_cents: Decimal | None,
    latency_ms: int,
    confidence: float | None,
    created_at: datetime | None,
) -> tuple[int, date]:
    """Inserts a pending ai_responses row; returns (its id, its local day)."""
    row = conn.execute(
        Q["insert_response"],
        {
            "distributor_id": distributor_id,
            "message_id": message_id,
            "kind": kind,
            "content": content,
            "structured": None if structured is None else json.dumps(structured, default=str),
            "model": model,
            "prompt_version": prompt_version,
            "input_tokens": input_tokens,
            "output_tokens": output_tokens,
            "tokens_estimated": tokens_estimated,
            "cost_cents": cost_cents,
            "latency_ms": latency_ms,
            "confidence": confidence,
            "created_at": created_at,
        },
    ).one()
    return row.id, row.day


def upsert_usage_call(
    conn: Connection,
    distributor_id: str,
    *,
    day: date,
    model: str,
    feature: str,
    input_tokens: int,
    output_tokens: int,
    cost_cents: Decimal | None,
) -> None:
    """Adds one successful call to ai_usage_metrics (unpriced_requests + 1 when cost_cents is None)."""
    conn.execute(
        Q["upsert_usage_call"],
        {
            "distributor_id": distributor_id,
            "day": day,
            "model": model,
            "feature": feature,
            "input_tokens": input_tokens,
            "output_tokens": output_tokens,
            "cost_cents": cost_cents,
        },
    )


def upsert_prompt_call(
    conn: Connection,
    distributor_id: str,
    *,
    day: date,
    prompt_version: str,
    feature: str,
    model: str,
    cost_cents: Decimal | None,
) -> None:
    """Adds one successful call to ai_prompt_performance."""
    conn.execute(
        Q["upsert_prompt_call"],
        {
            "distributor_id": distributor_id,
            "day": day,
            "prompt_version": prompt_version,
            "feature": feature,
            "model": model,
            "cost_cents": cost_cents,
        },
    )


def insert_error(
    conn: Connection,
    distributor_id: str,
    *,
    message_id: int | None,
    model: str | None,
    feature: str | None,
    error_type: str,
    error_message: str,
    context: dict[str, Any],
    user_id: str | None,
    created_at: datetime | None,
) -> tuple[int, date]:
    """Inserts an ai_errors row; returns (its id, its local day)."""
    row = conn.execute(
        Q["insert_error"],
        {
            "distributor_id": distributor_id,
            "message_id": message_id,
            "model": model,
            "feature": feature,
            "error_type": error_type,
            "error_message": error_message,
            "context": json.dumps(context, default=str),
            "user_id": user_id or None,
            "created_at": created_at,
        },
    ).one()
    return row.id, row.day


def upsert_usage_error(
    conn: Connection,
    distributor_id: str,
    *,
    day: date,
    model: str,
    feature: str,
    input_tokens: int,
    output_tokens: int,
    cost_cents: Decimal,
) -> None:
    """Adds one failed call (errors + 1, reported tokens and their cost) to ai_usage_metrics."""
    conn.execute(
        Q["upsert_usage_error"],
        {
            "distributor_id": distributor_id,
            "day": day,
            "model": model,
            "feature": feature,
            "input_tokens": input_tokens,
            "output_tokens": output_tokens,
            "cost_cents": cost_cents,
        },
    )
