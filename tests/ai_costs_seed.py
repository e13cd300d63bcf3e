"""A hand-computed AI usage dataset shared by the AI costs query and page tests.

Distributor in America/Sao_Paulo (UTC-3). Current period 1–10 March 2026 (local), previous 19–28 February.

rollup (ai_usage_metrics), in the period                     requests  in      out     cost¢  errors  avg ms
  03-01 gpt-4o-mini  reply                                      100   50,000  20,000    150      2     800
  03-01 gpt-4o       order_extraction                            20   30,000  10,000    400      1    2000
  03-05 gpt-4o-mini  classification                              50   10,000   1,000     25      0     300
  03-10 gpt-4o       order_extraction                            30   45,000  15,000    600      3    2500
  03-10 local-llama  reply (10 unpriced)                         10    5,000   2,000      0      0    1000
  totals                                                        210  140,000  48,000   1175      6
previous period: 02-28 gpt-4o reply, 40 requests, 200¢, 4 errors, 500 ms.  03-11 is outside.
responses in the period (latency ms): 100 200 300 400 500 600 700 1000 in conversations A, B, C;
AI orders in the period: 2. Prompt versions reply-v1 (100 requests) and reply-v2 (50).
"""

from __future__ import annotations

from datetime import UTC, date, datetime

from sqlalchemy import text

from tests import factories as f

TZ = "America/Sao_Paulo"
START, END = date(2026, 3, 1), date(2026, 3, 10)
PREV_START, PREV_END = date(2026, 2, 19), date(2026, 2, 28)


def utc(*args):
    return datetime(*args, tzinfo=UTC)


def rollup(conn, d, day, model, feature, requests, tokens_in, tokens_out, cost, errors, latency, unpriced=0):
    uid = f.usage(conn, d, day, model, feature, requests=requests, input_tokens=tokens_in,
                  output_tokens=tokens_out, cost_cents=cost, errors=errors, avg_latency_ms=latency)
    conn.execute(text("update ai_usage_metrics set unpriced_requests = :u where id = :i"),
                 {"u": unpriced, "i": uid})


def prompt_row(conn, d, day, version, requests, approved, edited, rejected, confidence, latency, cost):
    conn.execute(text(
        "insert into ai_prompt_performance (distributor_id, date, prompt_version, feature, model, requests, "
        "approved, edited, rejected, avg_confidence, avg_latency_ms, cost_cents) values "
        "(:d, :day, :v, 'reply', 'gpt-4o-mini', :r, :a, :e, :x, :c, :l, :cost)"),
        {"d": d, "day": day, "v": version, "r": requests, "a": approved, "e": edited, "x": rejected,
         "c": confidence, "l": latency, "cost": cost})


def seed(conn, **distributor) -> str:
    """Seeds the dataset; returns the distributor id. `distributor` goes to factories.distributor."""
    d = f.distributor(conn, **({"tz": TZ} | distributor))
    # ---- the daily rollup (dates are São Paulo dates)
    rollup(conn, d, date(2026, 3, 1), "gpt-4o-mini", "reply", 100, 50_000, 20_000, 150, 2, 800)
    rollup(conn, d, date(2026, 3, 1), "gpt-4o", "order_extraction", 20, 30_000, 10_000, 400, 1, 2000)
    rollup(conn, d, date(2026, 3, 5), "gpt-4o-mini", "classification", 50, 10_000, 1_000, 25, 0, 300)
    rollup(conn, d, date(2026, 3, 10), "gpt-4o", "order_extraction", 30, 45_000, 15_000, 600, 3, 2500)
    rollup(conn, d, date(2026, 3, 10), "local-llama", "reply", 10, 5_000, 2_000, 0, 0, 1000, unpriced=10)
    rollup(conn, d, date(2026, 2, 28), "gpt-4o", "reply", 40, 1_000, 1_000, 200, 4, 500)
    rollup(conn, d, date(2026, 3, 11), "gpt-4o", "reply", 99, 9_999, 9_999, 999, 9, 9999)
    # ---- responses: conversations A, B, C in the period; D only outside it
    cust = f.customer(conn, d)
    conv = {k: f.conversation(conn, d, cust, started_at=utc(2026, 2, 1)) for k in "ABCD"}
    responses = [  # (conversation, model, latency, status, cost, created_at)
        ("A", "gpt-4o-mini", 100, "approved", 1.0, utc(2026, 3, 2, 12)),
        ("A", "gpt-4o-mini", 200, "edited", 1.0, utc(2026, 3, 2, 13)),
        ("A", "gpt-4o", 300, "rejected", 20.0, utc(2026, 3, 3, 12)),
        ("B", "gpt-4o", 400, "approved", 20.0, utc(2026, 3, 4, 12)),
        ("B", "gpt-4o", 500, "pending", 20.0, utc(2026, 3, 4, 13)),
        ("B", "local-llama", 1000, "approved", None, utc(2026, 3, 10, 12)),
        ("B", "mystery-model", 700, "pending", None, utc(2026, 3, 6, 12)),
        # 02:00 UTC on 11 March is 23:00 on 10 March in São Paulo: inside
        ("C", "gpt-4o-mini", 600, "rejected", 1.0, utc(2026, 3, 11, 2)),
        # 03:30 UTC on 11 March is 00:30 on the 11th there: outside
        ("D", "gpt-4o-mini", 99_999, "rejected", None, utc(2026, 3, 11, 3, 30)),
        # 02:59 UTC on 1 March is 23:59 on 28 February there: previous period
        ("D", "gpt-4o", 250, "approved", 5.0, utc(2026, 3, 1, 2, 59)),
    ]
    for key, model, latency, status, cost, at in responses:
        mid = f.message(conn, d, conv[key], "2 cases of cola", created_at=at)
        f.ai_response(conn, d, mid, model=model, latency_ms=latency, status=status, cost_cents=cost,
                      created_at=at)
    # ---- orders: two by the AI inside the period (one late on the 10th local), others not counted
    for source, at in [("ai", utc(2026, 3, 5, 12)), ("ai", utc(2026, 3, 11, 1)),
                       ("manual", utc(2026, 3, 6)), ("ai", utc(2026, 3, 11, 4))]:
        f.order(conn, d, cust, [(None, "Cola", 1, 100)], source=source, created_at=at)
    # ---- prompt versions
    prompt_row(conn, d, date(2026, 3, 1), "reply-v1", 60, 30, 10, 20, 0.8, 900, 90)
    prompt_row(conn, d, date(2026, 3, 2), "reply-v1", 40, 20, 10, 10, 0.9, 700, 60)
    prompt_row(conn, d, date(2026, 3, 2), "reply-v2", 50, 40, 5, 5, 0.95, 600, 80)
    prompt_row(conn, d, date(2026, 2, 27), "reply-v2", 500, 0, 0, 500, 0.1, 9000, 9000)
    return str(d)
