"""The drafting backtest on a real PostgreSQL: a distributor's confirmed orders replayed through the offline
drafter and scored against the lines people confirmed, under that distributor's RLS scope only."""

from decimal import Decimal

from ai.backtest import backtest, main
from queries import backtest as q
from tests import factories as f


def _tenant(conn, name, message, lines, status="confirmed"):
    d = f.distributor(conn, name)
    c = f.customer(conn, d)
    conv = f.conversation(conn, d, c)
    corona = f.product(conn, d, "COR", "Corona 355ml", 230, aliases=["corona"], unit="case")
    sprite = f.product(conn, d, "SPR", "Sprite 2L", 320, aliases=["sprite"])
    products = {"COR": corona, "SPR": sprite, None: None}
    m = f.message(conn, d, conv, message)
    f.order(conn, d, c, [(products[sku], sku or "unknown", qty, 100) for sku, qty in lines], status=status,
            conversation_id=conv, ai_source_message_id=m)
    return d


def test_confirmed_orders_are_replayed_and_scored(clean_db):
    with clean_db.begin() as conn:
        d = _tenant(conn, "Acme", "2 cajas de corona y 3 sprite porfa", [("COR", 2), ("SPR", 4)])
        m_pending = f.message(conn, d, f.conversation(conn, d, f.customer(conn, d, "Other")), "9 corona")
        f.order(conn, d, f.customer(conn, d, "Third"), [(None, "x", 9, 1)], status="pending",
                ai_source_message_id=m_pending)  # not confirmed: not replayed
        other = _tenant(conn, "Rival", "5 corona", [("COR", 5)])

    results = backtest(str(d))

    t = results["all"][0]
    assert (t.messages, t.expected, t.found, t.quantity_right, t.wrong_products) == (1, 2, 2, 1, 0)
    assert (t.precision, t.recall) == (1.0, 1.0)
    [(case, draft, _)] = results["all"][1]
    assert [e.quantity for e in case.expected] == [Decimal(2), Decimal(4)]
    assert [ln.product.sku for ln in draft.lines] == ["COR", "SPR"]
    assert backtest(str(other))["all"][0].messages == 1  # each tenant sees its own orders only
    with clean_db.connect() as conn:
        assert {name for _, name in q.distributors(conn)} == {"Acme", "Rival"}


def test_the_command_prints_each_distributors_figures(clean_db, capsys):
    with clean_db.begin() as conn:
        _tenant(conn, "Acme", "2 cajas de corona", [("COR", 2)])
        f.distributor(conn, "Empty")
    assert main([]) == 0
    out = capsys.readouterr().out
    assert "Acme: confirmed orders replayed through the offline drafter" in out
    assert "Empty: no confirmed orders drafted from a message" in out
