"""bench/results.md and bench/results.json from one benchmark run, with each target checked."""

from __future__ import annotations

import json
from dataclasses import asdict
from pathlib import Path

from bench.apptests import PageRun
from bench.measure import Timing
from bench.scaling import Fit

P95_DEFAULT_MS = 150
P95_YEAR_MS = 400
PAGE_S = 1.5
RLS_MAX = 1.15
SOLO_MAX = 1.2


def _ms(value: float) -> str:
    return f"{value:.1f}" if value < 100 else f"{value:.0f}"


def _ratio(value: float) -> str:
    return f"{value:.2f}"


def targets(queries: dict[str, list[Timing]], solo: list[dict], pages: list[PageRun],
            search: dict) -> list[tuple[str, bool, str]]:
    """(target, met, the worst case) for each target of issue 7. A search the user types is not a default
    filter: it gets its own line. Ratios are checked on queries of 1 ms or more (below that they measure the
    fixed ~0.1 ms of planning and the machine's noise); the largest absolute difference below is shown."""
    big = [t for t in queries["largest"] if not t.searched]
    out = []
    for range_name, limit in (("default", P95_DEFAULT_MS), ("year", P95_YEAR_MS)):
        timings = [t for t in big if t.range == range_name]
        if not timings:
            continue
        worst = max(timings, key=lambda t: t.p95)
        over = [t for t in timings if t.p95 > limit]
        out.append((f"largest, {range_name} filters: every query p95 ≤ {limit} ms", not over,
                    f"{worst.page}.{worst.label} {_ms(worst.p95)} ms (p50 {_ms(worst.p50)}); {len(over)} over"))
    searched = [t for t in queries["largest"] if t.searched]
    if searched:
        worst = max(searched, key=lambda t: t.p95)
        out.append(("largest, with a search typed (no target in the issue: reported)", True,
                    f"{worst.page}.{worst.label} ({worst.range}) {_ms(worst.p95)} ms"))
    worst_page = max(pages, key=lambda r: r.seconds) if pages else None
    if worst_page:
        out.append((f"every page, every role: AppTest run ≤ {PAGE_S} s (cold caches)",
                    all(r.seconds <= PAGE_S and r.ok for r in pages),
                    f"{worst_page.page} as {worst_page.role} {worst_page.seconds:.2f} s"))
    every = queries["largest"]
    tiny = max((t.server - t.owner for t in every if t.owner < 1.0), default=0.0)
    worst_rls = max((t for t in every if t.owner >= 1.0), key=lambda t: t.rls, default=None)
    out.append((f"RLS overhead ≤ {RLS_MAX}× owner-with-filter (largest, queries of 1 ms or more)",
                worst_rls is None or worst_rls.rls <= RLS_MAX,
                (f"{worst_rls.page}.{worst_rls.label} ({worst_rls.range}) {_ratio(worst_rls.rls)}×; "
                 if worst_rls else "") + f"below 1 ms at most +{tiny:.2f} ms"))
    if solo:
        worst_solo = max((s for s in solo if s["alone_server"] >= 1.0), key=lambda s: s["ratio"], default=None)
        tiny = max((s["scale_server"] - s["alone_server"] for s in solo if s["alone_server"] < 1.0), default=0.0)
        out.append((f"smallest at scale ≤ {SOLO_MAX}× alone (server time, queries of 1 ms or more)",
                    worst_solo is None or worst_solo["ratio"] <= SOLO_MAX,
                    (f"{worst_solo['label']} ({worst_solo['range']}) {_ratio(worst_solo['ratio'])}× "
                     f"({worst_solo['scale_server']:.2f} vs {worst_solo['alone_server']:.2f} ms); "
                     if worst_solo else "") + f"below 1 ms at most +{tiny:.2f} ms"))
    out.append(("conversation search reads the full-text index, no sequential scan of messages",
                search.get("index_scans", 0) > 0 and search.get("seq_scans", 1) == 0,
                f"GIN index scans +{search.get('index_scans')}, messages seq scans +{search.get('seq_scans')}"))
    return out


def _query_table(rows: list[Timing]) -> list[str]:
    lines = ["| page | query | default p50 | p95 | server | ×app | ×RLS | year p50 | p95 | server | ×app | ×RLS "
             "| seq scans |",
             "| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- |"]
    by_key: dict[tuple[str, str], dict[str, Timing]] = {}
    for t in rows:
        by_key.setdefault((t.page, t.label), {})[t.range] = t
    for (page, label), ranges in by_key.items():
        cells = []
        for name in ("default", "year"):
            t = ranges.get(name)
            cells += ([_ms(t.p50), _ms(t.p95), _ms(t.server), _ratio(t.overhead), _ratio(t.rls)] if t
                      else ["—"] * 5)
        scans = sorted({s for t in ranges.values() for s in t.seq_scans})
        lines.append(f"| {page} | {label} | " + " | ".join(cells) + f" | {', '.join(scans) or '—'} |")
    return lines


