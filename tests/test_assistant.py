"""ai.assistant / assistant_replies / assistant_orders with the real openai client over HTTP against
tests.fake_openai: metering of streamed replies and order drafts, grounding in the catalog, retries,
failures (recorded, explained, nothing lost), PII redaction, the budget gate, matching history."""

from __future__ import annotations

import json
import math
from datetime import UTC, datetime
from decimal import Decimal

import pytest
from sqlalchemy import text

from ai.assistant import AssistantConfig, effective_rules, pasted_message
from ai.assistant_orders import confirm_draft, draft_order
from ai.assistant_replies import offline_reply, save_reply, start_reply
from ai.client import AISettings
from ai.draft_rows import base_rows, current_lines, order_lines, product_label
from ai.errors import USER_MESSAGES, AIError
from ai.pii import DEFAULT_RULES
from ai.pricing import price_call
from core import clock
from core.db import tenant_scope
from queries.assistant import PIIRule, StoredRule
from queries.assistant import catalog as queries_catalog
from services.text_limits import TextInvalid
from tests import factories as f
from tests.ai.sample_catalog import _ROWS
from tests.fake_openai import Script, error, fake_openai_fixture, json_reply  # noqa: F401

MODEL = "gpt-4o-mini"
EMAIL, PHONE, CARD, TAX = "ana.perez@example.com", "+55 11 98765-4321", "4111 1111 1111 1111", "20-12345678-9"
MESSAGE = (
    f"Hola, soy Ana ({EMAIL}, {PHONE}). Quiero 2 cajas de coca cola 2L y 10 agua 500ml. "
    f"Pago con tarjeta {CARD}, CUIT {TAX}"
)


def seed(engine, *, message=MESSAGE, budget_cents=None, hard_limit=False, spend_today=None, tz="UTC"):
    """A distributor with the sample catalog, a Spanish-speaking customer, a conversation ending in `message`,
    a support agent and a CUIT rule of its own; returns ids (products by SKU)."""
    with engine.begin() as conn:
        d = f.distributor(conn, "Bebidas Sur", budget_cents=budget_cents, hard_limit=hard_limit, tz=tz)
        u = f.user(conn, d, "support")
        c = f.customer(conn, d, "Ana Pérez", language="es")
        conv = f.conversation(conn, d, c)
        f.message(conn, d, conv, "Buen día", created_at=datetime(2026, 3, 1, 9, tzinfo=UTC))
        f.message(
            conn,
            d,
            conv,
            "¡Hola Ana! ¿En qué te ayudamos?",
            direction="outbound",
            created_at=datetime(2026, 3, 1, 9, 5, tzinfo=UTC),
        )
        m = f.message(conn, d, conv, message, created_at=datetime(2026, 3, 1, 9, 10, tzinfo=UTC))
        skus = {
            sku: f.product(conn, d, sku, name, price, aliases=list(aliases), unit=unit)
            for sku, name, aliases, unit, price, _ in _ROWS
        }
        rule = conn.execute(
            text(
                "insert into pii_detection_rules (distributor_id, name, pii_type, pattern, replacement) "
                r"values (:d, 'cuit', 'tax_id', '\d{2}-\d{8}-\d', '[TAX_ID]') returning id"
            ),
            {"d": d},
        ).scalar_one()
        if spend_today is not None:
            f.usage(
                conn,
                d,
                clock.now().date(),
                MODEL,
                "reply",
                requests=1,
                input_tokens=1,
                output_tokens=1,
                cost_cents=spend_today,
            )
    return {"d": str(d), "u": str(u), "c": c, "conv": conv, "m": m, "skus": skus, "rule": rule}


def load_catalog(d):
    with tenant_scope(d) as conn:
        return queries_catalog(conn, d)


def config(fake, *, model=MODEL, timeout_s=5.0, max_retries=0):
    return AssistantConfig(
        AISettings(
            api_key="test-key",
            base_url=fake.base_url,
            model=model,
            timeout_s=timeout_s,
            max_retries=max_retries,
        )
    )


