"""ai.metering: an answered call -> ai_responses + daily rollups (averages, p95, unpriced) + prompt
performance + budget evaluation; a failed call -> ai_errors + errors count. Days in the distributor's zone."""

from __future__ import annotations

import threading
from datetime import UTC, date, datetime
from decimal import Decimal

import pytest
from sqlalchemy import text

from ai.errors import AIError
from ai.metering import CallRecord, record_call, record_failure
from ai.pricing import price_call
from core.db import tenant_scope
from tests import factories as f

# 01:30 UTC on 10 March is still 9 March in São Paulo (UTC-3)
NOW = datetime(2026, 3, 10, 1, 30, tzinfo=UTC)
LOCAL_DAY = date(2026, 3, 9)
LOCAL_MODEL = "acme-local-llm"  # unknown to genai-prices


def seed(engine, **distributor):
    with engine.begin() as conn:
        d = f.distributor(conn, tz="America/Sao_Paulo", **distributor)
        c = f.customer(conn, d)
        conv = f.conversation(conn, d, c)
        m = f.message(conn, d, conv, "2 cajas de coca cola 2L")
        u = f.user(conn, d, "support")
    return str(d), str(u), m


def call(
    message_id,
    *,
    model="gpt-4o-mini",
    feature="reply",
    tokens=(1000, 200),
    latency=100,
    confidence=None,
    version="reply-v1",
):
    return CallRecord(
        message_id=message_id,
        feature=feature,
        model=model,
        prompt_version=version,
        content="Hola!",
        input_tokens=tokens[0],
        output_tokens=tokens[1],
        latency_ms=latency,
        confidence=confidence,
    )


def record(d, u, rec, now=NOW, overrides=None):
    with tenant_scope(d, u) as conn:
        return record_call(conn, d, u, rec, overrides=overrides, now=now)


def usage_row(engine, d, model="gpt-4o-mini", feature="reply"):
    with engine.connect() as conn:
        return conn.execute(
            text(
                "select date, requests, input_tokens, output_tokens, cost_cents, unpriced_requests, errors, "
                "avg_latency_ms, p95_latency_ms, avg_confidence from ai_usage_metrics "
                "where distributor_id = :d and model = :m and feature = :f"
            ),
            {"d": d, "m": model, "f": feature},
        ).one()


def test_calls_roll_up_per_local_day_with_averages_and_p95(clean_db):
    d, u, m = seed(clean_db)
    calls = [
        call(m, tokens=(1000, 200), latency=100),
        call(m, tokens=(500, 50), latency=200),
        call(m, tokens=(2000, 400), latency=400),
    ]
    results = [record(d, u, c) for c in calls]

    expected_costs = [price_call("gpt-4o-mini", *t) for t in ((1000, 200), (500, 50), (2000, 400))]
    assert [r.cost_cents for r in results] == expected_costs
    assert all(c > 0 for c in expected_costs)
    row = usage_row(clean_db, d)
    assert row.date == LOCAL_DAY
    assert (row.requests, row.input_tokens, row.output_tokens) == (3, 3500, 650)
    assert row.cost_cents == pytest.approx(sum(expected_costs), abs=Decimal("0.000001"))
    assert (row.unpriced_requests, row.errors) == (0, 0)
    # (100 + 200 + 400) / 3 = 233.33; p95 of [100, 200, 400]: 200 + 0.9 * (400 - 200) = 380
    assert row.avg_latency_ms == Decimal("233.33")
    assert row.p95_latency_ms == 380
    assert row.avg_confidence is None

    with clean_db.connect() as conn:
        responses = conn.execute(
            text(
                "select status, cost_cents, (created_at at time zone 'America/Sao_Paulo')::date as day "
                "from ai_responses where distributor_id = :d order by id"
            ),
            {"d": d},
        ).all()
        prompt = conn.execute(
            text(
                "select date, prompt_version, feature, model, requests, cost_cents, avg_latency_ms "
                "from ai_prompt_performance where distributor_id = :d"
            ),
            {"d": d},
        ).one()
        audits = conn.execute(
            text(
                "select count(*) from data_access_audit where distributor_id = :d "
                "and action = 'ai_call' and resource = 'ai_responses'"
            ),
            {"d": d},
        ).scalar()
    assert [r.status for r in responses] == ["pending"] * 3
    assert [r.day for r in responses] == [LOCAL_DAY] * 3
    assert [round(r.cost_cents, 6) for r in responses] == [round(c, 6) for c in expected_costs]
    assert (prompt.date, prompt.prompt_version, prompt.feature, prompt.model, prompt.requests) == (
        LOCAL_DAY,
        "reply-v1",
        "reply",
        "gpt-4o-mini",
        3,
    )
    assert prompt.avg_latency_ms == Decimal("233.33")
    assert audits == 3


