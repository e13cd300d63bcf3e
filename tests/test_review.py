"""services/review.py: approve / edit / reject applied once, with audit, training data and prompt counters.

Dataset: tests/conversations_seed.py. r2 (pending reply "Gracias, anotado." to m3, gpt-4o-mini / reply-v1,
created 2025-03-10 12:11 UTC = 09:11 in Sao Paulo) and r3 (pending order_extraction, order-v1) are the
suggestions decided here; r1 was approved by Ana at 2025-03-10 12:02 UTC (09:02 local)."""

from __future__ import annotations

import threading
import time
from datetime import date

import pytest
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError

from core.db import tenant_scope
from services.review import decide
from tests import factories as f
from tests.conversations_seed import MINI, at, seed

M3_TEXT = "Mi email es ana@example.com, tel +55 11 98765-4321"


@pytest.fixture
def data(clean_db):
    s = seed(clean_db)
    s.engine = clean_db
    return s


def run(data, user_id, response_id, decision, **kwargs):
    with tenant_scope(data.a, user_id) as conn:
        return decide(conn, distributor_id=str(data.a), user_id=str(user_id), response_id=response_id,
                      decision=decision, **kwargs)


def response_row(data, response_id):
    with data.engine.connect() as conn:
        return conn.execute(text("select status, reviewed_by, reviewed_at, final_content, feedback "
                                 "from ai_responses where id = :id"), {"id": response_id}).one()


def audit_rows(data):
    with data.engine.connect() as conn:
        return conn.execute(text("select action, resource, user_id, record_count, details->>'response_id' "
                                 "from data_access_audit where distributor_id = :d order by id"),
                            {"d": data.a}).all()


def training_rows(data):
    with data.engine.connect() as conn:
        return conn.execute(text("select ai_response_id, input_text, ai_output, human_correction, "
                                 "correction_type, created_by from ai_training_data "
                                 "where distributor_id = :d order by id"),
                            {"d": data.a}).all()


def counters(data):
    with data.engine.connect() as conn:
        return conn.execute(text("select date, prompt_version, feature, model, approved, edited, rejected "
                                 "from ai_prompt_performance where distributor_id = :d "
                                 "order by date, prompt_version"), {"d": data.a}).all()


def test_approve(data):
    outcome = run(data, data.ana, data.r2, "approved")
    assert (outcome.result, outcome.status, outcome.applied, outcome.message) == (
        "applied", "approved", True, "Approved.")
    row = response_row(data, data.r2)
    assert (row.status, row.reviewed_by, row.final_content, row.feedback) == (
        "approved", data.ana, "Gracias, anotado.", None)
    assert row.reviewed_at == outcome.reviewed_at
    assert audit_rows(data) == [("approve", "ai_responses", data.ana, 1, str(data.r2))]
    assert training_rows(data) == []
    assert counters(data) == [(date(2025, 3, 10), "reply-v1", "reply", MINI, 1, 0, 0)]


def test_edit_keeps_the_text_and_a_training_example(data):
    outcome = run(data, data.bruno, data.r2, "edited", final_content="  Gracias, lo enviamos mañana.  ")
    assert (outcome.result, outcome.status) == ("applied", "edited")
    row = response_row(data, data.r2)
    assert (row.status, row.reviewed_by, row.final_content) == (
        "edited", data.bruno, "Gracias, lo enviamos mañana.")
    assert audit_rows(data) == [("edit", "ai_responses", data.bruno, 1, str(data.r2))]
    assert training_rows(data) == [
        (data.r2, M3_TEXT, "Gracias, anotado.", "Gracias, lo enviamos mañana.", "edited", data.bruno)]
    assert counters(data) == [(date(2025, 3, 10), "reply-v1", "reply", MINI, 0, 1, 0)]