def rows(engine, sql, **params):
    with engine.connect() as conn:
        return conn.execute(text(sql), params).all()


def reply(cfg, s):
    job = start_reply(cfg, s["d"], s["u"], s["m"])
    pieces = list(job.chunks())
    return job, "".join(pieces)


def order_answer(*lines, date=None):
    return {
        "lines": [
            {"product_wording": w, "quantity": q, "unit": u, "notes": None, "sku": sku}
            for w, q, u, sku in lines
        ],
        "requested_delivery_date": date,
        "notes": None,
    }


def test_streamed_reply_is_recorded_with_the_reported_tokens_and_cost(clean_db, fake_openai):
    s = seed(clean_db)
    fake_openai.script(
        Script(text="¡Hola Ana! Anotamos 2 cajas de Coca-Cola 2L y 10 aguas.", usage=(321, 17))
    )

    job, streamed = reply(config(fake_openai), s)

    assert streamed == job.text == "¡Hola Ana! Anotamos 2 cajas de Coca-Cola 2L y 10 aguas."
    expected = price_call(MODEL, 321, 17)
    assert expected > 0 and job.cost_cents == expected
    (resp,) = rows(
        clean_db,
        "select id, message_id, kind, content, model, prompt_version, input_tokens, "
        "output_tokens, tokens_estimated, cost_cents, status from ai_responses",
    )
    assert (resp.id, resp.message_id, resp.kind, resp.content) == (job.response_id, s["m"], "reply", streamed)
    assert (resp.model, resp.prompt_version, resp.status) == (MODEL, "reply-v1", "pending")
    assert (resp.input_tokens, resp.output_tokens, resp.tokens_estimated) == (321, 17, False)
    assert round(resp.cost_cents, 6) == round(expected, 6)
    (usage,) = rows(
        clean_db,
        "select feature, requests, input_tokens, output_tokens, cost_cents, errors from ai_usage_metrics",
    )
    assert (usage.feature, usage.requests, usage.input_tokens, usage.output_tokens, usage.errors) == (
        "reply",
        1,
        321,
        17,
        0,
    )
    assert round(usage.cost_cents, 6) == round(expected, 6)
    # the prompt: Spanish, the distributor's tone, the conversation in order (system prompt + 3 messages)
    sent = fake_openai.requests[0]["messages"]
    assert "Spanish" in sent[0]["content"] and "Bebidas Sur" in sent[0]["content"]
    assert [m["role"] for m in sent] == ["system", "user", "assistant", "user"]
    assert sent[1]["content"] == "Buen día"


def test_pii_never_reaches_the_server_and_the_findings_are_recorded(clean_db, fake_openai):
    s = seed(clean_db)
    fake_openai.script(
        Script(text="Hola Ana"), json_reply(order_answer(("coca cola 2L", 2, "caja", "COKE-2L")))
    )
    cfg = config(fake_openai)

    job, _ = reply(cfg, s)
    draft = draft_order(cfg, s["d"], s["u"], s["m"], use_ai=True)

    assert len(fake_openai.requests) == 2
    for body in fake_openai.requests:
        sent = json.dumps(body, ensure_ascii=False)
        for secret in (EMAIL, "98765-4321", CARD, "4111", TAX):
            assert secret not in sent
        assert all(tag in sent for tag in ("[EMAIL]", "[PHONE]", "[CARD]", "[TAX_ID]"))
    expected = {"card": 1, "email": 1, "phone": 1, "tax_id": 1}
    assert job.redacted == draft.redacted == expected
    # recorded once per message and rule, though the message was sent twice; the CUIT under its own rule
    found = rows(
        clean_db,
        "select message_id, rule_id, pii_type, match_count, context from pii_detection_results "
        "order by pii_type",
    )
    assert [(r.message_id, r.pii_type, r.match_count, r.context) for r in found] == [
        (s["m"], t, 1, "assistant") for t in sorted(expected)
    ]
    assert [r.rule_id for r in found] == [None, None, None, s["rule"]]


