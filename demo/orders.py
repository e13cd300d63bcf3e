"""Orders of one tenant: what a customer asks for, the lines and their totals, matching history, the ERP
webhook deliveries and the odd attachment."""

from __future__ import annotations

import json
import unicodedata

from demo.clock import ts_dt
from demo.model import Customer, Ids, Product, Tenant
from demo.phrases import PHRASES

# (product, wording as typed, quantity, unit as typed or None, the line's text)
Line = tuple[Product, str, int | float, str | None, str]
ATTACHMENTS = (("pedido.jpg", "image/jpeg", 240_000), ("order.pdf", "application/pdf", 85_000),
               ("lista.png", "image/png", 410_000))
WEBHOOK_FAILURES = ((500, "HTTP 500 Internal Server Error"), (502, "HTTP 502 Bad Gateway"),
                    (None, "timeout after 10s"))


def normalize(text: str) -> str:
    """Returns wording as product matching compares it: lower case, no accents, single spaces."""
    plain = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return " ".join(plain.lower().split())


def join_words(lang: str, parts: list[str]) -> str:
    """Returns "a, b and c" in the language."""
    return parts[0] if len(parts) == 1 else ", ".join(parts[:-1]) + PHRASES[lang]["and"] + parts[-1]


class Orders:
    """Numbers orders and writes their lines and side effects."""

    def __init__(self, t: Tenant, ids: Ids):
        self.t, self.ids, self.rng, self.d = t, ids, t.rng, t.id
        self.end = t.clock.end
        self.count = 0
        self.learned: set[str] = set()  # wordings confirmed once: matched from history afterwards

    def number(self) -> str:
        self.count += 1
        return f"{self.t.trade.order_prefix}-{self.count:06d}"

    def status(self, at: int) -> str:
        """Returns where an order created at `at` is now: older orders are delivered."""
        rng, age = self.rng, self.end - at
        if rng.random() < 0.04:
            return "cancelled"
        if age < 86400:
            return "confirmed"
        if age < 3 * 86400:
            return rng.choice(("confirmed", "shipped", "shipped", "delivered"))
        return "delivered" if rng.random() < 0.97 else "shipped"

    def lines(self, customer: Customer, lang: str) -> list[Line]:
        """Returns what a customer asks for, from their usual basket, worded their way."""
        rng = self.rng
        formats = PHRASES[lang]["line"]
        if lang != self.t.trade.language:  # no unit words across languages
            formats = formats[2:]
        k = min(len(customer.basket), rng.choices((1, 2, 3, 4, 5), (28, 32, 22, 12, 6))[0])
        lines = []
        for p in rng.sample(customer.basket, k):
            if p.unit == "kg":
                q = round(rng.choice((1, 2, 2.5, 3, 5, 5, 8, 10)) * customer.size * 2) / 2
            else:
                q = max(1, round(rng.choice((1, 1, 2, 2, 2, 3, 3, 4, 5, 6, 8, 10)) * customer.size))
            if q == int(q):
                q = int(q)
            aliases = p.wordings[1:]
            wording = rng.choice(aliases) if aliases and rng.random() >= 0.3 else p.name
            if rng.random() < 0.25:
                wording = wording.lower()
            fmt = rng.choice(formats)
            unit = (p.unit if q == 1 else p.unit_plural) if "{u}" in fmt else None
            q_text = str(q) if lang == "en" or isinstance(q, int) else str(q).replace(".", ",")
            lines.append((p, wording, q, unit, fmt.format(q=q_text, u=unit, w=wording)))
        return lines

    def write_lines(self, b: dict, oid: int, lines: list[Line], *, ai: bool, reviewer: str | None = None,
                    confirmed_at: int | None = None) -> int:
        """Adds the order's lines (and, for confirmed AI matches, matching history); returns the total."""
        ids, d = self.ids, self.d
        total = 0
        for p, wording, q, _, _ in lines:
            line_total = q * p.price if isinstance(q, int) else (int(q * 2) * p.price + 1) // 2  # half up
            total += line_total
            lid = ids("order_products")
            confidence = None
            if ai:
                confidence = "1.000" if wording == p.name else self._matched(b, p, wording, lid, reviewer,
                                                                             confirmed_at)
            b["order_products"].append((lid, d, oid, p.id, wording if ai else None, p.name, q, p.unit,
                                        p.price, line_total, confidence))
        return total

    def _matched(self, b: dict, p: Product, wording: str, line_id: int, reviewer: str | None,
                 confirmed_at: int | None) -> str:
        """Returns the match confidence of an alias; its first confirmation teaches the matcher (a row
        in product_matching_history), later confirmations are recorded now and then."""
        rng = self.rng
        key = normalize(wording)
        exact = key == normalize(p.name)
        method = "history" if key in self.learned else "exact" if exact else "fuzzy"
        confidence = f"{rng.uniform(0.78, 0.97) if method == 'fuzzy' else rng.uniform(0.95, 1):.3f}"
        if confirmed_at is not None and (method != "history" or rng.random() < 0.1):
            self.learned.add(key)
            b["product_matching_history"].append((
                self.ids("product_matching_history"), self.d, wording, key, p.id, line_id, method, confidence,
                True, reviewer, ts_dt(confirmed_at)))
        return confidence

    def side_effects(self, b: dict, oid: int, number: str, customer: Customer, total: int, status: str,
                     at: int) -> None:
        """The ERP webhook for the new order (and its cancellation), and now and then an attachment."""
        rng, ids, d = self.rng, self.ids, self.d
        payload = json.dumps({"order_number": number, "customer_id": customer.id, "total_cents": total,
                              "currency": self.t.trade.currency})
        events = [("order.created", at + 2)]
        if status == "cancelled":
            events.append(("order.updated", at + 3600))
        for event, sent in events:
            if sent > self.end - 120:
                outcome = ("pending", 1, None, "timeout after 10s", None)
            elif rng.random() < 0.025:
                code, error = rng.choice(WEBHOOK_FAILURES)
                outcome = ("failed", 5, code, error, None)
            else:
                outcome = ("delivered", 1 if rng.random() < 0.95 else 2, 200, None, ts_dt(sent + 1))
            b["webhook_deliveries"].append((ids("webhook_deliveries"), d, self.t.erp_endpoint, event, payload,
                                            *outcome[:4], ts_dt(sent), outcome[4]))
        if rng.random() < 0.012 or self.count <= 2:
            name, kind, size = rng.choice(ATTACHMENTS)
            b["order_attachments"].append((ids("order_attachments"), d, oid, name, kind,
                                           size + rng.randrange(50_000),
                                           f"demo/{self.t.slug}/orders/{number}/{name}", ts_dt(at + 30)))
