"""The benchmark's data: 20 distributors with Zipf-like sizes in their own embedded database, and the smallest
of them alone in a second one, each reused while it matches the parameters asked for.

    python -m bench.dataset [--scale 0.25]      # generate (or reuse) and print the rows per table

The big database is `ordersight_bench`, the solo one `ordersight_bench_solo`, both on the embedded server in
bench/data (git-ignored), never the demo database. A row of `bench_dataset` in each records the parameters
it was loaded with, the time it took and the rows per table; a run with other parameters, or data older
than MAX_AGE_DAYS (the pages' default periods end today), drops the database and starts again."""

from __future__ import annotations

import argparse
import hashlib
import json
import math
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path

from psycopg import sql
from sqlalchemy import Engine, create_engine, text

ROOT = Path(__file__).resolve().parent.parent
DATA_DIR = ROOT / "bench" / "data"
BIG_DB = "ordersight_bench"
SOLO_DB = "ordersight_bench_solo"
MAX_AGE_DAYS = 7
# Tables rewritten in time order after loading (see interleave()), with the column that orders them.
TIME_ORDERED = {"orders": "created_at", "messages": "created_at", "ai_responses": "created_at",
                "data_access_audit": "created_at", "security_audit_log": "created_at",
                "conversations": "started_at", "ai_usage_metrics": "date", "webhook_deliveries": "created_at"}
MARKER_DDL = """
create table if not exists bench_dataset (
    name text primary key,
    params jsonb not null,
    rows jsonb not null,
    generate_s float8 not null,
    layout_s float8 not null,
    data_end timestamptz not null,
    loaded_at timestamptz not null default now()
)"""


def generator_version() -> str:
    """A digest of the demo generator's source: a changed generator makes different data."""
    digest = hashlib.sha256()
    for path in sorted((ROOT / "demo").glob("*.*")):
        if path.suffix in (".py", ".sql"):
            digest.update(path.name.encode() + path.read_bytes())
    return digest.hexdigest()[:16]


@dataclass(frozen=True)
class Params:
    """What a dataset is made of: orders per distributor (largest first), local days of history, seed, and
    the generator's version."""

    sizes: tuple[int, ...]
    days: int = 730
    seed: int = 7
    generator: str = field(default_factory=generator_version)


def zipf_sizes(largest: int = 200_000, smallest: int = 300, count: int = 20, scale: float = 1.0) -> tuple[int, ...]:
    """Returns `count` order counts falling as 1/rank^s from `largest` to `smallest` (s follows from the
    two), all multiplied by `scale` (at least 50 orders each)."""
    s = math.log(largest / smallest) / math.log(count)
    return tuple(max(50, round(largest * scale / rank ** s)) for rank in range(1, count + 1))


@dataclass(frozen=True)
class Dataset:
    """A loaded database: its URL, parameters, rows per table, how long loading took, where the data ends."""

    url: str
    name: str
    params: dict
    rows: dict[str, int]
    generate_s: float
    layout_s: float
    data_end: datetime
    reused: bool


def server_url(database: str) -> str:
    """Starts (or joins) the bench's embedded server and returns the URL of `database` (created if missing)."""
    from core import db

    return db.embedded_url(DATA_DIR, database)