def test_reject_keeps_the_reason(data):
    outcome = run(data, data.ana, data.r3, "rejected", reason="Wrong quantity: 12 boxes")
    assert (outcome.result, outcome.status, outcome.message) == ("applied", "rejected", "Rejected.")
    row = response_row(data, data.r3)
    assert (row.status, row.final_content, row.feedback) == ("rejected", None, "Wrong quantity: 12 boxes")
    assert audit_rows(data) == [("reject", "ai_responses", data.ana, 1, str(data.r3))]
    assert training_rows(data) == [
        (data.r3, "Hola, quiero 10 cajas de cerveza", '{"lines": 1}', "Wrong quantity: 12 boxes", "rejected",
         data.ana)]
    assert counters(data) == [(date(2025, 3, 10), "order-v1", "order_extraction", MINI, 0, 0, 1)]


def test_counters_add_up_per_day_prompt_kind_and_model(data):
    with data.engine.begin() as conn:
        same_bucket = f.ai_response(conn, data.a, data.m3, model=MINI, prompt_version="reply-v1",
                                    created_at=at(10, 20))
        # 01:00 UTC on 03-10 is 22:00 on 03-09 in Sao Paulo: another day's counters
        late_evening = f.ai_response(conn, data.a, data.m3, model=MINI, prompt_version="reply-v1",
                                     created_at=at(10, 1), content="Otra")
    run(data, data.ana, data.r2, "approved")
    run(data, data.ana, same_bucket, "rejected", reason="too short")
    run(data, data.ana, late_evening, "edited", final_content="Otra cosa")
    assert counters(data) == [(date(2025, 3, 9), "reply-v1", "reply", MINI, 0, 1, 0),
                              (date(2025, 3, 10), "reply-v1", "reply", MINI, 1, 0, 1)]
    assert [r.action for r in audit_rows(data)] == ["approve", "reject", "edit"]
    assert [r.correction_type for r in training_rows(data)] == ["rejected", "edited"]


@pytest.mark.parametrize(("decision", "kwargs", "message"), [
    ("edited", {}, "Write the corrected reply before saving an edit."),
    ("edited", {"final_content": "   "}, "Write the corrected reply before saving an edit."),
    ("edited", {"final_content": " Gracias, anotado. "},
     "The edited reply is the same as the suggestion: change it, or approve."),
    ("rejected", {}, "Say why the suggestion is rejected: the reason teaches the AI."),
    ("rejected", {"reason": "\n "}, "Say why the suggestion is rejected: the reason teaches the AI."),
])
def test_invalid_requests_write_nothing(data, decision, kwargs, message):
    outcome = run(data, data.ana, data.r2, decision, **kwargs)
    assert (outcome.result, outcome.status, outcome.message, outcome.applied) == (
        "invalid", "pending", message, False)
    assert response_row(data, data.r2).status == "pending"
    assert audit_rows(data) == [] and training_rows(data) == [] and counters(data) == []


def test_unknown_decision_is_a_programming_error(data):
    with pytest.raises(ValueError, match="unknown decision"):
        run(data, data.ana, data.r2, "maybe")


def test_a_decided_suggestion_reports_who_decided_it(data):
    outcome = run(data, data.bruno, data.r1, "rejected", reason="late")
    assert (outcome.result, outcome.status, outcome.reviewer) == ("already_reviewed", "approved", "Ana")
    assert outcome.message == "Already reviewed by Ana at 2025-03-10 09:02 (America/Sao_Paulo): approved."
    assert response_row(data, data.r1).status == "approved"
    assert audit_rows(data) == [] and training_rows(data) == []


def test_double_click_applies_once(data):
    first = run(data, data.ana, data.r2, "approved")
    second = run(data, data.ana, data.r2, "approved")
    assert (first.result, second.result) == ("applied", "already_reviewed")
    assert second.message.startswith("Already reviewed by Ana at ")
    assert len(audit_rows(data)) == 1
    assert counters(data) == [(date(2025, 3, 10), "reply-v1", "reply", MINI, 1, 0, 0)]


