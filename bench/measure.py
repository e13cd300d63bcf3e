"""Timing one page query the way the app runs it, its server time, and its cost without RLS.

- app: `with tenant_scope(...) as conn: queries.<module>.<fn>(conn, distributor_id=..., **params)`, exactly
  what components.data.fetch runs on a cache miss (so the transaction, role and settings are counted);
- server: the statements the function sent, captured as it ran, re-run under EXPLAIN (ANALYZE) in the same
  tenant scope: planning + execution time inside PostgreSQL, nothing of the driver, pandas or the network;
- owner: the same statements under EXPLAIN (ANALYZE) as the connecting role without SET ROLE. On the
  embedded server that role is a superuser, which row level security never applies to, so only the queries'
  explicit `distributor_id = :distributor_id` keeps them to one tenant.
The server and owner runs alternate, so a busy moment of the machine falls on both, and the best of each is kept:
other processes on the machine only ever add time."""

from __future__ import annotations

import json
import time
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Engine, event, text

from bench.page_queries import PageQuery, Tenant
from core.db import tenant_scope
from core.filters import today_in

EXPLAIN = "EXPLAIN (ANALYZE, TIMING OFF, FORMAT JSON) "
PLAN = "EXPLAIN (ANALYZE, BUFFERS) "
# Scans of these tables by anything but an index read rows of every tenant: flagged in the results.
BIG_TABLES = ("orders", "order_products", "messages", "ai_responses", "data_access_audit",
              "security_audit_log", "conversations", "customers", "ai_usage_metrics", "ai_prompt_performance")


@dataclass
class Timing:
    """The numbers of one query for one tenant and period (milliseconds)."""

    page: str
    label: str
    range: str
    p50: float
    p95: float
    server: float
    owner: float
    statements: int
    seq_scans: list[str] = field(default_factory=list)
    plan: str = ""
    owner_plan: str = ""
    searched: bool = False

    @property
    def overhead(self) -> float:
        """App time over server time: what the driver, pandas and the transaction add."""
        return self.p50 / self.server if self.server else float("nan")

    @property
    def rls(self) -> float:
        """Server time as the app role over server time as the owner with only the explicit filter."""
        return self.server / self.owner if self.owner else float("nan")


