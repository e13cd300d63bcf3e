"""`python -m demo [--tenants N] [--orders N] [--days N] [--seed N] [--reset]`: loads demo data into
the configured database (the embedded one is started and migrated first)."""

from __future__ import annotations

import argparse
import time

from core import db
from demo import DEMO_PASSWORD, demo_logins, generate_and_load, reset


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m demo", description=__doc__)
    parser.add_argument("--tenants", type=int, default=3, help="distributors to add (default 3)")
    parser.add_argument("--orders", type=int, default=5000, help="orders per distributor (default 5000)")
    parser.add_argument("--days", type=int, default=120, help="days of history up to now (default 120)")
    parser.add_argument("--seed", type=int, default=42, help="random seed (default 42)")
    parser.add_argument("--reset", action="store_true", help="delete all distributors and users first")
    args = parser.parse_args()
    engine = db.ready_engine()
    if args.reset:
        reset(engine)
        print("Deleted all distributors and users.")
    started = time.perf_counter()
    counts = generate_and_load(engine, tenants=args.tenants, orders_per_tenant=args.orders, days=args.days,
                               seed=args.seed)
    print(f"Done in {time.perf_counter() - started:.1f} s. Rows per table:")
    for table, n in counts.items():
        print(f"  {table:<28} {n:>12,}")
    print(f"Demo sign-ins of the first distributors (password {DEMO_PASSWORD}):")
    for email, role, distributor in demo_logins(min(args.tenants, 3)):
        print(f"  {email:<28} {role:<9} {distributor}")


if __name__ == "__main__":
    main()
