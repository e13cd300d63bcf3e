"""Streams generated rows into PostgreSQL with COPY, as the table owner, one transaction per tenant.

A background thread runs the COPYs while the main thread builds the next batch, so Python and the
database work at the same time; the job queue is short, which bounds memory.

No constraint is dropped. Checking foreign keys row by row (one trigger query per key and row) is most
of the database's work, so when the role may, a tenant is loaded with those triggers skipped
(session_replication_role = replica) and all its foreign keys are then verified in one set-based pass
before the commit (demo.integrity). Otherwise rows are checked as they arrive; then an order and
the message that created it, which reference each other, go in together in one statement."""

from __future__ import annotations

import threading
from collections import Counter
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path
from queue import Queue

from psycopg import Cursor, sql
from sqlalchemy import Engine, text

from demo import integrity
from demo.columns import COLUMNS
from demo.model import Ids
from queries.loader import parse_queries

# Aggregates computed in SQL from the loaded rows, so they equal them exactly.
ROLLUPS = ("ai_usage_metrics", "ai_prompt_performance", "ai_model_performance", "distributor_usage")
_ROLLUP_SQL = (Path(__file__).parent / "rollups.sql").read_text()
Q = {name: text(query) for name, query in parse_queries(_ROLLUP_SQL).items()}
_STAGED = ("messages", "orders")


def _columns(table: str) -> sql.Composable:
    return sql.SQL(", ").join(map(sql.Identifier, COLUMNS[table]))


def _copy_statement(target: str, table: str) -> sql.Composed:
    return sql.SQL("COPY {} ({}) FROM STDIN").format(sql.Identifier(*target.split(".")), _columns(table))


