"""queries.ai_costs on a hand-computed dataset (distributor in São Paulo, UTC-3; period 1–10 March 2026)."""

from __future__ import annotations

from datetime import date

import pytest

from core.db import tenant_scope
from queries import ai_costs as q
from tests import factories as f
from tests.ai_costs_seed import END, PREV_END, PREV_START, START, TZ, seed


@pytest.fixture
def dataset(clean_db):
    with clean_db.begin() as conn:
        return seed(conn)


def run(d, fn, start=START, end=END):
    with tenant_scope(d) as conn:
        return fn(conn, d, start, end, TZ)


def records(df):
    return [tuple(None if v != v else v for v in row) for row in df.itertuples(index=False)]  # NaN -> None


def test_cost_kpis(dataset):
    k = run(dataset, q.cost_kpis)
    totals = (k["spend_cents"], k["requests"], k["input_tokens"], k["output_tokens"])
    assert totals == (1175, 210, 140_000, 48_000)
    assert (k["errors"], k["unpriced_requests"], k["conversations"], k["ai_orders"]) == (6, 10, 3, 2)
    assert k["avg_latency_ms"] == pytest.approx(220_000 / 210)     # request-weighted daily averages
    # latencies in the period: 100 200 300 400 500 600 700 1000; p95 at rank 0.95 * 7 = 6.65
    assert k["p95_latency_ms"] == pytest.approx(700 + 0.65 * 300)
    assert k["error_rate"] == pytest.approx(6 / 216)       # failed / (answered + failed)
    assert k["cost_per_ai_order_cents"] == pytest.approx(1175 / 2)
    assert k["cost_per_conversation_cents"] == pytest.approx(1175 / 3)


def test_cost_kpis_previous_period(dataset):
    k = run(dataset, q.cost_kpis, PREV_START, PREV_END)
    totals = (k["spend_cents"], k["requests"], k["errors"], k["conversations"], k["ai_orders"])
    assert totals == (200, 40, 4, 1, 0)
    assert (k["avg_latency_ms"], k["p95_latency_ms"]) == (500, 250)
    assert k["error_rate"] == pytest.approx(4 / 44)
    assert k["cost_per_ai_order_cents"] is None
    assert k["cost_per_conversation_cents"] == 200


def test_cost_kpis_of_an_empty_period(dataset):
    k = run(dataset, q.cost_kpis, date(2025, 1, 1), date(2025, 1, 31))
    assert (k["spend_cents"], k["requests"], k["conversations"], k["ai_orders"]) == (0, 0, 0, 0)
    assert (k["avg_latency_ms"], k["p95_latency_ms"], k["error_rate"], k["cost_per_conversation_cents"]) == (
        None, None, None, None)


def test_spend_daily_by_model(dataset):
    assert records(run(dataset, q.spend_daily_by_model)) == [
        (date(2026, 3, 1), "gpt-4o", 4.0), (date(2026, 3, 1), "gpt-4o-mini", 1.5),
        (date(2026, 3, 5), "gpt-4o-mini", 0.25),
        (date(2026, 3, 10), "gpt-4o", 6.0), (date(2026, 3, 10), "local-llama", 0.0),
    ]


def test_spend_by_feature(dataset):
    assert records(run(dataset, q.spend_by_feature)) == [
        ("order_extraction", 50, 10.0), ("reply", 110, 1.5), ("classification", 50, 0.25),
    ]


def test_tokens_daily(dataset):
    assert records(run(dataset, q.tokens_daily)) == [
        (date(2026, 3, 1), "input", 80_000), (date(2026, 3, 1), "output", 30_000),
        (date(2026, 3, 5), "input", 10_000), (date(2026, 3, 5), "output", 1_000),
        (date(2026, 3, 10), "input", 50_000), (date(2026, 3, 10), "output", 17_000),
    ]


def test_model_latency_errors(dataset):
    df = run(dataset, q.model_latency_errors)
    assert df.model.tolist() == ["gpt-4o", "gpt-4o-mini", "local-llama"]
    assert df.requests.tolist() == [50, 150, 10]
    assert df.errors.tolist() == [4, 2, 0]
    assert df.error_rate.tolist() == pytest.approx([4 / 54, 2 / 152, 0])
    assert df.avg_latency_ms.tolist() == pytest.approx([115_000 / 50, 95_000 / 150, 1000])
    # p95 of (300, 400, 500) = 400 + 0.9 * 100; of (100, 200, 600) = 200 + 0.9 * 400; a single 1000
    assert df.p95_latency_ms.tolist() == pytest.approx([490, 560, 1000])


def test_model_acceptance(dataset):
    assert records(run(dataset, q.model_acceptance)) == [
        # model, requests, reviewed, approved, edited, rejected, acceptance, cost per priced request
        ("gpt-4o", 50, 2, 1, 0, 1, 0.5, 20.0),
        ("gpt-4o-mini", 150, 3, 1, 1, 1, pytest.approx(2 / 3), pytest.approx(175 / 150)),
        ("local-llama", 10, 1, 1, 0, 0, 1.0, None),       # every request unpriced: no cost per request
        ("mystery-model", 0, 0, 0, 0, 0, None, None),     # responses but no rollup row yet
    ]


def test_prompt_versions(dataset):
    assert records(run(dataset, q.prompt_versions)) == [
        ("reply-v1", "reply", "gpt-4o-mini", 100, 50, 20, 30, 0.7, pytest.approx(0.84), 820.0, 1.5, 1.5),
        ("reply-v2", "reply", "gpt-4o-mini", 50, 40, 5, 5, 0.9, 0.95, 600.0, 0.8, 1.6),
    ]


def test_model_feature_table(dataset):
    assert records(run(dataset, q.model_feature_table)) == [
        ("gpt-4o", "order_extraction", 50, 75_000, 25_000, 10.0, 20.0, 4, 0),
        ("gpt-4o-mini", "reply", 100, 50_000, 20_000, 1.5, 1.5, 2, 0),
        ("gpt-4o-mini", "classification", 50, 10_000, 1_000, 0.25, 0.5, 0, 0),
        ("local-llama", "reply", 10, 5_000, 2_000, 0.0, None, 0, 10),
    ]


def test_unpriced_by_model(dataset):
    # local-llama: 10 in the rollup (its one stored response is among them); mystery-model: only a response
    assert records(run(dataset, q.unpriced_by_model)) == [("local-llama", 10), ("mystery-model", 1)]
    assert records(run(dataset, q.unpriced_by_model, PREV_START, PREV_END)) == []


def test_another_tenant_sees_nothing(dataset, clean_db):
    with clean_db.begin() as conn:
        other = str(f.distributor(conn, "Other"))
    assert run(other, q.cost_kpis)["requests"] == 0
    for fn in (q.spend_daily_by_model, q.spend_by_feature, q.tokens_daily, q.model_latency_errors,
               q.model_acceptance, q.prompt_versions, q.model_feature_table, q.unpriced_by_model):
        assert run(other, fn).empty
