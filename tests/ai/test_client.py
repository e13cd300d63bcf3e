"""ai.client with the real openai client over HTTP against tests.fake_openai on 127.0.0.1."""

from __future__ import annotations

import json
import math
import socket
import time
from datetime import date

import pytest

from ai.client import (
    PROMPT_VERSIONS,
    AIError,
    AISettings,
    OrderDraftOut,
    extract_order,
    make_client,
    order_messages,
    reply_messages,
    stream_reply,
)
from ai.pii import DEFAULT_RULES, redact
from core.config import Settings
from tests.fake_openai import Script, error, fake_openai_fixture, json_reply  # noqa: F401

MODEL = "gpt-4o-mini"

DRAFT = {
    "lines": [
        {"product_wording": "cajas de coca cola 2L", "quantity": 2, "unit": "caja", "notes": None,
         "sku": "CC-2L"},
        {"product_wording": "agua 500ml", "quantity": 10, "unit": None, "notes": "sin gas", "sku": None},
    ],
    "requested_delivery_date": "2025-03-14",
    "notes": None,
}


def client_for(fake, timeout_s: float = 5.0, max_retries: int = 0):
    return make_client(AISettings(api_key="test-key", base_url=fake.base_url, model=MODEL,
                                  timeout_s=timeout_s, max_retries=max_retries))


def reply_prompt() -> list[dict]:
    return reply_messages("Bebidas Sur", "friendly", "Spanish",
                          [("customer", "Hola, ¿llega mañana mi pedido?")], ["#1042 · 2025-03-01 · 3 items"])


def test_stream_reply_yields_text_and_records_usage(fake_openai):
    fake_openai.script(Script(text="Hola Ana, mañana entregamos.", usage=(37, 8)))
    messages = reply_prompt()

    reply = stream_reply(client_for(fake_openai), MODEL, messages)
    pieces = list(reply)

    assert pieces == ["Hola ", "Ana, ", "mañana ", "entregamos."]
    assert reply.text == "Hola Ana, mañana entregamos."
    assert (reply.input_tokens, reply.output_tokens, reply.tokens_estimated) == (37, 8, False)
    assert reply.finish_reason == "stop" and reply.done
    assert 0 <= reply.latency_ms < 5000
    sent = fake_openai.requests[0]
    assert sent["stream"] is True and sent["stream_options"] == {"include_usage": True}
    assert sent["model"] == MODEL and sent["messages"] == messages
    assert fake_openai.request_headers[0]["authorization"] == "Bearer test-key"


def test_stream_without_usage_estimates_tokens(fake_openai):
    fake_openai.script(Script(text="Perfecto, gracias!", usage=None))
    messages = [{"role": "system", "content": "x" * 10}, {"role": "user", "content": "y" * 7}]

    reply = stream_reply(client_for(fake_openai), MODEL, messages)
    assert "".join(reply) == "Perfecto, gracias!"

    # 17 prompt characters -> ceil(17/4) = 5; 18 answer characters -> ceil(18/4) = 5
    assert reply.tokens_estimated is True
    assert (reply.input_tokens, reply.output_tokens) == (5, 5)


def test_reply_stream_reads_once(fake_openai):
    reply = stream_reply(client_for(fake_openai), MODEL, reply_prompt())
    assert "".join(reply) == Script().text
    with pytest.raises(RuntimeError):
        list(reply)


@pytest.mark.parametrize(
    ("script", "kind"),
    [
        (Script(text="Hola, su pedido", finish_reason="length"), "truncated"),
        (Script(text="Hola", finish_reason="content_filter"), "refusal"),
        (Script(text="", refusal="I can't help with that."), "refusal"),
    ],
)
def test_stream_ending_badly_raises_after_the_text(fake_openai, script, kind):
    fake_openai.script(script)
    reply = stream_reply(client_for(fake_openai), MODEL, reply_prompt())
    received = []
    with pytest.raises(AIError) as err:
        for piece in reply:
            received.append(piece)
    assert err.value.kind == kind
    assert "".join(received) == reply.text == script.text
    assert (err.value.input_tokens, err.value.output_tokens) == (21, 9)


def test_error_inside_the_stream_keeps_the_partial_text(fake_openai):
    fake_openai.script(Script(text="Hola Ana", stream_error="model overloaded"))
    reply = stream_reply(client_for(fake_openai), MODEL, [{"role": "user", "content": "z" * 12}])
    with pytest.raises(AIError) as err:
        list(reply)
    assert err.value.kind == "server_error" and "model overloaded" in err.value.detail
    # partial text kept, tokens estimated: ceil(12/4) = 3 in, ceil(len("Hola Ana")/4) = 2 out
    assert reply.text == err.value.raw == "Hola Ana"
    assert (err.value.input_tokens, err.value.output_tokens, reply.tokens_estimated) == (3, 2, True)


