"""Review metrics of AI suggestions and the statements of one review decision (queries/review.sql)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

import pandas as pd
from sqlalchemy import Connection

from core.filters import Period
from queries.loader import load_queries, to_frame

Q = load_queries("review")


@dataclass(frozen=True)
class ReviewMetrics:
    """Suggestions waiting now (any date), and for suggestions created in the period: counts per decision,
    approved / decided, edited / decided, average confidence of approved and of rejected ones and the median
    seconds from suggestion to decision. Ratios and averages are None when there is nothing to divide."""

    waiting: int
    suggestions: int
    approved: int
    edited: int
    rejected: int
    acceptance_rate: float | None
    edit_rate: float | None
    avg_confidence_approved: float | None
    avg_confidence_rejected: float | None
    median_review_s: float | None


def _period(distributor_id: str, period: Period, tz: str) -> dict[str, Any]:
    t0, t1 = period.bounds(tz)
    return {"distributor_id": distributor_id, "t0": t0, "t1": t1}


def review_metrics(conn: Connection, distributor_id: str, *, period: Period, tz: str) -> ReviewMetrics:
    """Returns the review KPIs for suggestions created in `period` (local days in `tz`, both included)."""
    row = conn.execute(Q["review_metrics"], _period(distributor_id, period, tz)).mappings().one()
    return ReviewMetrics(**row)


def review_by_model(conn: Connection, distributor_id: str, *, period: Period, tz: str) -> pd.DataFrame:
    """Returns per (model, prompt_version): suggestions, waiting, approved, edited, rejected, acceptance_rate,
    edit_rate, avg_confidence, median_review_s, for suggestions created in `period`; busiest first."""
    return to_frame(conn.execute(Q["review_by_model"], _period(distributor_id, period, tz)))


def review_state(conn: Connection, distributor_id: str, *, response_id: int) -> dict[str, Any] | None:
    """Returns the response's id, status, content, final_content, feedback, reviewed_by, reviewed_at,
    reviewer_name, message_content (the customer message it answers), conversation_id and the distributor's
    timezone; None if unknown."""
    row = conn.execute(Q["review_state"], {"distributor_id": distributor_id,
                                           "response_id": response_id}).mappings().first()
    return dict(row) if row else None


def decide_response(conn: Connection, distributor_id: str, *, response_id: int, status: str, user_id: str,
                    final_content: str | None, feedback: str | None) -> datetime | None:
    """Sets the decision if the response is still pending; returns its reviewed_at, or None when another
    decision got there first (the row lock makes a concurrent second update see the first one)."""
    row = conn.execute(Q["decide_response"], {
        "distributor_id": distributor_id, "response_id": response_id, "status": status, "user_id": user_id,
        "final_content": final_content, "feedback": feedback,
    }).first()
    return row.reviewed_at if row else None


def insert_training_data(conn: Connection, distributor_id: str, *, response_id: int, input_text: str,
                         ai_output: str, human_correction: str, correction_type: str, user_id: str) -> None:
    """Adds the training example of an edited or rejected response."""
    conn.execute(Q["insert_training_data"], {
        "distributor_id": distributor_id, "response_id": response_id, "input_text": input_text,
        "ai_output": ai_output, "human_correction": human_correction, "correction_type": correction_type,
        "user_id": user_id,
    })


def bump_prompt_performance(conn: Connection, distributor_id: str, *, response_id: int) -> None:
    """Adds the decided response to ai_prompt_performance for its day, prompt version, kind and model."""
    conn.execute(Q["bump_prompt_performance"], {"distributor_id": distributor_id, "response_id": response_id})
