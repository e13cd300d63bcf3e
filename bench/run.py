"""`make bench`: the large dataset (generated once, then reused), every page query for the largest and the
smallest distributor, the smallest one alone, every page per role with AppTest; results into
bench/results.md and bench/results.json. See bench/README.md.

    python -m bench.run                    # everything, full size
    python -m bench.run --scale 0.25       # a quarter of the data (largest 50,000 orders)
    python -m bench.run --reps 5 --no-pages --page orders
"""

from __future__ import annotations

import argparse
import os
import platform
import re
import time
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy import Engine, create_engine, text
from sqlalchemy.pool import NullPool

from bench import dataset
from bench.dataset import ROOT
from bench.measure import Capture, Timing, measure, percentile, run_once, server_ms, tenant
from bench.page_queries import PAGES, Tenant, default_period, year_period
from bench.report import write
from bench.scaling import measure_sizes
from core.db import get_engine, tenant_scope

PLANS = dataset.DATA_DIR / "plans"


def _use_bench_database() -> None:
    """Points the app's settings (AppTest pages, get_engine) at the bench database, never the demo one."""
    from core.config import get_settings

    os.environ.pop("DATABASE_URL", None)
    os.environ.pop("OPENAI_API_KEY", None)  # the assistant page drafts offline, as in the tests
    os.environ["ORDERSIGHT_DATA_DIR"] = str(dataset.DATA_DIR)
    os.environ["ORDERSIGHT_DATABASE_NAME"] = dataset.BIG_DB
    get_settings.cache_clear()


def _machine(engine: Engine) -> dict:
    mem_kb = int(re.search(r"MemTotal:\s+(\d+)", Path("/proc/meminfo").read_text()).group(1))
    with engine.connect() as conn:
        pg = conn.execute(text("select current_setting('server_version'), current_setting('shared_buffers'), "
                               "current_setting('work_mem')")).one()
    return {"cores": os.cpu_count(), "memory_gb": mem_kb / 1024 / 1024, "python": platform.python_version(),
            "postgres": f"PostgreSQL {pg[0]}", "shared_buffers": pg[1], "work_mem": pg[2],
            "load_before": " ".join(f"{x:.1f}" for x in os.getloadavg())}


def _tenants(engine: Engine) -> list[str]:
    """Distributor ids, most orders first."""
    with engine.connect() as conn:
        return list(conn.execute(text(
            "select d.id::text from distributors d "
            "order by (select count(*) from orders o where o.distributor_id = d.id) desc, d.id")).scalars())


def _tenant_rows(engine: Engine, distributor_id: str) -> dict[str, int]:
    with engine.connect() as conn:
        tables = conn.execute(text(
            "select table_name from information_schema.columns where table_schema = 'public' "
            "and column_name = 'distributor_id' and table_name in (select table_name from information_schema.tables "
            "where table_schema = 'public' and table_type = 'BASE TABLE') order by 1")).scalars().all()
        pg = conn.connection.driver_connection
        from psycopg import sql

        return {t: pg.execute(sql.SQL("select count(*) from {} where distributor_id = %s").format(
            sql.Identifier(t)), (distributor_id,)).fetchone()[0] for t in tables}


def _slug(text_: str) -> str:
    return re.sub(r"[^a-z0-9]+", "_", text_.lower()).strip("_")


def run_queries(engine: Engine, capture: Capture, t: Tenant, who: str, args) -> list[Timing]:
    """Measures every registered query for tenant t, with the default period and (if it takes one) a year."""
    out = []
    PLANS.mkdir(parents=True, exist_ok=True)
    for page, queries in PAGES.items():
        if args.page and page not in args.page:
            continue
        for pq in queries:
            if args.query and not any(q in pq.label for q in args.query):
                continue
            ranges = [("default", default_period(t))] + ([("year", year_period(t))] if pq.ranged else [])
            for range_name, period in ranges:
                timing = measure(engine, capture, t, pq, pq.params(t, period), range_name, args.reps, args.explains)
                name = f"{who}-{range_name}-{page}-{_slug(pq.label)}"
                (PLANS / f"{name}.txt").write_text(timing.plan)
                (PLANS / f"{name}.owner.txt").write_text(timing.owner_plan)
                out.append(timing)
                print(f"    {page:<14} {pq.label:<28} {range_name:<7} p50 {timing.p50:8.1f}  p95 {timing.p95:8.1f}"
                      f"  server {timing.server:8.1f}  ×RLS {timing.rls:5.2f} {' '.join(timing.seq_scans)}",
                      flush=True)
    return out


