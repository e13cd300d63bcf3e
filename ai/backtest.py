"""The drafting backtest: the source messages of a distributor's confirmed orders replayed through the
offline drafter, its lines compared with the lines people confirmed. `python -m ai.backtest` runs it
on every distributor of the configured database (the embedded demo one by default).

The matching history is left out: it is made of these very confirmations, and would answer for the
drafter."""

from __future__ import annotations

import argparse
from collections.abc import Sequence

from ai.evaluation import Case, Expected, evaluate, format_report
from core.db import tenant_scope
from queries import assistant as q_assistant
from queries import backtest as q


def backtest(distributor_id: str) -> dict:
    """Returns the evaluate() results of the distributor's confirmed orders (per language and "all")."""
    with tenant_scope(distributor_id) as conn:
        catalog = q_assistant.catalog(conn, distributor_id)
        orders = q.confirmed_orders(conn, distributor_id)
    cases = [Case(str(o.order_id), o.language, "own", o.message, tuple(Expected(s, n) for s, n in o.lines))
             for o in orders]
    return evaluate(cases, {"own": catalog})


def main(argv: Sequence[str] | None = None) -> int:
    argparse.ArgumentParser(description=__doc__.splitlines()[0]).parse_args(argv)
    from core.bootstrap import prepare

    engine = prepare()
    with engine.connect() as conn:  # the owner lists the tenants; each is then read under its own RLS scope
        tenants = q.distributors(conn)
    for distributor_id, name in tenants:
        results = backtest(distributor_id)
        print(format_report(f"{name}: confirmed orders replayed through the offline drafter", results)
              if results else f"{name}: no confirmed orders drafted from a message")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