@pytest.mark.parametrize(
    ("tz", "sent", "found"),
    [
        # a Colombian tenant: the NIT's check digit and the phone numbering of Colombia decide
        ("America/Bogota", "NIT [TAX_ID] (no 900.123.456-7), cel [PHONE]. Van 100 200 300 400 botellas",
         {"phone": 1, "tax_id": 1}),
        # a tenant of no country: any NIT-shaped number, any 8-15 digits in groups
        ("UTC", "NIT [TAX_ID] (no [TAX_ID]), cel [PHONE]. Van [PHONE] botellas", {"phone": 2, "tax_id": 2}),
    ],
)
def test_the_tenants_country_decides_what_is_a_phone_or_a_tax_id(clean_db, fake_openai, tz, sent, found):
    message = "NIT 900.123.456-8 (no 900.123.456-7), cel 3001234567. Van 100 200 300 400 botellas"
    s = seed(clean_db, message=message, tz=tz)
    fake_openai.script(Script(text="Listo"))
    job, _ = reply(config(fake_openai), s)
    assert fake_openai.requests[0]["messages"][-1]["content"] == sent
    assert job.redacted == found


def test_order_draft_is_grounded_in_the_catalog(clean_db, fake_openai):
    s = seed(clean_db, message="Hola! 2 cajas de coca cola 2L, 3 coca y 4 unicorn tonic para el 2026-03-20")
    fake_openai.script(
        json_reply(
            order_answer(
                ("cajas de coca cola 2L", 2, "caja", "COKE-2L"),
                ("coca", 3, None, "COKE-600"),  # ambiguous wording: the model's choice among the candidates
                ("unicorn tonic", 4, None, "UNI-999"),  # an invented SKU: rejected, the line stays unmatched
                date="2026-03-20",
            ),
            usage=(400, 60),
        )
    )

    draft = draft_order(config(fake_openai), s["d"], s["u"], s["m"], use_ai=True)

    skus = s["skus"]
    got = [
        (
            ln.raw_text,
            ln.quantity,
            ln.product.id if ln.product else None,
            ln.method,
            ln.unit_price_cents,
            ln.line_total_cents,
            ln.flagged,
        )
        for ln in draft.lines
    ]
    assert got == [
        ("cajas de coca cola 2L", Decimal(2), skus["COKE-2L"], "fuzzy", 350, 700, False),
        ("coca", Decimal(3), skus["COKE-600"], "ai", 190, 570, False),
        ("unicorn tonic", Decimal(4), None, "none", 0, 0, True),
    ]
    assert draft.rejected_skus == ("UNI-999",)
    assert (draft.offline, str(draft.requested_delivery_date)) == (False, "2026-03-20")
    # the model was offered only catalog SKUs
    offered = fake_openai.requests[0]["messages"][1]["content"]
    assert '"sku": "COKE-600"' in offered and "UNI-999" not in offered
    (resp,) = rows(
        clean_db,
        "select id, kind, prompt_version, input_tokens, output_tokens, confidence, structured "
        "from ai_responses",
    )
    assert (resp.id, resp.kind, resp.prompt_version, resp.input_tokens, resp.output_tokens) == (
        draft.response_id,
        "order_extraction",
        "order-v1",
        400,
        60,
    )
    assert [ln["sku"] for ln in resp.structured["lines"]] == ["COKE-2L", "COKE-600", None]
    assert resp.structured["rejected_skus"] == ["UNI-999"]
    # "cajas de coca cola 2L" is 0.9565 like Coca-Cola 2L, "coca" exactly like the 600 ml one: the
    # response's confidence is the mean, an unmatched line counting 0: (0.9565 + 1 + 0) / 3 = 0.652
    assert [ln.confidence for ln in draft.lines[:2]] == [0.9565, 1.0]
    assert resp.confidence == Decimal("0.652")


