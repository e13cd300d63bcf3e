"""Review decisions on AI suggestions: approve, edit or reject, applied once, in the caller's transaction.

The caller passes a tenant_scope connection, so the decision, its audit row, the training example and the
prompt counters commit (or roll back) together. "Once" is enforced by the database: the UPDATE only matches
a pending row, a concurrent second UPDATE waits for the first's row lock and then matches nothing, and the
ai_responses_review_once trigger refuses any change to a decided row."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Literal
from zoneinfo import ZoneInfo

from sqlalchemy import Connection

from queries import review as q
from services import audit

Decision = Literal["approved", "edited", "rejected"]
# decision -> data_access_audit.action
AUDIT_ACTIONS: dict[str, str] = {"approved": "approve", "edited": "edit", "rejected": "reject"}
_DONE = {"approved": "Approved.", "edited": "Saved your edited reply.", "rejected": "Rejected."}
_GONE = "This suggestion no longer exists."


@dataclass(frozen=True)
class ReviewOutcome:
    """What happened to one decision request. result: 'applied' (this call decided), 'already_reviewed'
    (someone decided first: status / reviewer / reviewed_at say who and when), 'invalid' (nothing written,
    message says what to fix) or 'not_found'. status is the response's status after the call."""

    result: Literal["applied", "already_reviewed", "invalid", "not_found"]
    response_id: int
    status: str | None
    message: str
    reviewer: str | None = None
    reviewed_at: datetime | None = None

    @property
    def applied(self) -> bool:
        return self.result == "applied"


def decide(conn: Connection, *, distributor_id: str, user_id: str, response_id: int, decision: Decision,
           final_content: str | None = None, reason: str | None = None) -> ReviewOutcome:
    """Applies `decision` to a pending AI response and returns the outcome (never raises for an invalid or
    already-decided request). final_content becomes the suggestion itself when approved, the edited text
    (which must differ from the suggestion) when edited, NULL when rejected; rejected needs a reason. The
    reason, when given, is kept as ai_responses.feedback for any decision."""
    if decision not in AUDIT_ACTIONS:
        raise ValueError(f"unknown decision {decision!r}")
    text, why = (final_content or "").strip(), (reason or "").strip()
    if decision == "edited" and not text:
        return _invalid(response_id, "Write the corrected reply before saving an edit.")
    if decision == "rejected" and not why:
        return _invalid(response_id, "Say why the suggestion is rejected: the reason teaches the AI.")

    state = q.review_state(conn, distributor_id, response_id=response_id)
    if state is None:
        return ReviewOutcome("not_found", response_id, None, _GONE)
    if state["status"] != "pending":
        return _already(state)
    if decision == "edited" and text == state["content"].strip():
        return _invalid(response_id, "The edited reply is the same as the suggestion: change it, or approve.")

    final = {"approved": state["content"], "edited": text, "rejected": None}[decision]
    reviewed_at = q.decide_response(conn, distributor_id, response_id=response_id, status=decision,
                                    user_id=user_id, final_content=final, feedback=why or None)
    if reviewed_at is None:  # lost the race to another reviewer between our read and our update
        winner = q.review_state(conn, distributor_id, response_id=response_id)
        return _already(winner) if winner else ReviewOutcome("not_found", response_id, None, _GONE)

    q.bump_prompt_performance(conn, distributor_id, response_id=response_id)
    if decision != "approved":
        q.insert_training_data(conn, distributor_id, response_id=response_id,
                               input_text=state["message_content"], ai_output=state["content"],
                               human_correction=text if decision == "edited" else why,
                               correction_type=decision, user_id=user_id)
    audit.record_access(conn, distributor_id=distributor_id, user_id=user_id, action=AUDIT_ACTIONS[decision],
                        resource="ai_responses", record_count=1,
                        details={"response_id": response_id, "conversation_id": state["conversation_id"],
                                 "decision": decision})
    return ReviewOutcome("applied", response_id, decision, _DONE[decision], reviewed_at=reviewed_at)


def _invalid(response_id: int, message: str) -> ReviewOutcome:
    return ReviewOutcome("invalid", response_id, "pending", message)


def _already(state: dict) -> ReviewOutcome:
    who = state["reviewer_name"] or "another user"
    when = state["reviewed_at"].astimezone(ZoneInfo(state["timezone"]))
    return ReviewOutcome(
        "already_reviewed", state["id"], state["status"],
        f"Already reviewed by {who} at {when:%Y-%m-%d %H:%M} ({state['timezone']}): {state['status']}.",
        reviewer=who, reviewed_at=state["reviewed_at"],
    )