def test_rate_limit_then_success_is_retried(fake_openai):
    fake_openai.script(error(429), Script(text="Listo."))
    reply = stream_reply(client_for(fake_openai, max_retries=2), MODEL, reply_prompt())
    assert "".join(reply) == "Listo."
    assert len(fake_openai.requests) == 2


def test_rate_limit_past_retries(fake_openai):
    fake_openai.script(error(429), error(429))
    with pytest.raises(AIError) as err:
        stream_reply(client_for(fake_openai, max_retries=1), MODEL, reply_prompt())
    assert err.value.kind == "rate_limit"
    assert len(fake_openai.requests) == 2


def test_timeout(fake_openai):
    fake_openai.script(Script(delay_s=2))
    started = time.monotonic()
    with pytest.raises(AIError) as err:
        stream_reply(client_for(fake_openai, timeout_s=0.5, max_retries=0), MODEL, reply_prompt())
    assert err.value.kind == "timeout"
    assert "took too long" in err.value.user_message and "Your text is kept" in err.value.user_message
    assert time.monotonic() - started < 1.9
    assert len(fake_openai.requests) == 1


@pytest.mark.parametrize(("status", "kind"), [(500, "server_error"), (503, "server_error"), (401, "auth")])
def test_status_errors(fake_openai, status, kind):
    fake_openai.script(error(status))
    with pytest.raises(AIError) as err:
        extract_order(client_for(fake_openai), MODEL, order_messages("2 cajas", None), OrderDraftOut)
    assert err.value.kind == kind
    assert len(fake_openai.requests) == 1


def test_server_error_retried_then_reported(fake_openai):
    fake_openai.script(error(500), error(500))
    with pytest.raises(AIError) as err:
        client = client_for(fake_openai, max_retries=1)
        extract_order(client, MODEL, order_messages("2 cajas", None), OrderDraftOut)
    assert err.value.kind == "server_error"
    assert len(fake_openai.requests) == 2


def test_connection_refused():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    settings = AISettings(api_key="k", base_url=f"http://127.0.0.1:{port}/v1", timeout_s=2, max_retries=0)
    with pytest.raises(AIError) as err:
        stream_reply(make_client(settings), MODEL, reply_prompt())
    assert err.value.kind == "connection"


def test_extract_order_parses_structured_output(fake_openai):
    fake_openai.script(json_reply(DRAFT, usage=(120, 40)))
    candidates = {"cajas de coca cola 2L": [("CC-2L", "Coca-Cola 2 L"), ("CC-1L", "Coca-Cola 1 L")]}
    messages = order_messages("2 cajas de coca cola 2L y 10 agua 500ml sin gas, para el 14/03", candidates)

    result = extract_order(client_for(fake_openai), MODEL, messages, OrderDraftOut)

    draft = result.parsed
    assert isinstance(draft, OrderDraftOut)
    assert [(ln.product_wording, ln.quantity, ln.unit, ln.sku) for ln in draft.lines] == [
        ("cajas de coca cola 2L", 2.0, "caja", "CC-2L"),
        ("agua 500ml", 10.0, None, None),
    ]
    assert draft.lines[1].notes == "sin gas"
    assert draft.requested_delivery_date == date(2025, 3, 14)
    assert json.loads(result.raw) == DRAFT
    assert (result.input_tokens, result.output_tokens, result.tokens_estimated) == (120, 40, False)

    fmt = fake_openai.requests[0]["response_format"]
    assert fmt["type"] == "json_schema" and fmt["json_schema"]["name"] == "OrderDraftOut"
    assert fmt["json_schema"]["strict"] is True
    line_schema = fmt["json_schema"]["schema"]["$defs"]["OrderLineOut"]
    assert sorted(line_schema["required"]) == sorted(line_schema["properties"]) == [
        "notes", "product_wording", "quantity", "sku", "unit"]
    assert line_schema["additionalProperties"] is False
    user_text = fake_openai.requests[0]["messages"][1]["content"]
    assert '"sku": "CC-1L"' in user_text and "Coca-Cola 2 L" in user_text


def test_extract_order_accepts_a_fenced_answer(fake_openai):
    fake_openai.script(Script(text="```json\n" + json.dumps(DRAFT) + "\n```"))
    result = extract_order(client_for(fake_openai), MODEL, order_messages("x", None), OrderDraftOut)
    assert len(result.parsed.lines) == 2


