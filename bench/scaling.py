"""Where the single-node limits are: each page query timed for distributors of several sizes, and the tenant
size at which its p95 would cross the target, from a straight line through the measurements.

Queries read one tenant's rows for a period, so their time grows with the tenant's own size (the benchmark
shows it does not grow with the others'); a line fitted to p95 against orders per tenant, over the sizes
where the query does measurable work, says at how many orders it reaches 150 ms (default filters) or
400 ms (a year). Beyond the largest tenant measured, that is an extrapolation, and says so."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import Engine

from bench.measure import percentile, run_once
from bench.page_queries import PAGES, Tenant, default_period, year_period

LIMITS = {"default": 150.0, "year": 400.0}


@dataclass
class Fit:
    page: str
    label: str
    range: str
    points: list[tuple[int, float]]  # (orders of the tenant, p95 ms)
    ms_per_10k_orders: float
    breaks_at_orders: int | None  # None: the line never reaches the limit
    extrapolated: bool


def _fit(points: list[tuple[int, float]]) -> tuple[float, float]:
    """Least-squares line p95 = a + b * orders over the points; returns (a, b)."""
    n = len(points)
    mx = sum(x for x, _ in points) / n
    my = sum(y for _, y in points) / n
    sxx = sum((x - mx) ** 2 for x, _ in points)
    b = sum((x - mx) * (y - my) for x, y in points) / sxx if sxx else 0.0
    return my - b * mx, b


def fit(page: str, label: str, range_name: str, points: list[tuple[int, float]]) -> Fit:
    """The line through the points of the larger half of the tenants (small ones only show fixed costs)."""
    ordered = sorted(points)
    a, b = _fit(ordered[len(ordered) // 2:])
    limit = LIMITS[range_name]
    breaks = None
    if b > 0:
        breaks = max(0, round((limit - a) / b))
    largest = ordered[-1][0]
    return Fit(page, label, range_name, ordered, b * 10_000, breaks, breaks is not None and breaks > largest)


def measure_sizes(engine: Engine, tenants: list[Tenant], reps: int = 7, pages: list[str] | None = None,
                  progress=print) -> list[Fit]:
    """Times every registered query (default filters, and a year where the query takes a period) for each
    tenant: `reps` runs after a warm-up, p95."""
    fits = []
    for page, queries in PAGES.items():
        if pages and page not in pages:
            continue
        for pq in queries:
            ranges = [("default", default_period)] + ([("year", year_period)] if pq.ranged else [])
            for range_name, period in ranges:
                points = []
                for t in tenants:
                    params = pq.params(t, period(t))
                    run_once(engine, t, pq, params)
                    points.append((t.orders, percentile([run_once(engine, t, pq, params) for _ in range(reps)], 95)))
                fits.append(fit(page, pq.label, range_name, points))
                last = fits[-1]
                progress(f"    {page:<14} {pq.label:<30} {range_name:<7} "
                         + " ".join(f"{ms:7.1f}" for _, ms in last.points)
                         + f"   breaks at {last.breaks_at_orders or '—'}")
    return fits