def test_stream_closed_midway_is_recorded_with_estimated_tokens(clean_db, fake_openai):
    s = seed(clean_db)
    fake_openai.script(Script(text="¡Hola Ana! Anotamos tu pedido de hoy."))
    job = start_reply(config(fake_openai), s["d"], s["u"], s["m"])
    chunks = job.chunks()
    assert next(chunks) == "¡Hola "
    chunks.close()  # what a rerun of the page does to a stream being written

    prompt = "".join(m["content"] for m in fake_openai.requests[0]["messages"])
    (logged,) = rows(clean_db, "select error_type, context from ai_errors")
    assert logged.error_type == "other"
    # ceil(characters / 4): the prompt sent, and "¡Hola " (6 characters) -> 2
    prompt_tokens = math.ceil(len(prompt) / 4)
    assert (logged.context["input_tokens"], logged.context["output_tokens"]) == (prompt_tokens, 2)
    usage = rows(clean_db, "select requests, errors, input_tokens, output_tokens from ai_usage_metrics")
    assert [tuple(r) for r in usage] == [(0, 1, prompt_tokens, 2)]
    assert job.response_id is None


def test_rate_limit_then_success_is_retried(clean_db, fake_openai):
    s = seed(clean_db)
    fake_openai.script(error(429), Script(text="Listo, Ana.", usage=(50, 4)))
    job, streamed = reply(config(fake_openai, max_retries=2), s)
    assert streamed == "Listo, Ana." and job.response_id is not None
    assert len(fake_openai.requests) == 2
    assert rows(clean_db, "select count(*) from ai_errors")[0][0] == 0
    assert [tuple(r) for r in rows(clean_db, "select requests, errors from ai_usage_metrics")] == [(1, 0)]


def _run(feature, cfg, s):
    if feature == "reply":
        return reply(cfg, s)
    return draft_order(cfg, s["d"], s["u"], s["m"], use_ai=True)


@pytest.mark.parametrize(
    ("feature", "script", "kind"),
    [
        ("reply", Script(delay_s=2), "timeout"),
        ("reply", error(500), "server_error"),
        ("reply", Script(text="", refusal="I can't help with that."), "refusal"),
        ("order_extraction", Script(text='{"lines": [{"product_wording": "coca"'), "malformed_output"),
        ("order_extraction", Script(delay_s=2), "timeout"),
        ("order_extraction", Script(text="", refusal="No."), "refusal"),
    ],
)
def test_failures_are_recorded_explained_and_lose_nothing(clean_db, fake_openai, feature, script, kind):
    s = seed(clean_db)
    cfg = config(fake_openai, timeout_s=0.5)
    fake_openai.script(script)

    with pytest.raises(AIError) as err:
        _run(feature, cfg, s)

    assert err.value.kind == kind and err.value.user_message == USER_MESSAGES[kind]
    (logged,) = rows(
        clean_db, "select error_type, feature, model, message_id, created_by::text from ai_errors"
    )
    assert tuple(logged) == (kind, feature, MODEL, s["m"], s["u"])
    assert [tuple(r) for r in rows(clean_db, "select requests, errors from ai_usage_metrics")] == [(0, 1)]
    assert rows(clean_db, "select count(*) from ai_responses")[0][0] == 0
    # the customer's message is intact, and the same draft works on retry
    assert rows(clean_db, "select content from messages where id = :m", m=s["m"])[0][0] == MESSAGE
    fake_openai.script(
        Script(text="Hola")
        if feature == "reply"
        else json_reply(order_answer(("agua 500ml", 10, None, None)))
    )
    _run(feature, cfg, s)
    assert [tuple(r) for r in rows(clean_db, "select requests, errors from ai_usage_metrics")] == [(1, 1)]


