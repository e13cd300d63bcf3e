"""The load test's numbers: per-action results, the percentiles report, and a sampler of the server's CPU
and database connections while it runs."""

from __future__ import annotations

import statistics
import threading
from collections import Counter, defaultdict
from dataclasses import dataclass, field

POOL_SIGNS = ("QueuePool limit", "TimeoutError", "too many clients")


@dataclass
class Result:
    role: str
    page: str
    seconds: float
    errors: list[str] = field(default_factory=list)


def percentile(values: list[float], pct: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(pct / 100 * (len(ordered) - 1)))]


class Sampler(threading.Thread):
    """Every half second: the server process's CPU, the machine's CPU, and the load database's connections
    (all, and those running a statement), to size the pool from what was really used."""

    def __init__(self, pid: int, url: str):
        super().__init__(daemon=True)
        import psutil
        from sqlalchemy import create_engine

        self.process, self.psutil = psutil.Process(pid), psutil
        self.engine = create_engine(url, pool_size=1)
        self.samples: list[tuple[float, float, int, int]] = []
        self.stopping = threading.Event()

    def run(self) -> None:
        from sqlalchemy import text

        self.process.cpu_percent()
        self.psutil.cpu_percent()
        with self.engine.connect() as conn:
            while not self.stopping.wait(0.5):
                total, active = conn.execute(text(
                    "select count(*), count(*) filter (where state = 'active') from pg_stat_activity"
                    " where datname = current_database() and pid <> pg_backend_pid()")).one()
                conn.commit()
                self.samples.append((self.process.cpu_percent(), self.psutil.cpu_percent(), total, active))
        self.engine.dispose()

    def summary(self) -> str:
        if not self.samples:
            return "- no samples"
        server, machine, total, active = zip(*self.samples, strict=True)
        return (f"- server process CPU: mean {statistics.mean(server):.0f}% (of one core), max {max(server):.0f}%;"
                f" machine CPU mean {statistics.mean(machine):.0f}%\n"
                f"- database connections of the app: max {max(total)} open, max {max(active)} running a"
                f" statement at once (mean {statistics.mean(active):.1f})")


def report(results: list[Result], failures: list[str], log_text: str, seconds: float, sessions: int) -> str:
    """The numbers as a small Markdown report."""
    pages = [r for r in results if r.page != "sign-in"]
    times = [r.seconds for r in pages]
    errors = [e for r in results for e in r.errors]
    pool = sum(log_text.count(sign) for sign in POOL_SIGNS)
    lines = [
        f"## Load: {sessions} sessions for {seconds:.0f} s",
        "",
        f"- page completions: {len(pages)} ({len(pages) / seconds:.1f}/s), sign-ins: {len(results) - len(pages)}",
        f"- page time: p50 {percentile(times, 50):.2f} s, p95 {percentile(times, 95):.2f} s, "
        f"max {max(times):.2f} s" if times else "- page time: no page completed",
        f"- errors shown on pages: {len(errors)}; failed sessions: {len(failures)}",
        f"- pool exhaustion / timeouts in the server log: {pool}; tracebacks: {log_text.count('Traceback')}",
        "",
        "| page | runs | p50 s | p95 s |",
        "| --- | ---: | ---: | ---: |",
    ]
    by_page: dict[str, list[float]] = defaultdict(list)
    for r in results:
        by_page[r.page].append(r.seconds)
    for page, values in sorted(by_page.items()):
        lines.append(f"| {page} | {len(values)} | {percentile(values, 50):.2f} | {percentile(values, 95):.2f} |")
    for text, count in Counter(errors + failures).most_common(5):
        lines.append(f"\n{count} × {text}")
    return "\n".join(lines)
