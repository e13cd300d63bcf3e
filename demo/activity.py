"""A tenant's day-to-day: conversations, messages, AI suggestions and the orders they turn into.

Walks the tenant's timeline in order and yields batches of rows (a few thousand events each), so a
tenant of any size is generated in bounded memory. An AI order starts with a customer message naming
the products; the order's lines carry that exact wording as raw_text."""

from __future__ import annotations

import json
from collections.abc import Iterator
from functools import cache

from demo.ai import AI
from demo.clock import ts_dt
from demo.model import AI_ORDER, CHAT, MANUAL_ORDER, Customer, Ids, Tenant
from demo.orders import Orders, join_words
from demo.phrases import PHRASES, money

TABLES = ("conversations", "messages", "messages_src", "orders", "order_products", "order_attachments",
          "ai_responses", "ai_errors", "ai_training_data", "pii_detection_results",
          "external_message_mappings", "product_matching_history", "webhook_deliveries", "data_access_audit")
PII_VALUES = {"card": ("4111 1111 1111 1111", "5555 5555 5555 4444"),
              "iban": ("DE89 3704 0044 0532 0130 00", "GB82 WEST 1234 5698 7654 32")}
# chat topic -> (weight, what the customer writes, what the classifier calls it)
TOPICS = {"price": (35, "ask_price", "price_question"), "delivery": (15, "ask_delivery", "delivery_status"),
          "complaint": (15, "complaint", "complaint"), "pii": (15, None, "account_update"),
          "info": (20, "info", "other")}


@cache
def _intent_json(intent: str, lang: str) -> str:
    return json.dumps({"intent": intent, "language": lang})


class Conversation:
    __slots__ = ("id", "customer", "channel", "agent", "lang", "started", "last", "waiting")

    def __init__(self, cid: int, customer: Customer, agent: str, started: int):
        self.id, self.customer, self.channel, self.agent = cid, customer, customer.channel, agent
        self.lang, self.started, self.last, self.waiting = customer.lang, started, started, False