def test_hard_limit_reached_sends_no_request(clean_db, fake_openai):
    s = seed(clean_db, budget_cents=100, hard_limit=True, spend_today=100)
    cfg = config(fake_openai)

    with pytest.raises(AIError) as replied:
        reply(cfg, s)
    with pytest.raises(AIError) as ordered:
        draft_order(cfg, s["d"], s["u"], s["m"], use_ai=True)

    assert fake_openai.requests == []
    assert replied.value.kind == ordered.value.kind == "budget_blocked"
    assert "used up" in replied.value.user_message and "offline drafter" in replied.value.user_message
    assert [tuple(r) for r in rows(clean_db, "select error_type, feature from ai_errors order by id")] == [
        ("budget_blocked", "reply"),
        ("budget_blocked", "order_extraction"),
    ]
    # nothing was prepared for sending
    assert rows(clean_db, "select count(*) from pii_detection_results")[0][0] == 0
    # the offline drafter still works
    offline = draft_order(cfg, s["d"], s["u"], s["m"], use_ai=False)
    assert [(ln.product.sku, ln.quantity) for ln in offline.lines] == [("COKE-2L", 2), ("WATER-500", 10)]
    assert fake_openai.requests == []


def test_usage_rollup_equals_the_responses_including_an_unpriced_model(clean_db, fake_openai):
    s = seed(clean_db)
    priced, local = config(fake_openai), config(fake_openai, model="acme-local-llm")
    fake_openai.script(
        Script(text="Hola", usage=(100, 10)),
        Script(text="Hola de nuevo", usage=(130, 12)),
        json_reply(order_answer(("agua 500ml", 10, None, "WATER-500")), usage=(300, 40)),
        Script(text="Hola local", usage=(90, 9)),
    )
    reply(priced, s)
    reply(priced, s)
    draft_order(priced, s["d"], s["u"], s["m"], use_ai=True)
    job, _ = reply(local, s)

    assert job.cost_cents is None
    assert (
        rows(clean_db, "select cost_cents from ai_responses where id = :r", r=job.response_id)[0][0] is None
    )
    usage = rows(
        clean_db,
        "select model, feature, requests, input_tokens, output_tokens, cost_cents, "
        "unpriced_requests from ai_usage_metrics order by model, feature",
    )
    aggregate = rows(
        clean_db,
        "select model, kind, count(*), sum(input_tokens), sum(output_tokens), "
        "coalesce(sum(cost_cents), 0), count(*) - count(cost_cents) from ai_responses "
        "group by model, kind order by model, kind",
    )
    assert [tuple(r) for r in usage] == [tuple(r) for r in aggregate]
    assert [(r.model, r.feature, r.requests, r.unpriced_requests) for r in usage] == [
        ("acme-local-llm", "reply", 1, 1),
        (MODEL, "order_extraction", 1, 0),
        (MODEL, "reply", 2, 0),
    ]
    assert usage[2].input_tokens == 230 and usage[0].cost_cents == 0


def test_confirmed_correction_is_matched_from_history(clean_db, fake_openai):
    s = seed(clean_db, message="Hola! mandame 3 coca por favor")
    cfg = config(fake_openai)
    first = draft_order(cfg, s["d"], s["u"], s["m"], use_ai=False)
    assert [(ln.raw_text, ln.product) for ln in first.lines] == [("coca", None)]  # ambiguous: 3 Coca-Colas

    catalog = load_catalog(s["d"])  # the agent picks the 600 ml bottle in the editor
    coke_600 = next(p for p in catalog if p.sku == "COKE-600")
    edited = current_lines(base_rows(first.lines), {0: {"Product": product_label(coke_600)}}, catalog)
    order = confirm_draft(s["d"], s["u"], first, order_lines(edited))
    assert (order.created, order.total_cents) == (True, 3 * 190)

    again = draft_order(cfg, s["d"], s["u"], s["m"], use_ai=False)
    (line,) = again.lines
    assert (line.product.sku, line.confidence, line.method, line.flagged) == (
        "COKE-600",
        1.0,
        "history",
        False,
    )
    # the AI path too: the confirmed match wins over the model's choice
    fake_openai.script(json_reply(order_answer(("coca", 3, None, "COKE-2L"))))
    ai = draft_order(cfg, s["d"], s["u"], s["m"], use_ai=True)
    assert [(ln.product.sku, ln.confidence, ln.method) for ln in ai.lines] == [("COKE-600", 1.0, "history")]