def compare_alone(big: Engine, capture: Capture, solo: Engine, t: Tenant, args) -> list[dict]:
    """Tenant t's queries in the big database and in its own: p50 of `reps` app-path runs and the best of
    `explains` server times, runs alternating between the two databases so a busy moment of the machine
    weighs on both alike."""
    out = []
    alone_t = tenant(solo, t.distributor_id)
    for page, queries in PAGES.items():
        if args.page and page not in args.page:
            continue
        for pq in queries:
            if args.query and not any(q in pq.label for q in args.query):
                continue
            for range_name, period in [("default", default_period)] + ([("year", year_period)] if pq.ranged else []):
                params = pq.params(t, period(t))
                run_once(big, t, pq, params, capture)  # warm-ups; the first also captures the statements
                statements = list(capture.statements)
                run_once(solo, alone_t, pq, params)
                pairs = [(run_once(big, t, pq, params), run_once(solo, alone_t, pq, params))
                         for _ in range(args.reps)]
                servers = []
                for _ in range(args.explains):
                    with tenant_scope(t.distributor_id, engine=big) as conn:
                        at_scale = server_ms(conn, statements)
                    with tenant_scope(t.distributor_id, engine=solo) as conn:
                        servers.append((at_scale, server_ms(conn, statements)))
                row = {"page": page, "label": pq.label, "range": range_name, "searched": pq.searched,
                       "scale_p50": percentile([a for a, _ in pairs], 50),
                       "alone_p50": percentile([b for _, b in pairs], 50),
                       "scale_server": min(a for a, _ in servers), "alone_server": min(b for _, b in servers)}
                row["ratio"] = row["scale_server"] / row["alone_server"]
                row["p50_ratio"] = row["scale_p50"] / row["alone_p50"]
                out.append(row)
                print(f"    {page:<14} {pq.label:<30} {range_name:<7} p50 {row['scale_p50']:7.2f} "
                      f"{row['alone_p50']:7.2f}  server {row['scale_server']:7.2f} {row['alone_server']:7.2f}  "
                      f"{row['ratio']:5.2f}", flush=True)
    return out