def write(path_md: Path, path_json: Path, meta: dict, queries: dict[str, list[Timing]], solo: list[dict],
          pages: dict[str, list[PageRun]], search: dict, scaling: list[Fit]) -> list[tuple[str, bool, str]]:
    """Writes both files and returns the targets' outcome."""
    checked = targets(queries, solo, pages.get("largest", []), search)
    payload = {"meta": meta, "targets": [{"target": t, "met": ok, "worst": w} for t, ok, w in checked],
               "queries": {k: [asdict(t) | {"overhead": t.overhead, "rls": t.rls, "plan": None, "owner_plan": None}
                               for t in v] for k, v in queries.items()},
               "smallest_alone": solo, "pages": {k: [asdict(r) for r in v] for k, v in pages.items()},
               "search": search, "scaling": [asdict(f) for f in scaling]}
    path_json.write_text(json.dumps(payload, indent=1, default=str) + "\n")

    m = meta
    lines = [
        "# Benchmark results", "",
        f"Run {m['finished_at']} · {m['cores']} cores · {m['memory_gb']:.1f} GB memory · {m['postgres']} "
        f"(shared_buffers {m['shared_buffers']}, work_mem {m['work_mem']}) · load average "
        f"{m['load_before']} before, {m['load_after']} after · {m['reps']} runs after a warm-up, "
        f"{m['explains']} EXPLAIN runs each (best of). Times in ms. `make bench` to reproduce.", "",
        "## Targets", "",
        "| target | met | worst case |", "| --- | --- | --- |",
        *[f"| {t} | {'yes' if ok else '**no**'} | {w} |" for t, ok, w in checked], "",
        "## Dataset", "",
        f"{m['distributors']} distributors, orders per distributor {m['sizes'][0]:,} … {m['sizes'][-1]:,} over "
        f"{m['days']} days (seed {m['seed']}); generated in {m['generate_s']:.0f} s, rewritten in time order in "
        f"{m['layout_s']:.0f} s{' (reused)' if m['reused'] else ''}. Largest: {m['largest']}; smallest: "
        f"{m['smallest']}.", "",
        "| table | rows | largest | smallest |", "| --- | ---: | ---: | ---: |",
        *[f"| {table} | {n:,} | {m['tenant_rows']['largest'].get(table, 0):,} | "
          f"{m['tenant_rows']['smallest'].get(table, 0):,} |"
          for table, n in sorted(m["rows"].items(), key=lambda kv: (-kv[1], kv[0])) if n], "",
        "Columns: p50 / p95 of the app path (tenant_scope + queries/ function + DataFrame), `server` = planning "
        "+ execution inside PostgreSQL (EXPLAIN ANALYZE as the app role, best of the runs), `×app` = p50 / server, "
        "`×RLS` = server as the app role / server as the owner with only the explicit distributor_id filter. "
        "`year` = the last 365 days; `—` = the query takes no period.", "",
    ]
    for who in ("largest", "smallest"):
        lines += [f"## Queries, {who} distributor", "", *_query_table(queries[who]), ""]
    if solo:
        lines += ["## Smallest distributor: at scale vs alone (ms)", "",
                  "Runs alternate between the big database and one holding only this distributor. `server` is the "
                  "best of the EXPLAIN runs (what the database does for this tenant); `p50` is the app path, whose "
                  "sub-millisecond differences are the machine's noise.", "",
                  "| page | query | range | server at scale | server alone | ratio | p50 at scale | p50 alone "
                  "| ratio |",
                  "| --- | --- | --- | ---: | ---: | ---: | ---: | ---: | ---: |",
                  *[f"| {s['page']} | {s['label']} | {s['range']} | {s['scale_server']:.2f} "
                    f"| {s['alone_server']:.2f} | {_ratio(s['ratio'])} | {_ms(s['scale_p50'])} | {_ms(s['alone_p50'])} "
                    f"| {_ratio(s['p50_ratio'])} |"
                    for s in solo], ""]
    for who, runs in pages.items():
        lines += [f"## Pages, {who} distributor (AppTest, cold caches, seconds)", "",
                  "| page | role | seconds | ok |", "| --- | --- | ---: | --- |",
                  *[f"| {r.page} | {r.role} | {r.seconds:.2f} | {'yes' if r.ok else r.problem} |" for r in runs], ""]
    if scaling:
        sizes = " | ".join(f"{n:,}" for n, _ in scaling[0].points)
        lines += ["## Single-node limits: p95 (ms) by orders per tenant", "",
                  "A line through the larger tenants' p95 gives the size at which the query would cross its "
                  f"target ({P95_DEFAULT_MS} ms default, {P95_YEAR_MS} ms a year); * = beyond the largest tenant "
                  "measured (extrapolated). About 3.7 messages, 3.8 AI responses and 2.6 audit rows per order.", "",
                  f"| page | query | range | {sizes} | ms per 10k orders | crosses at orders |",
                  "| --- | --- | --- | " + " | ".join("---:" for _ in scaling[0].points) + " | ---: | ---: |",
                  *[f"| {f.page} | {f.label} | {f.range} | " + " | ".join(_ms(ms) for _, ms in f.points)
                    + f" | {f.ms_per_10k_orders:.1f} | "
                    + (f"{f.breaks_at_orders:,}{'*' if f.extrapolated else ''}" if f.breaks_at_orders is not None
                       else "—") + " |" for f in scaling], ""]
    lines += ["## Conversation search", "", f"Text searched: {search.get('text')!r}; {search.get('note', '')}", ""]
    path_md.write_text("\n".join(lines))
    return checked