def test_extract_order_without_usage_estimates(fake_openai):
    raw = json.dumps({"lines": [], "requested_delivery_date": None, "notes": None})
    fake_openai.script(Script(text=raw, usage=None))
    messages = [{"role": "system", "content": "s" * 8}, {"role": "user", "content": "u" * 5}]
    result = extract_order(client_for(fake_openai), MODEL, messages, OrderDraftOut)
    assert result.parsed.lines == []
    assert result.tokens_estimated is True
    assert (result.input_tokens, result.output_tokens) == (math.ceil(13 / 4), math.ceil(len(raw) / 4))


@pytest.mark.parametrize(
    "script",
    [
        Script(text='{"lines": [{"product_wording": "agua"'),  # cut JSON
        Script(text="Claro, aquí está su pedido"),  # prose, not JSON
        json_reply({**DRAFT, "lines": [{**DRAFT["lines"][0], "quantity": 0}]}),  # quantity must be > 0
        json_reply({"lines": [{"product_wording": "agua", "quantity": 1}]}),  # missing required keys
    ],
)
def test_malformed_output(fake_openai, script):
    fake_openai.script(script)
    with pytest.raises(AIError) as err:
        extract_order(client_for(fake_openai), MODEL, order_messages("agua", None), OrderDraftOut)
    assert err.value.kind == "malformed_output"
    assert err.value.raw == script.text
    assert (err.value.input_tokens, err.value.output_tokens) == (21, 9)


def test_extract_refusal(fake_openai):
    fake_openai.script(Script(refusal="I can't help with that."))
    with pytest.raises(AIError) as err:
        extract_order(client_for(fake_openai), MODEL, order_messages("agua", None), OrderDraftOut)
    assert err.value.kind == "refusal" and err.value.detail == "I can't help with that."


def test_extract_truncated(fake_openai):
    fake_openai.script(Script(text='{"lines": [', finish_reason="length"))
    with pytest.raises(AIError) as err:
        extract_order(client_for(fake_openai), MODEL, order_messages("agua", None), OrderDraftOut)
    assert err.value.kind == "truncated"


def test_redacted_text_is_what_leaves(fake_openai):
    fake_openai.script(json_reply({"lines": [], "requested_delivery_date": None, "notes": None}))
    message = "3 cajas de agua, llamar al +55 11 98765-4321 o ana@bar.com.br"
    redacted = redact(message, DEFAULT_RULES).text

    extract_order(client_for(fake_openai), MODEL, order_messages(redacted, None), OrderDraftOut)

    sent = json.dumps(fake_openai.requests[0], ensure_ascii=False)
    assert "98765" not in sent and "ana@bar.com.br" not in sent
    assert "3 cajas de agua, llamar al [PHONE] o [EMAIL]" in sent


def test_make_client_needs_a_key():
    with pytest.raises(AIError) as err:
        make_client(AISettings(api_key=None))
    assert err.value.kind == "auth"


def test_make_client_settings():
    settings = AISettings(api_key="k", base_url="http://127.0.0.1:9/v1", timeout_s=7.5, max_retries=4)
    client = make_client(settings)
    assert str(client.base_url) == "http://127.0.0.1:9/v1/"
    assert client.timeout == 7.5 and client.max_retries == 4
    default = make_client(AISettings(api_key="k"))
    assert str(default.base_url) == "https://api.openai.com/v1/"


def test_ai_settings_from_config():
    s = Settings(openai_api_key="sk-1", openai_base_url="http://x/v1", openai_model="m", ai_timeout_s=12,
                 ai_max_retries=1)
    assert AISettings.from_settings(s) == AISettings("sk-1", "http://x/v1", "m", 12.0, 1)


def test_reply_messages_roles_and_context():
    messages = reply_messages("Bebidas Sur", "formal", "Portuguese",
                              [("customer", "Oi"), ("agent", "Olá!"), ("customer", "Preço?")], [])
    assert [m["role"] for m in messages] == ["system", "user", "assistant", "user"]
    assert "Bebidas Sur" in messages[0]["content"] and "Portuguese" in messages[0]["content"]
    assert "formal" in messages[0]["content"] and "(none)" in messages[0]["content"]
    with pytest.raises(ValueError):
        reply_messages("D", "t", "l", [("robot", "x")], [])


def test_order_messages_without_candidates_says_sku_null():
    messages = order_messages("2 cajas", None)
    assert messages[0]["role"] == "system" and "Never invent a SKU" in messages[0]["content"]
    assert "2 cajas" in messages[1]["content"] and "every sku is null" in messages[1]["content"]
    assert PROMPT_VERSIONS == {"reply": "reply-v1", "order_extraction": "order-v1"}


def test_ai_error_kinds():
    assert AIError("budget_blocked").user_message.startswith("This month's AI budget is used up")
    assert AIError("other", user_message="custom").user_message == "custom"
    with pytest.raises(ValueError):
        AIError("nope")