def search_check(url: str, t: Tenant) -> dict:
    """Runs the queue's search for a common word as the app does, on a connection of its own that closes
    (flushing its statistics), and returns the index and sequential scans it caused on messages."""
    stats = text("select coalesce(sum(s.idx_scan) filter (where am.amname = 'gin'), 0) as gin, "
                 "(select seq_scan from pg_stat_user_tables where relname = 'messages') as seq "
                 "from pg_stat_user_indexes s join pg_class i on i.oid = s.indexrelid "
                 "join pg_am am on am.oid = i.relam where s.relname = 'messages'")
    engine = create_engine(url, poolclass=NullPool)
    from queries.conversations import QueueFilters
    from queries.conversations import conversation_queue as queue

    def read() -> tuple[int, int]:
        time.sleep(1.0)  # a closed backend's statistics reach the shared counters right after it exits
        with engine.connect() as conn:
            conn.execute(text("select pg_stat_clear_snapshot()"))
            row = conn.execute(stats).one()
        return int(row.gin), int(row.seq)

    gin0, seq0 = read()
    with tenant_scope(t.distributor_id, engine=engine) as conn:
        found = queue(conn, distributor_id=t.distributor_id, filters=QueueFilters(search=t.product_search), limit=25)
    gin1, seq1 = read()
    engine.dispose()
    return {"text": t.product_search, "rows": len(found), "index_scans": gin1 - gin0, "seq_scans": seq1 - seq0,
            "note": "scans counted from pg_stat_user_indexes / pg_stat_user_tables around one run of the "
                    "queue with that search (statements inside SECURITY DEFINER functions included)."}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--scale", type=float, default=1.0, help="size of every distributor (default 1 = full)")
    parser.add_argument("--reps", type=int, default=20, help="timed runs per query after a warm-up")
    parser.add_argument("--explains", type=int, default=5, help="EXPLAIN ANALYZE runs per query and role")
    parser.add_argument("--page", action="append", help="only these pages' queries (repeatable)")
    parser.add_argument("--query", action="append", help="only queries whose label contains this (repeatable)")
    parser.add_argument("--no-pages", action="store_true", help="skip the AppTest page runs")
    parser.add_argument("--no-scaling", action="store_true", help="skip the per-tenant-size measurements")
    parser.add_argument("--no-solo", action="store_true", help="skip the smallest-distributor-alone comparison")
    parser.add_argument("--out", type=Path, default=ROOT / "bench", help="folder for results.md / results.json")
    args = parser.parse_args()
    started = time.perf_counter()
    _use_bench_database()

    params = dataset.Params(dataset.zipf_sizes(scale=args.scale))
    big = dataset.ensure_big(params)
    engine = get_engine(big.url)  # the app's engine settings (pool, driver options)
    capture = Capture(engine)
    meta = _machine(engine) | {"reps": args.reps, "explains": args.explains, "scale": args.scale,
                               "distributors": len(params.sizes), "sizes": list(params.sizes), "days": params.days,
                               "seed": params.seed, "generate_s": big.generate_s, "layout_s": big.layout_s,
                               "reused": big.reused, "rows": big.rows}
    ranked = _tenants(engine)
    largest_id, smallest_id = ranked[0], ranked[-1]
    queries, tenants = {}, {}
    for who, distributor_id in (("largest", largest_id), ("smallest", smallest_id)):
        tenants[who] = t = tenant(engine, distributor_id)
        meta[who] = f"{t.name} ({t.orders:,} orders)"
        print(f"Queries of the {who} distributor, {t.name} ({t.orders:,} orders):", flush=True)
        queries[who] = run_queries(engine, capture, t, who, args)
    meta["tenant_rows"] = {who: _tenant_rows(engine, t.distributor_id) for who, t in tenants.items()}

    solo = []
    if not args.no_solo:
        alone = dataset.ensure_solo(big, smallest_id)
        print("The smallest distributor at scale and alone, runs alternating:", flush=True)
        solo = compare_alone(engine, capture, get_engine(alone.url), tenants["smallest"], args)
    scaling = []
    if not args.no_scaling:
        # sizes spread over the range: 200,000, 44,000, 18,000, 6,000, 1,350 and 300 orders at full scale
        sample = [tenant(engine, ranked[i]) for i in (0, 1, 2, 4, 9, len(ranked) - 1) if i < len(ranked)]
        print("Scaling: p95 per tenant size (" + ", ".join(f"{t.orders:,}" for t in sample) + " orders):")
        scaling = measure_sizes(engine, sample, pages=args.page)
    search = search_check(big.url, tenants["largest"])
    pages = {}
    if not args.no_pages:
        from bench.apptests import render_pages

        for who in ("largest", "smallest"):
            print(f"Pages of the {who} distributor (AppTest):", flush=True)
            pages[who] = render_pages(get_engine(), tenants[who].distributor_id)
    meta |= {"load_after": " ".join(f"{x:.1f}" for x in os.getloadavg()),
             "finished_at": datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC"),
             "bench_s": time.perf_counter() - started}
    checked = write(args.out / "results.md", args.out / "results.json", meta, queries, solo, pages, search,
                    scaling)
    print(f"\nDone in {meta['bench_s']:.0f} s. Targets:")
    for target, ok, worst in checked:
        print(f"  [{'x' if ok else ' '}] {target} — worst: {worst}")


if __name__ == "__main__":
    main()