def percentile(values: list[float], pct: float) -> float:
    """Nearest-rank percentile (p95 of 20 values is the 19th smallest)."""
    ordered = sorted(values)
    rank = max(1, -(-len(ordered) * pct // 100))
    return ordered[int(rank) - 1]


class Capture:
    """Records the SQL statements (driver form and parameters) an engine sends while `active`."""

    def __init__(self, engine: Engine):
        self.active = False
        self.statements: list[tuple[str, Any]] = []
        event.listen(engine, "before_cursor_execute", self._seen)

    def _seen(self, conn, cursor, statement, parameters, context, executemany) -> None:
        if self.active:
            self.statements.append((statement, parameters))

    @contextmanager
    def recording(self):
        self.statements, self.active = [], True
        try:
            yield self.statements
        finally:
            self.active = False


def run_once(engine: Engine, tenant: Tenant, pq: PageQuery, params: dict[str, Any],
             capture: Capture | None = None) -> float:
    """Runs the query as the app does and returns the wall time in ms; with `capture`, records the
    statements the query function sent (not tenant_scope's own)."""
    fn = pq.query
    started = time.perf_counter()
    with tenant_scope(tenant.distributor_id, engine=engine) as conn:
        if capture is None:
            fn(conn, distributor_id=tenant.distributor_id, **params)
        else:
            with capture.recording():
                fn(conn, distributor_id=tenant.distributor_id, **params)
    return (time.perf_counter() - started) * 1000


@contextmanager
def owner_scope(engine: Engine, distributor_id: str):
    """A transaction as the connecting role (no SET ROLE), tenant settings set as tenant_scope sets them, so
    a function reading them behaves the same."""
    with engine.begin() as conn:
        conn.execute(text("select set_config('app.current_distributor_id', :d, true)"), {"d": distributor_id})
        yield conn


def server_ms(conn, statements: list[tuple[str, Any]]) -> float:
    total = 0.0
    for statement, params in statements:
        plan = conn.exec_driver_sql(EXPLAIN + statement, params).scalar_one()
        plan = plan[0] if isinstance(plan, list) else json.loads(plan)[0]
        total += plan["Planning Time"] + plan["Execution Time"]
    return total


def seq_scans(plan_text: str) -> list[str]:
    """Big tables the plan reads with a sequential scan."""
    found = []
    for line in plan_text.splitlines():
        if "Seq Scan on " in line:
            table = line.split("Seq Scan on ", 1)[1].split()[0]
            if table in BIG_TABLES and table not in found:
                found.append(table)
    return found


def measure(engine: Engine, capture: Capture, tenant: Tenant, pq: PageQuery, params: dict[str, Any],
            range_name: str, reps: int = 20, explains: int = 5) -> Timing:
    """Warm-up, then `reps` timed runs; `explains` alternating server / owner EXPLAIN runs (best of each)."""
    run_once(engine, tenant, pq, params, capture)  # the warm-up also tells which statements the query sends
    statements = list(capture.statements)
    wall = [run_once(engine, tenant, pq, params) for _ in range(reps)]
    server, owner = [], []
    for _ in range(explains):
        with tenant_scope(tenant.distributor_id, engine=engine) as conn:
            server.append(server_ms(conn, statements))
        with owner_scope(engine, tenant.distributor_id) as conn:
            owner.append(server_ms(conn, statements))
    with tenant_scope(tenant.distributor_id, engine=engine) as conn:
        plan = _plans(conn, statements)
    with owner_scope(engine, tenant.distributor_id) as conn:
        owner_plan = _plans(conn, statements)
    # the best of the alternating runs: noise from the rest of the machine only ever adds time
    return Timing(pq.page, pq.label, range_name, percentile(wall, 50), percentile(wall, 95), min(server),
                  min(owner), len(statements), seq_scans(plan), plan, owner_plan,
                  pq.searched)


def _plans(conn, statements: list[tuple[str, Any]]) -> str:
    return "\n\n".join("\n".join(conn.exec_driver_sql(PLAN + s, p).scalars()) for s, p in statements)


def tenant(engine: Engine, distributor_id: str) -> Tenant:
    """Reads (as the owner) what the pages of `distributor_id` open by default; see page_queries.Tenant."""
    with engine.connect() as conn:
        d = conn.execute(text("select name, timezone, trim(currency) as currency from distributors where id = :d"),
                         {"d": distributor_id}).one()
        orders = conn.execute(text("select count(*) from orders where distributor_id = :d"),
                              {"d": distributor_id}).scalar_one()
        order_id = conn.execute(text(
            "select id from orders where distributor_id = :d and ai_source_message_id is not null "
            "order by created_at desc, id desc limit 1"), {"d": distributor_id}).scalar_one()
        # the assistant's first choice and the queue's first row: the latest conversation with a customer message
        conv = conn.execute(text(
            "select c.id, c.customer_id, m.id as message_id from conversations c "
            "join lateral (select id from messages m where m.distributor_id = c.distributor_id "
            "  and m.conversation_id = c.id and m.direction = 'inbound' order by created_at desc, id desc limit 1) m "
            "on true where c.distributor_id = :d order by c.last_message_at desc, c.id desc limit 1"),
            {"d": distributor_id}).one()
        number = conn.execute(text(
            "select order_number from orders where distributor_id = :d and source = 'ai' and status <> 'cancelled' "
            "order by created_at limit 1 offset (select count(*) / 2 from orders where distributor_id = :d "
            "and source = 'ai' and status <> 'cancelled')"), {"d": distributor_id}).scalar_one()
        product = conn.execute(text(
            "select p.name from order_products op join products p on p.distributor_id = op.distributor_id "
            "and p.id = op.product_id where op.distributor_id = :d group by p.id, p.name "
            "order by count(*) desc, p.id limit 1"), {"d": distributor_id}).scalar_one()
        # ts_stat takes the text of a query: the id is cast to uuid first, so it can only be a uuid's text
        frequent = conn.execute(text(
            "select word from ts_stat($$select content_tsv from messages where distributor_id = '$$ || "
            "cast(cast(:d as uuid) as text) || $$' and sender_type = 'customer' order by created_at desc "
            "limit 2000$$) where word ~ '^[[:alpha:]]{5,}$' order by ndoc desc, word limit 1"),
            {"d": distributor_id}).scalar_one()
    return Tenant(distributor_id, d.name, d.timezone, d.currency, today_in(d.timezone), orders, order_id,
                  conv.id, conv.customer_id, conv.message_id, number, product, frequent)
