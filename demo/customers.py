"""A tenant's customers and its timeline: when each order and chat happens, and for whom.

The timeline comes first because customers' creation dates, statuses and labels follow from it."""

from __future__ import annotations

import json
import unicodedata
from bisect import bisect_right
from itertools import accumulate
from random import Random

from demo.clock import ts_dt
from demo.model import AI_ORDER, CHAT, INTEGRATION_ORDER, MANUAL_ORDER, Customer, Ids, Product, Tenant

LABELS = (("VIP", "#f59e0b"), ("Wholesale", "#2563eb"), ("New", "#10b981"), ("Late payer", "#ef4444"),
          ("Weekend orders", "#8b5cf6"))
CHANNELS = (("whatsapp", "email", "sms", "web"), (86, 7, 4, 3))


def _pick(rng: Random, cum: list[float]) -> int:
    return bisect_right(cum, rng.random() * cum[-1])


def timeline(t: Tenant, n_orders: int) -> list[int]:
    """Sets t.customers (without ids yet) and t.events: every order (70 % AI, 22 % manual, 8 % ERP) and
    chat of the period with its customer. Returns when each customer joined."""
    rng, clock = t.rng, t.clock
    n_chats = round(n_orders * 0.3)
    times = clock.sample(rng, n_orders + n_chats, clock.day_weights(rng, t.trade.weekdays, growth=0.6))
    kinds = [AI_ORDER] * round(n_orders * 0.7) + [MANUAL_ORDER] * round(n_orders * 0.22)
    kinds += [INTEGRATION_ORDER] * (n_orders - len(kinds)) + [CHAT] * n_chats
    rng.shuffle(kinds)
    # a few products sell most; discontinued ones are in nobody's basket
    on_sale = [p for p in t.products if p.active]
    rng.shuffle(on_sale)
    popularity = list(accumulate(1 / (r + 1) ** 0.9 for r in range(len(on_sale))))
    lang = t.trade.language
    other = "es" if lang == "en" else "en"
    n_customers = max(20, min(n_orders // 30, 8000))
    joins = []
    for _ in range(n_customers):
        basket: list[Product] = []
        size = rng.randint(4, 12)
        while len(basket) < size:
            p = on_sale[min(_pick(rng, popularity), len(on_sale) - 1)]
            if p not in basket:
                basket.append(p)
        channel = rng.choices(*CHANNELS)[0]
        t.customers.append(Customer(0, "", other if rng.random() < 0.07 else lang, channel, None, basket,
                                    rng.choice((1, 1, 1, 1.5, 2, 3))))
        joins.append(clock.start if rng.random() < 0.78 else rng.randrange(clock.start, clock.end))
    activity = list(accumulate(1 / (r + 1) ** 0.75 for r in range(n_customers)))
    for ts, kind in zip(times, kinds, strict=True):
        for _ in range(8):  # a customer who joined later cannot order earlier: draw again
            c = _pick(rng, activity)
            if joins[c] <= ts:
                break
        else:
            c = 0
            joins[0] = min(joins[0], ts)
        t.events.append((ts, kind, t.customers[c]))
    # the last events' suggestions wait for review: the queue holds a few dozen
    t.pending_from = t.events[-min(len(t.events), 18)][0] if t.events else clock.end
    t.reply_v2_from = clock.start + int((clock.end - clock.start) * 0.55)
    return joins


def customer_rows(t: Tenant, b: dict, ids: Ids, joins: list[int]) -> None:
    """Adds customers (names, phones, emails, cities), labels and their CRM webhooks to batch b."""
    rng, clock, trade, d = t.rng, t.clock, t.trade, t.id
    last_seen = {id(c): ts for ts, _, c in t.events}
    labels = {name: ids("customer_labels") for name, _ in LABELS}
    b["customer_labels"] = [(labels[name], d, name, color) for name, color in LABELS]
    rows, assignments, used = [], [], set()
    for i, c in enumerate(t.customers):
        c.id = ids("customers")
        city, prefix, digits = rng.choice(trade.cities)
        name = f"{rng.choice(trade.business_types)} {rng.choice(trade.business_names)}"
        if name in used:
            name = f"{name} {city}" if f"{name} {city}" not in used else f"{name} #{i}"
        used.add(name)
        c.name = name
        phone = prefix + str(rng.randint(2, 9)) + "".join(str(rng.randrange(10)) for _ in range(digits - 1))
        if rng.random() < 0.45:
            c.email = f"{_slug(name)}@{rng.choice(trade.mail_domains)}"
        if joins[i] == clock.start:
            created = joins[i] - rng.randint(20, 900) * 86400
        else:
            created = joins[i] - rng.randrange(86400)
        recent = last_seen.get(id(c), 0) > clock.end - 60 * 86400
        status = "blocked" if rng.random() < 0.01 else ("active" if recent else "inactive")
        rows.append((c.id, d, name, phone, c.email, city, c.lang, status, ts_dt(created)))
        tags = (("VIP", i < max(2, len(t.customers) // 20)), ("Wholesale", c.size >= 2),
                ("New", created > clock.end - 45 * 86400), ("Late payer", rng.random() < 0.04),
                ("Weekend orders", rng.random() < 0.06))
        assignments += [(d, c.id, labels[tag], ts_dt(max(created, clock.start - 86400)))
                        for tag, yes in tags if yes]
        if created >= clock.start:
            payload = json.dumps({"customer_id": c.id, "name": name, "city": city}, ensure_ascii=False)
            b["webhook_deliveries"].append((ids("webhook_deliveries"), d, t.crm_endpoint, "customer.created",
                                            payload, "delivered", 1, 200, None, ts_dt(created + 2),
                                            ts_dt(created + 3)))
    b["customers"], b["customer_label_assignments"] = rows, assignments


def _slug(text: str) -> str:
    """Returns an email local part for a business name: "Café Don Pepe" -> "cafe.don.pepe"."""
    plain = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().lower()
    words = ("".join(ch for ch in word if ch.isalnum()) for word in plain.split())
    return ".".join(word for word in words if word)