def test_usage_row_equals_the_aggregate_of_the_responses(clean_db):
    d, u, m = seed(clean_db)
    for i, (tokens, latency, conf) in enumerate(
        [((120, 30), 850, 0.9), ((300, 80), 1200, 0.6), ((90, 10), 400, 0.75), ((410, 95), 2300, 0.8)]
    ):
        record(
            d,
            u,
            call(
                m,
                feature="order_extraction",
                tokens=tokens,
                latency=latency,
                confidence=conf,
                version="order-v1",
            ),
            now=NOW.replace(minute=i),
        )
    with clean_db.connect() as conn:
        agg = conn.execute(
            text(
                "select count(*) as requests, sum(input_tokens) as input_tokens,"
                " sum(output_tokens) as output_tokens,"
                " sum(cost_cents) as cost_cents, round(avg(latency_ms), 2) as avg_latency,"
                " round(percentile_cont(0.95) within group (order by latency_ms))::int as p95,"
                " round(avg(confidence), 3) as avg_conf from ai_responses where distributor_id = :d"
            ),
            {"d": d},
        ).one()
    row = usage_row(clean_db, d, feature="order_extraction")
    assert (row.requests, row.input_tokens, row.output_tokens) == (
        agg.requests,
        agg.input_tokens,
        agg.output_tokens,
    )
    assert row.cost_cents == agg.cost_cents
    assert (row.avg_latency_ms, row.p95_latency_ms, row.avg_confidence) == (
        agg.avg_latency,
        agg.p95,
        agg.avg_conf,
    )
    # by hand: latencies 400, 850, 1200, 2300 -> avg 1187.5; p95 at 2.85: 1200 + 0.85 * 1100 = 2135
    # confidences (0.9 + 0.6 + 0.75 + 0.8) / 4 = 0.7625 -> 0.763 (numeric rounds half away from zero)
    assert (row.avg_latency_ms, row.p95_latency_ms, row.avg_confidence) == (
        Decimal("1187.50"),
        2135,
        Decimal("0.763"),
    )


def test_unpriced_model_keeps_cost_null_and_counts_it(clean_db):
    d, u, m = seed(clean_db)
    first = record(d, u, call(m, model=LOCAL_MODEL, tokens=(800, 100)))
    second = record(d, u, call(m, model=LOCAL_MODEL, tokens=(200, 50)))
    assert first.cost_cents is None and second.cost_cents is None
    row = usage_row(clean_db, d, model=LOCAL_MODEL)
    assert (row.requests, row.unpriced_requests, row.cost_cents) == (2, 2, 0)
    assert (row.input_tokens, row.output_tokens) == (1000, 150)
    with clean_db.connect() as conn:
        costs = conn.execute(text("select cost_cents from ai_responses where distributor_id = :d"), {"d": d})
        assert [c for (c,) in costs] == [None, None]

    # with a settings override the same model is priced: (1000 * 2 + 100 * 8) / 1e6 USD = 0.28 cents
    overrides = {LOCAL_MODEL: (Decimal(2), Decimal(8))}
    third = record(d, u, call(m, model=LOCAL_MODEL, tokens=(1000, 100)), overrides=overrides)
    assert third.cost_cents == Decimal("0.28")
    row = usage_row(clean_db, d, model=LOCAL_MODEL)
    assert (row.requests, row.unpriced_requests, row.cost_cents) == (3, 2, Decimal("0.28"))