def test_pasted_message_joins_the_open_conversation_or_opens_one(clean_db):
    s = seed(clean_db)
    with clean_db.begin() as conn:
        other = f.customer(conn, s["d"], "Kiosco Norte")
        f.conversation(conn, s["d"], other, status="resolved")
    into_open = pasted_message(s["d"], s["u"], customer_id=s["c"], text="  10 agua 500ml  ")
    new_one = pasted_message(s["d"], s["u"], customer_id=other, text="3 fanta 2l")

    got = rows(
        clean_db,
        "select m.id, m.conversation_id, m.direction, m.sender_type, m.content, c.customer_id, "
        "c.status from messages m join conversations c on c.id = m.conversation_id "
        "where m.id in (:a, :b) order by m.id",
        a=into_open,
        b=new_one,
    )
    assert [tuple(r)[1:] for r in got][0] == (
        s["conv"],
        "inbound",
        "customer",
        "10 agua 500ml",
        s["c"],
        "open",
    )
    assert got[1].conversation_id != s["conv"] and (got[1].customer_id, got[1].status) == (other, "open")
    audits = rows(
        clean_db,
        "select resource, details ->> 'message_id' from data_access_audit "
        "where action = 'create' order by id",
    )
    assert [(r[0], int(r[1])) for r in audits] == [("messages", into_open), ("messages", new_one)]
    with pytest.raises(ValueError):
        pasted_message(s["d"], s["u"], customer_id=s["c"], text="   ")


def test_oversized_or_binary_text_is_refused_with_a_message_and_stores_nothing(clean_db):
    # issue 12, finding 7: a 100 KB paste became a message (and 6,250 draft lines) resent in every prompt
    s = seed(clean_db)
    before = rows(clean_db, "select count(*) from messages")[0][0]
    with pytest.raises(TextInvalid, match="The customer message is 100,000 characters long; the limit is 4,000"):
        pasted_message(s["d"], s["u"], customer_id=s["c"], text="2 agua " * 12_500 + "x" * 12_500)
    with pytest.raises(TextInvalid, match="control characters"):
        pasted_message(s["d"], s["u"], customer_id=s["c"], text="2 agua\x00")
    saved = save_reply(s["d"], s["u"], message_id=s["m"], text="Hola\x07")
    assert saved.response_id is None and "control characters" in saved.message
    assert rows(clean_db, "select count(*) from messages")[0][0] == before
    # line breaks and tabs are text, not control characters to refuse
    assert pasted_message(s["d"], s["u"], customer_id=s["c"], text="2 agua\n\t3 coca")