def _recreate(database: str) -> str:
    admin = create_engine(server_url("postgres"), isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        # identifiers cannot be bound; the names are this module's constants
        conn.exec_driver_sql(f'DROP DATABASE IF EXISTS "{database}" WITH (FORCE)')
        conn.exec_driver_sql(f'CREATE DATABASE "{database}"')
    admin.dispose()
    return server_url(database)


def _marker(engine: Engine, name: str) -> Dataset | None:
    with engine.begin() as conn:
        conn.exec_driver_sql(MARKER_DDL)
        row = conn.execute(text("select * from bench_dataset where name = :n"), {"n": name}).mappings().first()
    if row is None:
        return None
    return Dataset(engine.url.render_as_string(hide_password=False), name, row["params"], row["rows"],
                   row["generate_s"], row["layout_s"], row["data_end"], True)


def _fresh(found: Dataset | None, params: dict) -> bool:
    return (found is not None and found.params == params
            and found.data_end > datetime.now(UTC) - timedelta(days=MAX_AGE_DAYS))


def _save(engine: Engine, ds: Dataset) -> None:
    with engine.begin() as conn:
        conn.exec_driver_sql(MARKER_DDL)
        conn.execute(text("delete from bench_dataset where name = :n"), {"n": ds.name})
        conn.execute(text(
            "insert into bench_dataset (name, params, rows, generate_s, layout_s, data_end) "
            "values (:n, cast(:p as jsonb), cast(:r as jsonb), :g, :l, :e)"),
            {"n": ds.name, "p": json.dumps(ds.params), "r": json.dumps(ds.rows), "g": ds.generate_s,
             "l": ds.layout_s, "e": ds.data_end})


def row_counts(engine: Engine) -> dict[str, int]:
    """Returns the exact number of rows of every table of the public and auth schemas, biggest first."""
    with engine.connect() as conn:
        tables = conn.execute(text(
            "select table_schema, table_name from information_schema.tables where table_type = 'BASE TABLE' "
            "and table_schema in ('public', 'auth') and table_name not in ('bench_dataset', 'alembic_version') "
            "order by 1, 2")).all()
        pg = conn.connection.driver_connection
        counts = {}
        for schema, table in tables:
            query = sql.SQL("select count(*) from {}").format(sql.Identifier(schema, table))
            counts[table if schema == "public" else f"{schema}.{table}"] = pg.execute(query).fetchone()[0]
    return dict(sorted(counts.items(), key=lambda kv: (-kv[1], kv[0])))


def interleave(engine: Engine, progress: Callable[[str], object]) -> None:
    """Rewrites the big tables in time order. The generator loads one distributor after another, so each
    one's rows would sit together on disk; a live platform writes every tenant's rows as they happen,
    interleaved. Reading one tenant's rows from interleaved pages is the honest (worse) case."""
    with engine.execution_options(isolation_level="AUTOCOMMIT").connect() as conn:
        pg = conn.connection.driver_connection
        for table, column in TIME_ORDERED.items():
            started = time.perf_counter()
            index = sql.Identifier(f"bench_time_order_{table}")
            pg.execute(sql.SQL("CREATE INDEX {} ON {} ({})").format(index, sql.Identifier(table),
                                                                     sql.Identifier(column)))
            pg.execute(sql.SQL("CLUSTER {} USING {}").format(sql.Identifier(table), index))
            pg.execute(sql.SQL("DROP INDEX {}").format(index))
            progress(f"  {table} rewritten in time order ({time.perf_counter() - started:.1f} s)")
        pg.execute("VACUUM ANALYZE")


def ensure_big(params: Params, progress: Callable[[str], object] = print, force: bool = False) -> Dataset:
    """Returns the big dataset, generating it unless one with the same parameters is already loaded."""
    import demo
    from core import db

    wanted = asdict(params) | {"sizes": list(params.sizes)}
    engine = create_engine(server_url(BIG_DB))
    found = None if force else _marker(engine, BIG_DB)
    if _fresh(found, wanted):
        db.migrate(engine)  # a migration added since the load applies to it too
        engine.dispose()
        progress(f"Reusing {BIG_DB}: {sum(found.rows.values()):,} rows loaded {found.data_end:%Y-%m-%d}, "
                 f"generated in {found.generate_s:.0f} s")
        return found
    engine.dispose()
    url = _recreate(BIG_DB)
    engine = create_engine(url)
    db.migrate(engine)
    end = datetime.now(UTC).replace(minute=0, second=0, microsecond=0)
    progress(f"Generating {len(params.sizes)} distributors ({sum(params.sizes):,} orders over {params.days} days) "
             f"into {BIG_DB}")
    started = time.perf_counter()
    demo.generate_and_load(engine, tenant_sizes=list(params.sizes), days=params.days, seed=params.seed, end=end,
                           progress=progress)
    generate_s = time.perf_counter() - started
    started = time.perf_counter()
    interleave(engine, progress)
    layout_s = time.perf_counter() - started
    ds = Dataset(url, BIG_DB, wanted, row_counts(engine), generate_s, layout_s, end, False)
    _save(engine, ds)
    engine.dispose()
    progress(f"Loaded {sum(ds.rows.values()):,} rows: generated in {generate_s:.0f} s, time-ordered in "
             f"{layout_s:.0f} s")
    return ds


def _tenant_tables(conn) -> list[tuple[str, list[str]]]:
    """(table, insertable columns) of every public table with distributor_id (generated columns left out)."""
    rows = conn.execute(text(
        "select c.table_name, array_agg(c.column_name::text order by c.ordinal_position) "
        "from information_schema.columns c "
        "join information_schema.tables t using (table_schema, table_name) "
        "where c.table_schema = 'public' and t.table_type = 'BASE TABLE' and c.is_generated = 'NEVER' "
        "and c.table_name in (select table_name from information_schema.columns "
        "                     where table_schema = 'public' and column_name = 'distributor_id') "
        "group by 1 order by 1")).all()
    return [(table, list(columns)) for table, columns in rows]


def ensure_solo(big: Dataset, distributor_id: str, progress: Callable[[str], object] = print) -> Dataset:
    """Returns a database holding only `distributor_id`'s rows, copied from the big one (same rows, same ids),
    reused while the big dataset it came from is unchanged."""
    from core import db

    wanted = {"from": big.params, "from_end": big.data_end.isoformat(), "distributor_id": distributor_id}
    engine = create_engine(server_url(SOLO_DB))
    found = _marker(engine, SOLO_DB)
    if _fresh(found, wanted):
        db.migrate(engine)
        engine.dispose()
        progress(f"Reusing {SOLO_DB}: {sum(found.rows.values()):,} rows")
        return found
    engine.dispose()
    url = _recreate(SOLO_DB)
    engine = create_engine(url)
    db.migrate(engine)
    source = create_engine(big.url)
    started = time.perf_counter()
    with source.connect() as src_conn, engine.connect() as dst_conn:
        src, dst = src_conn.connection.driver_connection, dst_conn.connection.driver_connection
        # foreign keys hold in the source; skipping their per-row triggers lets tables load in any order
        dst.execute("SET session_replication_role = replica")
        users = sql.SQL("where id in (select id from user_profiles where distributor_id = %s)")
        _copy(src, dst, "auth.users", ["id", "email", "encrypted_password", "created_at", "updated_at"], users,
              distributor_id)
        _copy(src, dst, "distributors", None, sql.SQL("where id = %s"), distributor_id)
        for table, columns in _tenant_tables(src_conn):
            _copy(src, dst, table, columns, sql.SQL("where distributor_id = %s"), distributor_id)
        dst.commit()
    source.dispose()
    with engine.execution_options(isolation_level="AUTOCOMMIT").connect() as conn:
        pg = conn.connection.driver_connection
        for (table,) in pg.execute("select c.relname from pg_class c join pg_namespace n on n.oid = c.relnamespace "
                                   "join pg_attribute a on a.attrelid = c.oid and a.attname = 'id' "
                                   "where n.nspname = 'public' and a.attidentity <> ''").fetchall():
            pg.execute(sql.SQL("SELECT setval(pg_get_serial_sequence({}, 'id'), max(id)) FROM {} "
                               "HAVING max(id) IS NOT NULL").format(sql.Literal(f"public.{table}"),
                                                                    sql.Identifier(table)))
        pg.execute("VACUUM ANALYZE")
    ds = Dataset(url, SOLO_DB, wanted, row_counts(engine), time.perf_counter() - started, 0.0, big.data_end, False)
    _save(engine, ds)
    engine.dispose()
    progress(f"Copied distributor {distributor_id} alone into {SOLO_DB} ({ds.generate_s:.1f} s)")
    return ds


def _copy(src, dst, table: str, columns: list[str] | None, where: sql.SQL, value: str) -> None:
    name = sql.Identifier(*table.split("."))
    cols = sql.SQL("*") if columns is None else sql.SQL(", ").join(map(sql.Identifier, columns))
    target = sql.SQL("") if columns is None else sql.SQL("({})").format(cols)
    query = sql.SQL("COPY (select {} from {} {} order by 1) TO STDOUT").format(cols, name, where)
    with src.cursor().copy(query, (value,)) as reader, dst.cursor().copy(
            sql.SQL("COPY {} {} FROM STDIN").format(name, target)) as writer:
        for block in reader:
            writer.write(block)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--scale", type=float, default=1.0, help="multiply every distributor's size (default 1)")
    parser.add_argument("--force", action="store_true", help="generate again even if a matching dataset exists")
    args = parser.parse_args()
    big = ensure_big(Params(zipf_sizes(scale=args.scale)), force=args.force)
    for table, n in big.rows.items():
        print(f"  {table:<28} {n:>12,}")


if __name__ == "__main__":
    main()
