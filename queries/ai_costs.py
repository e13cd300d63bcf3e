"""AI cost reads for the AI costs page (SQL in ai_costs.sql).

The rollup counts answered calls in `requests` and failed ones in `errors` (ai/metering.py).
Every function takes an inclusive range of the distributor's local dates (start, end) and its time zone tz.
Costs come from the daily rollup ai_usage_metrics; only p95 latency, AI-handled conversations, review outcomes and calls
without a cost read ai_responses (through its (distributor_id, created_at) index). Money columns ending in
_usd are dollars, in _cents USD cents (floats: for display, fractions of a cent kept)."""

from __future__ import annotations

from datetime import date

import pandas as pd
from sqlalchemy import Connection

from core.filters import Period
from queries.loader import load_queries, to_frame

Q = load_queries("ai_costs")


def _params(distributor_id: str, start: date, end: date, tz: str) -> dict:
    # the rollup is per local date (start / end); ai_responses and orders are bounded by instants (t0 / t1)
    t0, t1 = Period(start, end).bounds(tz)
    return {"distributor_id": distributor_id, "start": start, "end": end, "t0": t0, "t1": t1}


def _frame(conn: Connection, name: str, distributor_id: str, start: date, end: date, tz: str) -> pd.DataFrame:
    return to_frame(conn.execute(Q[name], _params(distributor_id, start, end, tz)))


def cost_kpis(conn: Connection, distributor_id: str, start: date, end: date, tz: str) -> dict:
    """Returns the period's totals: spend_cents, requests (answered calls), input_tokens, output_tokens,
    errors (failed calls), unpriced_requests, avg_latency_ms (request-weighted), p95_latency_ms (exact, over
    ai_responses), conversations (that had an AI response), ai_orders, error_rate (errors / all calls),
    cost_per_ai_order_cents, cost_per_conversation_cents (None where the divisor is 0)."""
    row = conn.execute(Q["cost_kpis"], _params(distributor_id, start, end, tz)).one()
    return row._asdict()


def spend_daily_by_model(conn: Connection, distributor_id: str, start: date, end: date, tz: str) -> pd.DataFrame:
    """Returns (day, model, spend_usd) per local day and model."""
    return _frame(conn, "spend_daily_by_model", distributor_id, start, end, tz)


def spend_by_feature(conn: Connection, distributor_id: str, start: date, end: date, tz: str) -> pd.DataFrame:
    """Returns (feature, requests, spend_usd), biggest spend first."""
    return _frame(conn, "spend_by_feature", distributor_id, start, end, tz)


def tokens_daily(conn: Connection, distributor_id: str, start: date, end: date, tz: str) -> pd.DataFrame:
    """Returns (day, kind, tokens) with kind 'input' or 'output'."""
    return _frame(conn, "tokens_daily", distributor_id, start, end, tz)


def model_latency_errors(conn: Connection, distributor_id: str, start: date, end: date, tz: str) -> pd.DataFrame:
    """Returns (model, requests, errors, error_rate, avg_latency_ms, p95_latency_ms) per model; error_rate
    is failed calls / (answered + failed)."""
    return _frame(conn, "model_latency_errors", distributor_id, start, end, tz)


def model_acceptance(conn: Connection, distributor_id: str, start: date, end: date, tz: str) -> pd.DataFrame:
    """Returns (model, requests, reviewed, approved, edited, rejected, acceptance_rate,
    cost_per_request_cents) per model; acceptance = (approved + edited) / reviewed."""
    return _frame(conn, "model_acceptance", distributor_id, start, end, tz)


def prompt_versions(conn: Connection, distributor_id: str, start: date, end: date, tz: str) -> pd.DataFrame:
    """Returns per (prompt_version, feature, model): requests, approved, edited, rejected, acceptance_rate,
    avg_confidence, avg_latency_ms, spend_usd, cost_per_request_cents."""
    return _frame(conn, "prompt_versions", distributor_id, start, end, tz)


def model_feature_table(conn: Connection, distributor_id: str, start: date, end: date, tz: str) -> pd.DataFrame:
    """Returns per (model, feature): requests, input_tokens, output_tokens, spend_usd,
    avg_cost_per_request_cents (over priced requests), errors, unpriced_requests."""
    return _frame(conn, "model_feature_table", distributor_id, start, end, tz)


def unpriced_by_model(conn: Connection, distributor_id: str, start: date, end: date, tz: str) -> pd.DataFrame:
    """Returns (model, requests) for models with calls of unknown cost in the period."""
    return _frame(conn, "unpriced_by_model", distributor_id, start, end, tz)
