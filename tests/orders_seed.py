"""A small orders dataset with numbers known by hand, shared by the orders query and page tests.

Distributor in America/Mexico_City (UTC-6 all year). The "current" period is 1–10 March 2025 (local), the
previous one 19–28 February. Times below are UTC; local = UTC - 6 h. "msg -600 s": the customer's message
that became the order came 600 s before it.

current period
  A-001 Bar Central  ai           confirmed  1 Mar 16:00  beer 2x1000 + chips 1x300       = 2300  msg -600 s
  A-002 Cafe Luna    manual       delivered  2 Mar 02:30  water 4x500  (local 1 Mar 20:30) = 2000
  A-003 Tienda Sol   integration  cancelled  5 Mar 12:00  beer 10x1000                     = 10000
  A-004 Cafe Luna    ai           pending   11 Mar 05:30  chips 5x300 + mystery 1x700      = 2200  msg -1800 s
                                                          (local 10 Mar 23:30: the period's last day)
  A-005 Bar Central  ai           confirmed  6 Mar 15:00  water 2x500                      = 1000  msg -1200 s
  A-006 Bar Central  manual       delivered  8 Mar 12:00  chips 2x300                      = 600
  A-007 Tienda Sol   integration  draft      9 Mar 12:00  water 1x500                      = 500
previous period
  P-001 Bar Central  manual       confirmed  1 Mar 05:59  beer 1x1000 (local 28 Feb 23:59) = 1000
  P-002 Tienda Sol   ai           delivered 20 Feb 18:00  chips 10x300                     = 3000  msg -300 s
outside both
  X-001 Bar Central  manual       confirmed 18 Feb 12:00  beer 1x1000                      = 1000
  X-002 Bar Central  manual       confirmed 11 Mar 06:00  beer 1x1000 (local 11 Mar 00:00) = 1000

Labels: VIP = Bar Central + Cafe Luna, Retail = Cafe Luna; Tienda Sol has none.
Categories: Drinks = beer, water; Snacks = chips; "mystery" matched no product.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from types import SimpleNamespace

from sqlalchemy import Connection, text

from tests import factories as f

TZ = "America/Mexico_City"
START, END = date(2025, 3, 1), date(2025, 3, 10)


def utc(day: int, hour: int, minute: int = 0, month: int = 3) -> datetime:
    return datetime(2025, month, day, hour, minute, tzinfo=UTC)


def seed(conn: Connection, name: str = "Acme Drinks") -> SimpleNamespace:
    """Creates the dataset above for a new distributor; returns its ids (d, customers, labels, categories,
    products, orders by number, the trigger message and conversation of A-001)."""
    d = f.distributor(conn, name, tz=TZ, currency="MXN")
    bar = f.customer(conn, d, "Bar Central")
    luna = f.customer(conn, d, "Cafe Luna")
    sol = f.customer(conn, d, "Tienda Sol")
    vip = f.label(conn, d, "VIP", [bar, luna])
    retail = f.label(conn, d, "Retail", [luna])
    drinks, snacks = f.category(conn, d, "Drinks"), f.category(conn, d, "Snacks")
    beer = f.product(conn, d, "BEER-1", "Beer", 1000, category_id=drinks)
    water = f.product(conn, d, "WATER-1", "Water", 500, category_id=drinks)
    chips = f.product(conn, d, "CHIPS-1", "Chips", 300, category_id=snacks)

    def trigger(customer: int, at: datetime, seconds_before: int, content: str) -> tuple[int, int]:
        conv = f.conversation(conn, d, customer, started_at=at - timedelta(hours=1))
        msg = f.message(conn, d, conv, content, created_at=at - timedelta(seconds=seconds_before))
        return conv, msg

    def order(number, customer, lines, status, source, at, msg=None):
        conv, mid = msg if msg else (None, None)
        return f.order(conn, d, customer, lines, number=number, status=status, source=source, currency="MXN",
                       created_at=at, conversation_id=conv, ai_source_message_id=mid)

    conv1, msg1 = trigger(bar, utc(1, 16), 600, "2 beers and a bag of chips please")
    greeting = f.message(conn, d, conv1, "Hi! What can I get you?", direction="outbound",
                         created_at=utc(1, 15, 30))
    later = f.message(conn, d, conv1, "Your order is confirmed", direction="outbound",
                      created_at=utc(1, 16, 5))
    orders = {
        "A-001": order("A-001", bar, [(beer, "Beer", 2, 1000), (chips, "Chips", 1, 300)], "confirmed", "ai",
                       utc(1, 16), (conv1, msg1)),
        "A-002": order("A-002", luna, [(water, "Water", 4, 500)], "delivered", "manual", utc(2, 2, 30)),
        "A-003": order("A-003", sol, [(beer, "Beer", 10, 1000)], "cancelled", "integration", utc(5, 12)),
        "A-004": order("A-004", luna, [(chips, "Chips", 5, 300), (None, "Mystery", 1, 700)], "pending", "ai",
                       utc(11, 5, 30), trigger(luna, utc(11, 5, 30), 1800, "5 chips and the usual")),
        "A-005": order("A-005", bar, [(water, "Water", 2, 500)], "confirmed", "ai", utc(6, 15),
                       trigger(bar, utc(6, 15), 1200, "2 water")),
        "A-006": order("A-006", bar, [(chips, "Chips", 2, 300)], "delivered", "manual", utc(8, 12)),
        "A-007": order("A-007", sol, [(water, "Water", 1, 500)], "draft", "integration", utc(9, 12)),
        "P-001": order("P-001", bar, [(beer, "Beer", 1, 1000)], "confirmed", "manual", utc(1, 5, 59)),
        "P-002": order("P-002", sol, [(chips, "Chips", 10, 300)], "delivered", "ai", utc(20, 18, month=2),
                       trigger(sol, utc(20, 18, month=2), 300, "10 chips")),
        "X-001": order("X-001", bar, [(beer, "Beer", 1, 1000)], "confirmed", "manual", utc(18, 12, month=2)),
        "X-002": order("X-002", bar, [(beer, "Beer", 1, 1000)], "confirmed", "manual", utc(11, 6)),
    }
    conn.execute(text("insert into order_attachments (distributor_id, order_id, file_name, content_type, "
                      "size_bytes, storage_path) values (:d, :o, 'photo.jpg', 'image/jpeg', 2048, :path)"),
                 {"d": d, "o": orders["A-001"], "path": "a/photo.jpg"})
    return SimpleNamespace(d=d, bar=bar, luna=luna, sol=sol, vip=vip, retail=retail, drinks=drinks,
                           snacks=snacks, beer=beer, water=water, chips=chips, orders=orders, conv1=conv1,
                           msg1=msg1, greeting=greeting, later=later)
