"""A small conversations dataset whose numbers the conversation tests compute by hand.

Distributor A is in America/Sao_Paulo (UTC-3 all year): local day D runs from D 03:00Z to D+1 03:00Z.
The review period the tests use is 2025-03-10..2025-03-11 local.

conversation  customer (labels)        channel   status    agent  messages (UTC)                last activity
conv4         Bar Central (VIP)        email     open      Bruno  m6 03-12 10:00                03-12 10:00
conv2         Cafe Sol (Late payer)    sms       pending   Bruno  m4 03-11 09:00                03-11 09:00
conv1         Bar Central (VIP)        whatsapp  open      Ana    m1 12:00, m2 12:05, m3 12:10  03-10 12:10
conv3         Mercado Norte (VIP)      whatsapp  resolved  -      m5 03-09 08:00                03-09 08:00

AI responses (created UTC -> local day, status, confidence, seconds to review, model / prompt):
r1 m1 03-10 12:01 -> 03-10 approved 0.90  60 mini/reply-v1
r3 m1 03-10 12:02 -> 03-10 pending  0.80     mini/order-v1 (order_extraction)
r2 m3 03-10 12:11 -> 03-10 pending  0.70     mini/reply-v1
r4 m4 03-11 09:01 -> 03-11 rejected 0.40 300 4o/reply-v2
r7 m4 03-12 02:30 -> 03-11 approved 0.95 120 4o/reply-v2
r9 m4 03-11 10:00 -> 03-11 edited   0.85 600 mini/reply-v1
r5 m5 03-09 08:01 -> 03-09 pending  0.50     mini/reply-v1
r8 m5 03-10 02:30 -> 03-09 edited   0.60  30 mini/reply-v1
r6 m6 03-12 10:01 -> 03-12 edited   0.75  90 mini/reply-v1
PII on m3: email x1, phone x1, phone x1. Order O-1 links conv1 (source message m1).
Distributor B has one conversation whose message also says "cerveza", and a pending suggestion.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from types import SimpleNamespace

from sqlalchemy import text

from tests import factories as f

TZ = "America/Sao_Paulo"
MINI, FOUR_O = "gpt-4o-mini", "gpt-4o"


def at(day: int, hour: int, minute: int = 0) -> datetime:
    """An instant in March 2025, UTC."""
    return datetime(2025, 3, day, hour, minute, tzinfo=UTC)


def _pii(conn, distributor_id, message_id, pii_type, count) -> None:
    conn.execute(text("insert into pii_detection_results (distributor_id, message_id, pii_type, match_count) "
                      "values (:d, :m, :t, :n)"),
                 {"d": distributor_id, "m": message_id, "t": pii_type, "n": count})


def seed(engine) -> SimpleNamespace:
    """Creates distributors A and B with the dataset above; returns every id and the signed-in users."""
    s = SimpleNamespace()
    with engine.begin() as conn:
        s.a = f.distributor(conn, "Acme Drinks", tz=TZ)
        s.b = f.distributor(conn, "Beta Foods")
        s.ana = f.user(conn, s.a, "support", full_name="Ana")
        s.bruno = f.user(conn, s.a, "support", full_name="Bruno")
        s.admin = f.signed_in(conn, s.a, "admin")
        s.c1 = f.customer(conn, s.a, "Bar Central")
        s.c2 = f.customer(conn, s.a, "Cafe Sol")
        s.c3 = f.customer(conn, s.a, "Mercado Norte")
        s.c_idle = f.customer(conn, s.a, "Idle Shop")
        s.vip = f.label(conn, s.a, "VIP", [s.c1, s.c3])
        s.late = f.label(conn, s.a, "Late payer", [s.c2])

        s.conv1 = f.conversation(conn, s.a, s.c1, channel="whatsapp", status="open", assigned_to=s.ana,
                                 started_at=at(10, 12))
        s.conv2 = f.conversation(conn, s.a, s.c2, channel="sms", status="pending", assigned_to=s.bruno,
                                 started_at=at(11, 9))
        s.conv3 = f.conversation(conn, s.a, s.c3, channel="whatsapp", status="resolved", started_at=at(9, 8))
        s.conv4 = f.conversation(conn, s.a, s.c1, channel="email", status="open", assigned_to=s.bruno,
                                 started_at=at(12, 10))

        s.m1 = f.message(conn, s.a, s.conv1, "Hola, quiero 10 cajas de cerveza", created_at=at(10, 12))
        # inserted before m2 but later in time: the thread orders by time, not by id
        s.m3 = f.message(conn, s.a, s.conv1, "Mi email es ana@example.com, tel +55 11 98765-4321",
                         created_at=at(10, 12, 10))
        s.m2 = f.message(conn, s.a, s.conv1, "Claro, las enviamos mañana", direction="outbound",
                         created_at=at(10, 12, 5))
        s.m4 = f.message(conn, s.a, s.conv2, "Need a 50% discount on the wine_box", created_at=at(11, 9))
        s.m5 = f.message(conn, s.a, s.conv3, "Precio del vino? 🍺", created_at=at(9, 8))
        s.m6 = f.message(conn, s.a, s.conv4, "Factura de marzo", created_at=at(12, 10))
        _pii(conn, s.a, s.m3, "phone", 1)
        _pii(conn, s.a, s.m3, "email", 1)
        _pii(conn, s.a, s.m3, "phone", 1)

        def response(message_id, created, status, confidence, review_s=None, model=MINI, prompt="reply-v1",
                     kind="reply", **extra):
            reviewed = created + timedelta(seconds=review_s) if review_s is not None else None
            return f.ai_response(conn, s.a, message_id, kind=kind, model=model, prompt_version=prompt,
                                 status=status, confidence=confidence, created_at=created,
                                 reviewed_at=reviewed, reviewed_by=s.ana if reviewed else None, **extra)

        s.r1 = response(s.m1, at(10, 12, 1), "approved", 0.90, 60, content="¡Perfecto! 10 cajas.",
                        latency_ms=850, cost_cents=0.0125)
        s.r3 = response(s.m1, at(10, 12, 2), "pending", 0.80, prompt="order-v1", kind="order_extraction",
                        content='{"lines": 1}')
        s.r2 = response(s.m3, at(10, 12, 11), "pending", 0.70, content="Gracias, anotado.")
        s.r4 = response(s.m4, at(11, 9, 1), "rejected", 0.40, 300, model=FOUR_O, prompt="reply-v2")
        s.r7 = response(s.m4, at(12, 2, 30), "approved", 0.95, 120, model=FOUR_O, prompt="reply-v2")
        s.r9 = response(s.m4, at(11, 10), "edited", 0.85, 600)
        s.r5 = response(s.m5, at(9, 8, 1), "pending", 0.50)
        s.r8 = response(s.m5, at(10, 2, 30), "edited", 0.60, 30)
        s.r6 = response(s.m6, at(12, 10, 1), "edited", 0.75, 90)

        s.o1 = f.order(conn, s.a, s.c1, [(None, "Cerveza caja", 10, 1500)], number="O-1", source="ai",
                       created_at=at(10, 12, 20), conversation_id=s.conv1, ai_source_message_id=s.m1)
        f.order(conn, s.a, s.c2, [(None, "Vino", 1, 900)], number="O-2", created_at=at(11, 9, 30))

        s.b_customer = f.customer(conn, s.b, "Bar Central")
        s.b_conv = f.conversation(conn, s.b, s.b_customer, started_at=at(11, 8))
        s.b_m = f.message(conn, s.b, s.b_conv, "Quiero cerveza", created_at=at(11, 8))
        s.b_r = f.ai_response(conn, s.b, s.b_m, created_at=at(11, 8, 1), content="B's suggestion")
    return s