def test_unknown_or_other_tenants_suggestion_is_not_found(data):
    assert run(data, data.ana, 999_999, "approved").result == "not_found"
    outcome = run(data, data.ana, data.b_r, "approved")  # B's pending suggestion, from A's scope
    assert (outcome.result, outcome.message) == ("not_found", "This suggestion no longer exists.")
    with data.engine.connect() as conn:
        assert conn.execute(text("select status from ai_responses where id = :id"),
                            {"id": data.b_r}).scalar_one() == "pending"


def test_the_database_refuses_to_change_a_decision(data):
    with pytest.raises(DBAPIError, match="already reviewed"), tenant_scope(data.a, data.ana) as conn:
        conn.execute(text("update ai_responses set status = 'rejected', feedback = 'x' where id = :id"),
                     {"id": data.r1})


def loser_waits_for_lock(data) -> bool:
    # a new transaction each time: pg_stat_activity is a snapshot frozen for the rest of a transaction
    with data.engine.connect() as conn:
        return conn.execute(text("select exists (select 1 from pg_stat_activity "
                                 "where wait_event_type = 'Lock' and query ilike '%update ai_responses%')")
                            ).scalar_one()


@pytest.mark.parametrize("attempt", range(5))
def test_two_agents_at_once_produce_one_decision(data, attempt):
    barrier = threading.Barrier(2)
    outcomes: dict[str, object] = {}

    def review(name, user_id, decision, reason=None):
        with tenant_scope(data.a, user_id) as conn:
            barrier.wait(timeout=10)
            outcomes[name] = decide(conn, distributor_id=str(data.a), user_id=str(user_id),
                                    response_id=data.r2, decision=decision, reason=reason)

    threads = [threading.Thread(target=review, args=("ana", data.ana, "approved")),
               threading.Thread(target=review, args=("bruno", data.bruno, "rejected", "no"))]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=30)
    results = sorted(o.result for o in outcomes.values())
    assert results == ["already_reviewed", "applied"]
    winner = next(name for name, o in outcomes.items() if o.applied)
    loser = outcomes["bruno" if winner == "ana" else "ana"]
    row = response_row(data, data.r2)
    assert row.reviewed_by == (data.ana if winner == "ana" else data.bruno)
    assert loser.message.startswith(f"Already reviewed by {winner.title()} at ")
    assert len(audit_rows(data)) == 1
    assert len(training_rows(data)) == (1 if winner == "bruno" else 0)
    assert sum(c.approved + c.edited + c.rejected for c in counters(data)) == 1


def test_the_loser_waits_for_the_winners_lock_then_reports_it(data):
    """Forces the worst interleaving: both read 'pending', the second UPDATE blocks on the first's row lock
    and, once the first commits, matches nothing."""
    decided, release = threading.Event(), threading.Event()
    outcomes = {}

    def winner():
        with tenant_scope(data.a, data.ana) as conn:
            outcomes["ana"] = decide(conn, distributor_id=str(data.a), user_id=str(data.ana),
                                     response_id=data.r2, decision="approved")
            decided.set()
            release.wait(timeout=10)  # commit only once the other UPDATE is waiting for our lock

    def loser():
        decided.wait(timeout=10)
        with tenant_scope(data.a, data.bruno) as conn:
            outcomes["bruno"] = decide(conn, distributor_id=str(data.a), user_id=str(data.bruno),
                                       response_id=data.r2, decision="edited", final_content="Otra cosa")

    threads = [threading.Thread(target=winner), threading.Thread(target=loser)]
    for t in threads:
        t.start()
    deadline = time.monotonic() + 10
    try:
        while not loser_waits_for_lock(data):
            assert time.monotonic() < deadline, "the second UPDATE never waited for the row lock"
            time.sleep(0.02)
    finally:
        release.set()
    for t in threads:
        t.join(timeout=30)
    assert outcomes["ana"].result == "applied"
    assert (outcomes["bruno"].result, outcomes["bruno"].status, outcomes["bruno"].reviewer) == (
        "already_reviewed", "approved", "Ana")
    assert response_row(data, data.r2).final_content == "Gracias, anotado."
    assert len(audit_rows(data)) == 1 and training_rows(data) == []