def test_saving_a_reply_keeps_one_pending_suggestion(clean_db, fake_openai):
    s = seed(clean_db)
    fake_openai.script(Script(text="Hola Ana, anotado."))
    job, _ = reply(config(fake_openai), s)

    saved = save_reply(
        s["d"],
        s["u"],
        message_id=s["m"],
        text="Hola Ana, anotado. Llega el martes.",
        response_id=job.response_id,
    )
    assert saved.response_id == job.response_id
    (resp,) = rows(clean_db, "select content, status, structured ->> 'model_text' from ai_responses")
    assert tuple(resp) == ("Hola Ana, anotado. Llega el martes.", "pending", "Hola Ana, anotado.")

    offline = offline_reply(s["d"], s["m"])
    kept = save_reply(s["d"], s["u"], message_id=s["m"], text=offline)
    row = rows(
        clean_db,
        "select model, prompt_version, cost_cents, input_tokens, status from ai_responses where id = :r",
        r=kept.response_id,
    )[0]
    assert tuple(row) == ("offline-drafter", "offline-v1", 0, 0, "pending")
    assert rows(clean_db, "select count(*) from ai_usage_metrics where model = 'offline-drafter'")[0][0] == 0

    with clean_db.begin() as conn:
        conn.execute(
            text("update ai_responses set status = 'approved', reviewed_at = app_now() where id = :r"),
            {"r": job.response_id},
        )
    late = save_reply(s["d"], s["u"], message_id=s["m"], text="otra cosa", response_id=job.response_id)
    assert late.response_id is None and "already reviewed" in late.message
    assert rows(clean_db, "select content from ai_responses where id = :r", r=job.response_id)[0][0] == (
        "Hola Ana, anotado. Llega el martes."
    )


def test_offline_reply_speaks_the_customer_language(clean_db):
    s = seed(clean_db, message="Hola! quiero 2 cajas de coca cola 2L y 3 unicornios")
    assert offline_reply(s["d"], s["m"]) == (
        "¡Hola Ana Pérez! Gracias por tu pedido. Anotamos:\n"
        "• 2 cajas de Coca-Cola 2L\n"
        'No pudimos identificar: "unicornios". ¿Nos dices a qué producto te refieres?\n'
        "En breve te confirmamos disponibilidad y entrega."
    )


def test_distributor_rules_replace_disable_or_add_to_the_defaults():
    own_email = PIIRule("email", "email", r"\S+@acme\.test", "[MAIL]")
    stored = [
        StoredRule(7, own_email, True),
        StoredRule(8, PIIRule("iban", "iban", "x", "[IBAN]"), False),
        StoredRule(9, PIIRule("cuit", "tax_id", r"\d{11}", "[TAX_ID]"), True),
        StoredRule(10, PIIRule("old", "other", "y", "[X]"), False),
    ]
    rules = effective_rules(stored)
    defaults = {r.name: r for r in DEFAULT_RULES}
    assert rules == [
        (7, own_email),
        (None, defaults["card"]),
        (None, defaults["tax_id"]),
        (None, defaults["phone_international"]),
        (None, defaults["phone_local"]),
        (9, stored[2].rule),
    ]


def test_editor_edits_reprice_and_reflag_lines(clean_db):
    s = seed(clean_db, message="2 cajas de coca cola 2L, 3 coca y 1 unicornio")
    draft = draft_order(config_offline(), s["d"], s["u"], s["m"], use_ai=False)
    catalog = load_catalog(s["d"])
    fanta = next(p for p in catalog if p.sku == "FANTA-2L")
    edits = {"0": {"Quantity": 5}, 1: {"Product": product_label(fanta)}, 2: {"Quantity": None}}
    lines = current_lines(base_rows(draft.lines), edits, catalog)
    assert [
        (
            ln.quantity,
            ln.product.sku if ln.product else None,
            ln.method,
            ln.unit_price_cents,
            ln.line_total_cents,
            ln.flagged,
        )
        for ln in lines
    ] == [
        (Decimal(5), "COKE-2L", "exact", 350, 1750, False),
        (Decimal(3), "FANTA-2L", "manual", 320, 960, False),
        (Decimal(0), None, "none", 0, 0, True),
    ]
    cleared = current_lines(base_rows(draft.lines), {0: {"Product": None}}, catalog)
    assert (cleared[0].product, cleared[0].method, cleared[0].flagged) == (None, "none", True)
    assert [ln.product_id for ln in order_lines(lines)] == [s["skus"]["COKE-2L"], fanta.id, None]


def config_offline():
    return AssistantConfig(AISettings(api_key=None))
