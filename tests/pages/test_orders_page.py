"""pages/orders.py in AppTest, per role, on the dataset of tests/orders_seed.py (1–10 March 2025)."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from sqlalchemy import text

from tests import factories as f
from tests import orders_seed
from tests.apptest import page, texts

PERIOD = {"orders_period": "custom", "orders_from": "2025-03-01", "orders_to": "2025-03-10"}


@pytest.fixture
def data(clean_db):
    with clean_db.begin() as conn:
        return orders_seed.seed(conn)


def signed_in(engine, distributor_id, role):
    with engine.begin() as conn:
        return f.signed_in(conn, distributor_id, role)


def table_with(at, column: str):
    """The first dataframe shown with `column` (plain st.dataframe tables carry no key)."""
    return next(df.value for df in at.dataframe if column in df.value.columns)


def metrics(at) -> dict[str, tuple[str, str]]:
    return {m.label: (m.value, m.delta) for m in at.metric}


@pytest.mark.parametrize("role", ["admin", "manager", "operator"])
def test_renders_the_known_numbers(data, clean_db, role):
    at = page("pages/orders.py", signed_in(clean_db, data.d, role), query_params=PERIOD)
    assert not at.exception, at.exception
    # 7 orders vs 2; revenue 86.00 vs 40.00 (cancelled left out); 3 of 7 by the AI; median 20 min vs 5
    assert metrics(at) == {
        "Orders": ("7", "+250.0%"), "Revenue": ("MX$86.00", "+115.0%"),
        "Average order": ("MX$14.33", "-28.4%"), "Created by AI": ("42.9%", "-14.3%"),
        "Message → order": ("20.0 min", "+300.0%"),
    }
    assert "(1 cancelled)" in texts(at)
    table = at.dataframe(key="orders_table__table").value
    assert list(table["order_number"]) == ["A-004", "A-007", "A-006", "A-005", "A-003", "A-002", "A-001"]
    assert list(table["total"]) == [22.0, 5.0, 6.0, 10.0, 100.0, 20.0, 23.0]
    with clean_db.connect() as conn:
        views = conn.execute(text("select record_count from data_access_audit where distributor_id = :d "
                                  "and action = 'view' and resource = 'orders'"),
                             {"d": data.d}).scalars().all()
    assert views == [7]


def test_filters_from_the_url_are_applied(data, clean_db):
    user = signed_in(clean_db, data.d, "manager")
    at = page("pages/orders.py", user, query_params=PERIOD | {"orders_customer": "Bar Central"})
    assert metrics(at)["Orders"] == ("3", "+200.0%") and metrics(at)["Revenue"][0] == "MX$39.00"
    at = page("pages/orders.py", user, query_params=PERIOD | {"orders_status": "cancelled"})
    assert metrics(at)["Orders"][0] == "1" and metrics(at)["Revenue"][0] == "MX$0.00"
    at = page("pages/orders.py", user, query_params=PERIOD | {"orders_category": "Snacks",
                                                               "orders_source": "ai"})
    # AI orders with a snack
    assert metrics(at)["Orders"][0] == "2" and metrics(at)["Revenue"][0] == "MX$45.00"


def test_sorting_changes_the_table(data, clean_db):
    at = page("pages/orders.py", signed_in(clean_db, data.d, "manager"), query_params=PERIOD)
    at.selectbox(key="orders_sort").set_value("total_desc").run()
    numbers = list(at.dataframe(key="orders_table__table").value["order_number"])
    assert numbers[:3] == ["A-003", "A-001", "A-004"]


@pytest.mark.parametrize("role", ["admin", "manager", "operator"])
def test_drill_into_an_order(data, clean_db, role):
    at = page("pages/orders.py", signed_in(clean_db, data.d, role), query_params=PERIOD)
    at.selectbox(key="orders_open").set_value(data.orders["A-001"]).run()
    assert not at.exception, at.exception
    shown = texts(at)
    assert "Order A-001" in shown and "MX$23.00" in shown
    # the source conversation, the trigger message marked, nothing said after the order
    assert "2 beers and a bag of chips please" in shown and "this message became the order" in shown
    assert "Your order is confirmed" not in shown
    assert "10 min after the customer's message" in shown
    lines = table_with(at, "matched_product")
    assert lines[["product", "matched_product", "raw_text", "quantity", "line_total"]].values.tolist() == [
        ["Beer", "Beer", "beer", 2.0, 20.0], ["Chips", "Chips", "chips", 1.0, 3.0]]
    assert table_with(at, "file_name")[["file_name", "size_bytes"]].values.tolist() == [["photo.jpg", 2048]]


def test_export_loads_every_filtered_order_and_line(data, clean_db):
    at = page("pages/orders.py", signed_in(clean_db, data.d, "manager"), query_params=PERIOD)
    at.toggle(key="orders_export").set_value(True).run()
    # the page's table shows "total"; the export keeps total_cents, and every order (not one page)
    assert len(table_with(at, "total_cents")) == 7
    lines = table_with(at, "line_total_cents")
    assert len(lines) == 9 and lines["line_total_cents"].sum() == 18600


def test_friendly_empty_state_for_a_distributor_without_orders(clean_db):
    with clean_db.begin() as conn:
        d = f.distributor(conn, "Brand New")
        user = f.signed_in(conn, d, "manager")
    at = page("pages/orders.py", user)
    assert not at.exception
    assert "No orders yet" in texts(at) and not at.metric


def test_no_orders_in_the_period(data, clean_db):
    at = page("pages/orders.py", signed_in(clean_db, data.d, "manager"),
              query_params=PERIOD | {"orders_from": "2024-01-01", "orders_to": "2024-01-31"})
    assert "No orders match these filters" in texts(at)
    assert metrics(at)["Orders"] == ("0", "n/a")


def test_support_is_not_allowed(data, clean_db):
    at = page("pages/orders.py", signed_in(clean_db, data.d, "support"), query_params=PERIOD)
    assert "You are not allowed to see this page." in texts(at)
    assert not at.metric and not at.dataframe


def test_a_manager_never_sees_another_distributors_orders(data, clean_db):
    with clean_db.begin() as conn:
        other = f.distributor(conn, "Other Drinks", tz=orders_seed.TZ, currency="MXN")
        someone = f.customer(conn, other, "Someone Else")
        f.order(conn, other, someone, [(None, "Thing", 1, 99)], number="B-001", currency="MXN",
                created_at=orders_seed.utc(3, 12))
    # B first, so A's run could only see B's numbers through a cache that ignored the tenant
    at_b = page("pages/orders.py", signed_in(clean_db, other, "manager"), query_params=PERIOD)
    assert metrics(at_b)["Orders"][0] == "1" and metrics(at_b)["Revenue"][0] == "MX$0.99"
    assert list(at_b.dataframe(key="orders_table__table").value["order_number"]) == ["B-001"]
    at_a = page("pages/orders.py", signed_in(clean_db, data.d, "manager"), query_params=PERIOD)
    assert metrics(at_a)["Orders"][0] == "7" and metrics(at_a)["Revenue"][0] == "MX$86.00"
    numbers = at_a.dataframe(key="orders_table__table").value["order_number"].tolist()
    assert "B-001" not in numbers and len(numbers) == 7
    assert "Someone Else" not in texts(at_a)


def test_the_table_is_paginated_in_sql(clean_db):
    with clean_db.begin() as conn:
        d = f.distributor(conn, "Busy", tz=orders_seed.TZ)
        c = f.customer(conn, d, "Regular")
        # 30 orders an hour apart on 3 March: R-01 oldest ... R-30 newest
        for i in range(1, 31):
            f.order(conn, d, c, [(None, "Thing", 1, 100 * i)], number=f"R-{i:02d}",
                    created_at=orders_seed.utc(3, 0) + timedelta(hours=i))
        user = f.signed_in(conn, d, "manager")
    first = page("pages/orders.py", user, query_params=PERIOD)
    assert list(first.dataframe(key="orders_table__table").value["order_number"])[:2] == ["R-30", "R-29"]
    assert len(first.dataframe(key="orders_table__table").value) == 25 and "Rows 1–25 of 30" in texts(first)
    second = page("pages/orders.py", user, query_params=PERIOD | {"orders_table_page": "2"})
    assert list(second.dataframe(key="orders_table__table").value["order_number"]) == [
        "R-05", "R-04", "R-03", "R-02", "R-01"]
    assert "Rows 26–30 of 30" in texts(second)


def test_the_drill_down_shows_customer_text_as_written(data, clean_db):
    # issue 12, finding 3: Markdown in a customer's name, the notes and the messages was rendered (an image
    # made the browser fetch an outside URL)
    evil = "![x](http://evil.test/p.png) **Bar**"
    with clean_db.begin() as conn:
        conn.execute(text("update customers set name = :n where name = 'Bar Central'"), {"n": evil})
        conn.execute(text("update orders set notes = :n where order_number = 'A-001'"), {"n": "[click](http://evil.test)"})
        conn.execute(text("update messages set content = '<img src=x onerror=alert(1)> ![i](http://evil.test/i)'"
                          " where content like '2 beers%'"))
    at = page("pages/orders.py", signed_in(clean_db, data.d, "manager"), query_params=PERIOD)
    at.selectbox(key="orders_open").set_value(data.orders["A-001"]).run()
    bodies = [m.value for m in at.markdown] + [c.value for c in at.caption]
    # every bracket, angle bracket and asterisk of theirs is escaped: nothing left to render
    assert not [b for b in bodies if re.search(r"(?<!\\)(\]\(|<img|\*\*Bar)", b)], bodies
    assert any(r"\!\[x\]\(http" in b for b in bodies)  # still there, shown literally


def test_the_drill_down_says_who_made_the_order_and_who_wrote_its_message(data, clean_db):
    # issue 14: an offline draft a person confirmed read "created by ai"; a pasted text read as the customer's
    with clean_db.begin() as conn:
        rosa = f.user(conn, data.d, "support", full_name="Rosa Díaz")
        conn.execute(text("update orders set source = 'manual', drafted_by = 'offline_drafter', created_by = :u"
                          " where order_number = 'A-001'"), {"u": rosa})
        conn.execute(text("update messages set sender_type = 'agent', source = 'pasted'"
                          " where content like '2 beers%'"))
    at = page("pages/orders.py", signed_in(clean_db, data.d, "manager"), query_params=PERIOD)
    at.selectbox(key="orders_open").set_value(data.orders["A-001"]).run()
    assert "drafted by the offline drafter, confirmed by Rosa Díaz" in texts(at)
    assert any("Agent · pasted · this message became the order" in c.value for c in at.caption)
    at.selectbox(key="orders_open").set_value(data.orders["A-005"]).run()
    assert "created by the AI" in texts(at)
    at.selectbox(key="orders_open").set_value(data.orders["A-002"]).run()
    assert "created manually" in texts(at)


def test_opening_an_order_writes_a_view_row(data, clean_db):
    # issue 12, finding 8: the drill-down showed a customer's order and messages with no audit row
    user = signed_in(clean_db, data.d, "manager")
    at = page("pages/orders.py", user, query_params=PERIOD)
    at.selectbox(key="orders_open").set_value(data.orders["A-001"]).run()
    at.run()  # a rerun of the same view is not a new view
    with clean_db.connect() as conn:
        rows = conn.execute(text("select user_id::text, record_count, details from data_access_audit"
                                 " where action = 'view' and resource = 'order'")).all()
    assert [tuple(r) for r in rows] == [(user.id, 1, {"filters": {"order_id": data.orders["A-001"]}})]