class Loader:
    """One connection, one COPY thread. Call begin(), copy() batches, finish() per tenant, then close().

    bulk_checks: verify foreign keys once per tenant instead of per row; None means when the role may."""

    def __init__(self, engine: Engine, bulk_checks: bool | None = None, queue_size: int = 3):
        self.conn = engine.connect()
        self.pg = self.conn.connection.driver_connection
        self.counts: Counter[str] = Counter()
        try:
            last = self._inspect(bulk_checks)
        except BaseException:
            self.conn.close()
            raise
        self.ids = Ids(dict(last))
        self._copies = {table: _copy_statement(table, table) for table in COLUMNS}
        self._copies |= {f"demo_{table}": _copy_statement(f"demo_{table}", table) for table in _STAGED}
        self._insert_staged = sql.SQL("WITH m AS (INSERT INTO messages ({}) SELECT {} FROM demo_messages) "
                                      "INSERT INTO orders ({}) SELECT {} FROM demo_orders").format(
            _columns("messages"), _columns("messages"), _columns("orders"), _columns("orders"))
        self._jobs: Queue = Queue(maxsize=queue_size)
        self._error: BaseException | None = None
        self._thread = threading.Thread(target=self._work, name="demo-copy", daemon=True)
        self._thread.start()

    def _inspect(self, bulk_checks: bool | None) -> list[tuple[str, int]]:
        """Reads the identity tables and their largest ids and what the role may do; returns the ids."""
        with self.pg.cursor() as cur:
            self.tables = [name for (name,) in cur.execute(
                "select table_name from information_schema.columns where table_schema = 'public' "
                "and column_name = 'id' and is_identity = 'YES' order by 1").fetchall()]
            last = cur.execute(sql.SQL(" UNION ALL ").join(
                sql.SQL("SELECT {}, coalesce(max(id), 0) FROM {}").format(sql.Literal(t), sql.Identifier(t))
                for t in self.tables)).fetchall()
            role, bypass, allowed = cur.execute(
                "select rolname, rolsuper or rolbypassrls, "
                "rolsuper or has_parameter_privilege('session_replication_role', 'SET') "
                "from pg_roles where rolname = current_user").fetchone()
            if not bypass:
                # tenant tables force row level security, and COPY refuses tables whose policies apply
                raise PermissionError(f"Demo data is loaded as a superuser or a role with BYPASSRLS; "
                                      f"{role} is neither.")
            self.bulk_checks = allowed if bulk_checks is None else bulk_checks
            self._orphans = integrity.orphans_query(integrity.foreign_keys(cur)) if self.bulk_checks else None
        self.pg.commit()
        return last

    # ------------------------------------------------------------------ the main thread's side
    def _submit(self, job: Callable[[Cursor], None]) -> None:
        if self._error is not None:
            raise self._error
        self._jobs.put(job)

    def begin(self) -> None:
        """Starts a tenant's transaction."""
        self._submit(self._begin)

    def copy(self, batch: dict[str, list]) -> None:
        """Queues a batch {table: rows} (blocks while the queue is full)."""
        self._submit(lambda cur: self._copy_batch(cur, batch))

    def finish(self, distributor_id: str, timezone: str, budget_cents: Decimal, hard_limit: bool) -> None:
        """Queues the tenant's checks, budget and SQL rollups, then its commit."""
        self._submit(lambda cur: self._finish(cur, distributor_id, timezone, budget_cents, hard_limit))

    def close(self) -> Counter[str]:
        """Waits for every queued job, sets the identity sequences past the new ids and analyzes;
        returns the rows loaded per table. Raises the COPY thread's error if there was one."""
        try:
            self._submit(self._finalize)
        finally:
            self._stop()
        return self.counts

    def abort(self) -> None:
        """Stops after a failure in the main thread: drops queued work, rolls back the open tenant."""
        self._error = self._error or RuntimeError("demo generation aborted")
        self._stop(reraise=False)

    def _stop(self, reraise: bool = True) -> None:
        self._jobs.put(None)
        self._thread.join()
        if self._error is not None:
            self.conn.rollback()
            self.pg.rollback()
        self.conn.close()
        if reraise and self._error is not None:
            raise self._error

    # ------------------------------------------------------------------ the COPY thread's side
    def _work(self) -> None:
        with self.pg.cursor() as cur:
            while (job := self._jobs.get()) is not None:
                if self._error is None:
                    try:
                        job(cur)
                    except BaseException as exc:  # handed to the main thread at its next call
                        self._error = exc

    def _begin(self, cur: Cursor) -> None:
        cur.execute("SET LOCAL work_mem = '64MB'")
        # fewer, larger merges of pending entries into the messages full-text index
        cur.execute("SET LOCAL gin_pending_list_limit = '64MB'")
        if self.bulk_checks:
            cur.execute("SET LOCAL session_replication_role = replica")
            return
        for table in _STAGED:
            cur.execute(sql.SQL("CREATE TEMP TABLE {} ON COMMIT DROP AS SELECT {} FROM {} WITH NO DATA")
                        .format(sql.Identifier(f"demo_{table}"), _columns(table), sql.Identifier(table)))

    def _copy_rows(self, cur: Cursor, target: str, *row_lists: list) -> None:
        with cur.copy(self._copies[target]) as cp:
            write = cp.write_row
            for rows in row_lists:
                for row in rows:
                    write(row)

    def _copy_batch(self, cur: Cursor, batch: dict[str, list]) -> None:
        sources = batch.get("messages_src", [])  # the messages that created this batch's orders
        for table in COLUMNS:
            rows = batch.get(table, [])
            if table == "orders" and rows and not self.bulk_checks:
                self._copy_rows(cur, "demo_messages", sources)
                self._copy_rows(cur, "demo_orders", rows)
                cur.execute(self._insert_staged)  # foreign keys are checked at the end of this one statement
                cur.execute("TRUNCATE demo_messages, demo_orders")
                self.counts["messages"] += len(sources)
                self.counts[table] += len(rows)
                continue
            # unchecked until the tenant's verification, they go in with the other messages
            extra = sources if table == "messages" and self.bulk_checks else []
            if rows or extra:
                self._copy_rows(cur, table, rows, extra)
                self.counts[table] += len(rows) + len(extra)

    def _finish(self, cur: Cursor, distributor_id: str, timezone: str, budget_cents: Decimal,
                hard_limit: bool) -> None:
        # Statistics taken mid-load (autovacuum sees only committed tenants) can make the planner expect
        # one row of this tenant and nest loops over all of them: hash and merge joins stay linear.
        cur.execute("SET LOCAL enable_nestloop = off")
        if self._orphans is not None:
            integrity.verify(cur, self._orphans, distributor_id)
        # SQLAlchemy runs the named queries on the same connection, inside the tenant's transaction
        params = {"d": distributor_id, "tz": timezone}
        self.conn.execute(Q["set_budget"], params | {"budget": budget_cents, "hard_limit": hard_limit})
        for table in ROLLUPS:
            # ids continue the table's counter: only this thread writes these tables
            n = self.conn.execute(Q[table], params | {"base": self.ids.last[table]}).rowcount
            self.ids.last[table] += n
            self.counts[table] += n
        self.conn.commit()
        self.pg.commit()

    def _finalize(self, cur: Cursor) -> None:
        # the app inserts with the identity default: it must continue after our explicit ids
        for table in self.tables:
            cur.execute(sql.SQL("SELECT setval(pg_get_serial_sequence({}, 'id'), max(id)) FROM {} "
                                "HAVING max(id) IS NOT NULL").format(sql.Literal(f"public.{table}"),
                                                                     sql.Identifier(table)))
        cur.execute("ANALYZE")  # fresh statistics for the dashboards' first queries
        self.pg.commit()