class Activity:
    """Generates one tenant's activity rows."""

    def __init__(self, t: Tenant, ids: Ids):
        self.t, self.ids, self.rng, self.d = t, ids, t.rng, t.id
        self.ai = AI(t, ids)
        self.orders = Orders(t, ids)
        self.end = t.clock.end
        self.currency = t.trade.currency
        self.shared_pii = False  # the first order request shares contact data: every tenant has PII findings

    def batches(self, size: int = 2000) -> Iterator[dict[str, list]]:
        """Yields the rows of every `size` timeline events."""
        b = {table: [] for table in TABLES}
        for n, (ts, kind, customer) in enumerate(self.t.events, 1):
            if kind == AI_ORDER:
                self._ai_order(b, ts, customer)
            elif kind == CHAT:
                self._chat(b, ts, customer)
            else:
                self._plain_order(b, ts, customer, "manual" if kind == MANUAL_ORDER else "integration")
            if n % size == 0:
                yield b
                b = {table: [] for table in TABLES}
        yield b

    # ------------------------------------------------------------------ conversations
    def _open(self, customer: Customer, ts: int) -> Conversation:
        agents = self.t.agents  # the first agents take most conversations
        agent = agents[min(int(self.rng.random() ** 1.3 * len(agents)), len(agents) - 1)]
        return Conversation(self.ids("conversations"), customer, agent.id, ts)

    def _message(self, b: dict, conv: Conversation, inbound: bool, sender: str, text: str, ts: int,
                 lang: str, order_id: int | None = None) -> int:
        mid = self.ids("messages")
        row = (mid, self.d, conv.id, "inbound" if inbound else "outbound", sender, text, lang, order_id,
               ts_dt(ts))
        # the message an order points at goes in with the order (the two reference each other)
        b["messages_src" if order_id else "messages"].append(row)
        conv.last = ts
        if inbound and conv.channel == "whatsapp" and ts >= self.t.whatsapp_since:
            b["external_message_mappings"].append((
                self.ids("external_message_mappings"), self.d, self.t.whatsapp_integration, mid, conv.id,
                f"wamid.{self.rng.getrandbits(120):030X}", ts_dt(ts)))
        return mid

    def _close(self, b: dict, conv: Conversation) -> None:
        rng = self.rng
        if conv.waiting:
            status = "open"
        elif conv.last > self.end - 86400:
            status = "pending" if rng.random() < 0.4 else "resolved"
        else:
            status = "resolved" if rng.random() < 0.96 else "pending"
        assigned = None if conv.waiting and rng.random() < 0.3 else conv.agent
        b["conversations"].append((conv.id, self.d, conv.customer.id, conv.channel, status, assigned,
                                   ts_dt(conv.started), ts_dt(conv.last)))

    def _classify(self, b: dict, mid: int, ts: int, text: str, lang: str, intent: str) -> None:
        self.ai.respond(b, mid, ts, text, lang, "classification", intent,
                        structured=_intent_json(intent, lang))

    def _exchange(self, b: dict, conv: Conversation, ts: int, text: str, intent: str,
                  replies: tuple[str, ...], history: int, **fill: str) -> tuple[int, int | None]:
        """A customer message with its classification and reply suggestion (one of `replies`), and the
        agent's answer once reviewed (their own words when they reject the suggestion); returns (message
        id, when the conversation moved on, None while it waits)."""
        rng, lang = self.rng, conv.lang
        reply = rng.choice(replies).format(**fill)
        mid = self._message(b, conv, True, "customer", text, ts, lang)
        self._classify(b, mid, ts, text, lang, intent)
        review = ts + rng.randint(60, 1500)
        status, said = self.ai.respond(b, mid, ts, text, lang, "reply", reply, review_at=review,
                                       reviewer=conv.agent, straggle=True, history=history)
        answer_at = review + rng.randint(20, 90)
        if status == "pending" or answer_at > self.end - 60:
            conv.waiting = True
            return mid, None
        own = rng.choice(replies if len(replies) > 1 else PHRASES[lang]["agent"]).format(**fill)
        self._message(b, conv, False, "agent", said or own, answer_at, lang)
        return mid, answer_at

    def _follow_up(self, b: dict, conv: Conversation, after: int, chance: float) -> None:
        rng, ph = self.rng, PHRASES[conv.lang]
        if rng.random() >= chance:
            return
        at = after + rng.randint(60, 5400)
        if at > self.end - 120:
            return
        if rng.random() < 0.8:
            self._exchange(b, conv, at, rng.choice(ph["thanks"]), "thanks", ph["reply_thanks"], 3)
        else:
            self._exchange(b, conv, at, rng.choice(ph["ask_delivery"]), "delivery_status",
                           ph["reply_delivery"], 3)

    # ------------------------------------------------------------------ orders
    def _ai_order(self, b: dict, ts: int, customer: Customer) -> None:
        """A customer asks on the chat; the AI drafts the order and a reply; an agent reviews both, which
        confirms the order; the customer gets the answer and a confirmation, and maybe says thanks."""
        rng, t, orders = self.rng, self.t, self.orders
        conv = self._open(customer, ts)
        lang = "en" if customer.lang != "en" and rng.random() < 0.04 else customer.lang
        ph = PHRASES[lang]
        lines = orders.lines(customer, lang)
        items = [line[4] for line in lines]
        text = rng.choice(ph["request"]).format(items=join_words(lang, items),
                                                lines="\n".join(f"- {i}" for i in items))
        pii = self._pii(customer) if rng.random() < 0.03 or not self.shared_pii else None
        if pii:
            self.shared_pii = True
            text += (" " if text[-1] in ".!?" else ". ") + ph["pii"][pii[0]].format(**{pii[0]: pii[1]})
        oid = self.ids("orders")
        mid = self._message(b, conv, True, "customer", text, ts, lang, order_id=oid)
        if pii:
            self._pii_result(b, mid, pii[0], ts)
        self._classify(b, mid, ts, text, lang, "order")
        created = ts + rng.randint(60, 480)
        review = created + rng.randint(60, 1500)
        # still waiting if the answer and the confirmation (up to 130 s after review) would come after `end`
        pending = ts >= t.pending_from or review > self.end - 200
        requested = None
        if rng.random() < 0.3:
            requested = t.clock.dates[min(t.clock.day_index(ts) + 1, len(t.clock.dates) - 1)]
        draft = [{"product_wording": w, "quantity": q, "unit": u, "notes": None, "sku": p.sku}
                 for p, w, q, u, _ in lines]
        doc = {"lines": draft, "requested_delivery_date": requested and requested.isoformat(), "notes": None}
        misread = dict(draft[0], quantity=draft[0]["quantity"] + rng.choice((1, 9)))
        status, _ = self.ai.respond(
            b, mid, ts, text, lang, "order_extraction", json.dumps(doc, ensure_ascii=False),
            mistaken=json.dumps(dict(doc, lines=[misread, *draft[1:]]), ensure_ascii=False),
            review_at=None if pending else review, reviewer=conv.agent, allow=("approved", "edited"))
        of = " of " if lang == "en" else " de "
        summary = join_words(lang, [f"{q} {p.unit if q == 1 else p.unit_plural}{of}{p.name}"
                                    for p, _, q, _, _ in lines])
        reply_status, said = self.ai.respond(
            b, mid, ts, text, lang, "reply", rng.choice(ph["reply_order"]).format(summary=summary),
            review_at=None if pending else review + rng.randint(5, 60), reviewer=conv.agent, history=1)
        order_status = "pending" if status == "pending" else orders.status(created)
        confirmed = None if status == "pending" else review
        number = orders.number()
        total = orders.write_lines(b, oid, lines, ai=True, reviewer=conv.agent, confirmed_at=confirmed)
        b["orders"].append((oid, self.d, customer.id, conv.id, mid, number, order_status, "ai", total,
                            self.currency, None, requested, f"msg-{mid}", None, ts_dt(created),
                            confirmed and ts_dt(confirmed)))
        orders.side_effects(b, oid, number, customer, total, order_status, created)
        if status == "pending" or reply_status == "pending":
            conv.waiting = True
        else:
            at = review + rng.randint(20, 90)
            own = rng.choice(ph["reply_order"]).format(summary=summary)  # when the suggestion was rejected
            self._message(b, conv, False, "agent", said or own, at, lang)
            if order_status != "cancelled":
                at += rng.randint(5, 40)
                confirmation = ph["confirm"].format(number=number, total=money(total, self.currency))
                self._message(b, conv, False, "system", confirmation, at, lang)
            self._follow_up(b, conv, at, 0.6)
        self._close(b, conv)

    def _plain_order(self, b: dict, ts: int, customer: Customer, source: str) -> None:
        """An order keyed in by staff (manual) or synced from the ERP (integration)."""
        rng, t, orders = self.rng, self.t, self.orders
        oid, number = self.ids("orders"), orders.number()
        lines = orders.lines(customer, t.trade.language)
        status = orders.status(ts)
        by = rng.choice(t.agents + t.users["manager"]).id if source == "manual" else None
        total = orders.write_lines(b, oid, lines, ai=False)
        notes = f"{t.trade.erp} #{100000 + orders.count}" if source == "integration" else None
        confirmed = ts_dt(ts + rng.randint(60, 3600))
        b["orders"].append((oid, self.d, customer.id, None, None, number, status, source, total,
                            self.currency, notes, None, None, by, ts_dt(ts), confirmed))
        if by:
            b["data_access_audit"].append((self.ids("data_access_audit"), self.d, by, "create", "orders", 1,
                                           json.dumps({"order_number": number}), ts_dt(ts)))
        orders.side_effects(b, oid, number, customer, total, status, ts)

    # ------------------------------------------------------------------ chats
    def _pii(self, customer: Customer) -> tuple[str, str]:
        """Returns (kind, value) of private data a customer shares."""
        rng = self.rng
        kind = rng.choices(("email", "phone", "card", "iban"), (45, 35, 10, 10))[0]
        if kind == "email":
            return kind, customer.email or f"compras{customer.id}@{rng.choice(self.t.trade.mail_domains)}"
        if kind == "phone":  # as people type it: +57 310 555 1234, +55 11 98765-4321, +1 617 555 0142
            prefix, digits = rng.choice(self.t.trade.cities)[1:]
            country = "+1" if prefix.startswith("+1") else prefix[:3]
            number = prefix[len(country):] + "".join(str(rng.randrange(10)) for _ in range(digits))
            if country == "+55":
                return kind, f"+55 {number[:2]} {number[2:7]}-{number[7:]}"
            return kind, f"{country} {number[:3]} {number[3:6]} {number[6:]}"
        return kind, rng.choice(PII_VALUES[kind])

    def _pii_result(self, b: dict, mid: int, kind: str, ts: int) -> None:
        b["pii_detection_results"].append((self.ids("pii_detection_results"), self.d, mid, self.t.rules[kind],
                                           kind, 1, "message", ts_dt(ts + 1)))

    def _chat(self, b: dict, ts: int, customer: Customer) -> None:
        """A question, a complaint or new contact details; a price question sometimes fools the order
        extractor, and the reviewer rejects that draft."""
        rng = self.rng
        conv = self._open(customer, ts)
        ph = PHRASES[conv.lang]
        topic = rng.choices(list(TOPICS), [weight for weight, _, _ in TOPICS.values()])[0]
        _, asks, intent = TOPICS[topic]
        p = rng.choice(customer.basket)
        w = rng.choice(p.wordings)
        fill = {"w": w, "name": p.name, "price": money(p.price, self.currency), "u": p.unit}
        pii = self._pii(customer) if topic == "pii" else None
        text = ph["pii"][pii[0]].format(**{pii[0]: pii[1]}) if pii else rng.choice(ph[asks]).format(**fill)
        mid, moved_on = self._exchange(b, conv, ts, text, intent, ph[f"reply_{topic}"], 1, **fill)
        if pii:
            self._pii_result(b, mid, pii[0], ts)
        if topic == "price" and rng.random() < 0.4:
            line = {"product_wording": w, "quantity": 1, "unit": None, "notes": None, "sku": p.sku}
            doc = json.dumps({"lines": [line], "requested_delivery_date": None, "notes": None},
                             ensure_ascii=False)
            self.ai.respond(b, mid, ts, text, conv.lang, "order_extraction", doc,
                            review_at=None if moved_on is None else moved_on - 10, reviewer=conv.agent,
                            allow=("rejected",))
        if moved_on is not None:
            self._follow_up(b, conv, moved_on, 0.35)
        self._close(b, conv)