def test_failure_writes_ai_errors_and_counts_an_error_with_billed_tokens(clean_db):
    d, u, m = seed(clean_db)
    record(d, u, call(m, tokens=(100, 10), latency=300))
    with tenant_scope(d, u) as conn:
        record_failure(
            conn,
            d,
            u,
            AIError("timeout", "APITimeoutError"),
            feature="reply",
            model="gpt-4o-mini",
            message_id=m,
            prompt_version="reply-v1",
            now=NOW,
        )
        record_failure(
            conn,
            d,
            u,
            AIError(
                "truncated", "finish_reason=length", input_tokens=50, output_tokens=20, raw="Hola, te conf"
            ),
            feature="reply",
            model="gpt-4o-mini",
            message_id=m,
            prompt_version="reply-v1",
            now=NOW,
        )
    row = usage_row(clean_db, d)
    assert (row.requests, row.errors) == (1, 2)
    assert (row.input_tokens, row.output_tokens) == (150, 30)
    assert row.cost_cents == pytest.approx(
        price_call("gpt-4o-mini", 100, 10) + price_call("gpt-4o-mini", 50, 20), abs=Decimal("0.000001")
    )
    assert row.avg_latency_ms == Decimal("300.00")  # failures have no latency in the averages
    with clean_db.connect() as conn:
        errors = conn.execute(
            text(
                "select error_type, message_id, created_by::text, context from ai_errors "
                "where distributor_id = :d order by id"
            ),
            {"d": d},
        ).all()
    assert [(e.error_type, e.message_id, e.created_by) for e in errors] == [
        ("timeout", m, u),
        ("truncated", m, u),
    ]
    assert errors[1].context["raw_excerpt"] == "Hola, te conf"
    assert errors[1].context["output_tokens"] == 20


def test_budget_blocked_is_an_error_row_only(clean_db):
    d, u, m = seed(clean_db)
    with tenant_scope(d, u) as conn:
        record_failure(
            conn,
            d,
            u,
            AIError("budget_blocked", "hard limit"),
            feature="order_extraction",
            model="gpt-4o-mini",
            message_id=m,
        )
    with clean_db.connect() as conn:
        assert conn.execute(
            text("select error_type from ai_errors where distributor_id = :d"), {"d": d}
        ).scalars().all() == ["budget_blocked"]
        assert (
            conn.execute(
                text("select count(*) from ai_usage_metrics where distributor_id = :d"), {"d": d}
            ).scalar()
            == 0
        )


def test_call_that_crosses_a_threshold_raises_its_alert(clean_db):
    # budget 150 cents; a call of 1000 input tokens at $1000 / M = 100 cents = 66.7 % -> the 50 % alert
    d, u, m = seed(clean_db, budget_cents=150)
    overrides = {LOCAL_MODEL: (Decimal(1000), Decimal(0))}
    result = record(d, u, call(m, model=LOCAL_MODEL, tokens=(1000, 0)), overrides=overrides)
    assert result.cost_cents == Decimal(100)
    assert result.budget.new_alerts == (50,)
    assert result.budget.spend_cents == Decimal(100)
    second = record(d, u, call(m, model=LOCAL_MODEL, tokens=(300, 0)), overrides=overrides)
    assert second.budget.new_alerts == (80,)  # 130 / 150 = 86.7 %


def test_concurrent_calls_keep_the_rollup_consistent(clean_db):
    d, u, m = seed(clean_db)
    barrier = threading.Barrier(4)
    errors: list[BaseException] = []

    def worker(latency):
        try:
            barrier.wait(timeout=10)
            record(d, u, call(m, tokens=(100, 10), latency=latency))
        except BaseException as exc:  # reported below
            errors.append(exc)

    threads = [threading.Thread(target=worker, args=(lat,)) for lat in (100, 200, 300, 400)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    row = usage_row(clean_db, d)
    # p95 of 100..400: 300 + 0.85 * 100 = 385, whatever order the calls committed in
    assert (row.requests, row.input_tokens, row.avg_latency_ms, row.p95_latency_ms) == (
        4,
        400,
        Decimal("250.00"),
        385,
    )
