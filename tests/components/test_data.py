"""components/data.fetch: the typed door from a page to a query function, cached per tenant."""

from __future__ import annotations

from components.data import fetch, invalidate
from queries import conversations, orders
from queries.orders import OrderFilters
from tests import factories as f
from tests import orders_seed
from tests.orders_seed import END, START, TZ


def test_fetch_runs_the_function_for_the_users_tenant_only(clean_db):
    with clean_db.begin() as conn:
        data = orders_seed.seed(conn)
        seeded = f.signed_in(conn, data.d, "manager")
        empty = f.signed_in(conn, f.distributor(conn, "Empty Co"), "manager")
    filters = OrderFilters(START, END, TZ)
    assert fetch(orders.orders_exist, seeded) is True
    # same function and parameters, another tenant: never the first tenant's cached answer
    assert fetch(orders.orders_exist, empty) is False
    assert fetch(orders.orders_count, seeded, filters=filters) == 7
    assert fetch(orders.orders_count, empty, filters=filters) == 0


def test_fetch_keys_by_function_and_parameters(clean_db):
    with clean_db.begin() as conn:
        data = orders_seed.seed(conn)
        user = f.signed_in(conn, data.d, "manager")
    filters = OrderFilters(START, END, TZ)
    # the same function with another parameter is its own entry (numbers: tests/orders_seed.py)
    assert list(fetch(orders.top_customers, user, filters=filters, by="revenue")["customer"]) == [
        "Cafe Luna", "Bar Central", "Tienda Sol"]
    assert list(fetch(orders.top_customers, user, filters=filters, by="orders")["customer"]) == [
        "Bar Central", "Cafe Luna", "Tienda Sol"]
    # two parameterless functions of the same tenant are two entries
    assert set(fetch(orders.filter_options, user)["kind"]) == {"customer", "label", "category"}
    assert set(fetch(conversations.queue_options, user)) == {"agent", "customer", "label"}


def test_invalidate_shows_a_write_on_the_next_fetch(clean_db):
    with clean_db.begin() as conn:
        d = f.distributor(conn)
        user = f.signed_in(conn, d, "manager")
    assert fetch(orders.orders_exist, user) is False
    with clean_db.begin() as conn:
        f.order(conn, d, f.customer(conn, d), [(None, "Beer", 1, 100)])
    assert fetch(orders.orders_exist, user) is False  # cached
    invalidate()
    assert fetch(orders.orders_exist, user) is True
