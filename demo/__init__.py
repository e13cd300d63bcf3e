"""Deterministic demo and benchmark data: distributors in different trades, countries and languages, with
their staff, customers, catalog, WhatsApp conversations, AI suggestions and reviews, orders, AI spend
against budget, audit trail and integrations, all consistent with each other.

Same seed and same `end` give byte-for-byte the same data (every random draw comes from a per-tenant
random.Random, UUIDs included). Rows are generated per tenant in batches of a few thousand events and
streamed with COPY: besides one batch, memory holds only a tenant's timeline and compact arrays (a
200,000-order tenant peaks around 170 MB in the generator).

    generate_and_load(engine)            # the 3 demo distributors, 5,000 orders each, last 120 days
    python -m demo --reset          # the same from the command line
"""

from __future__ import annotations

import random
import time
from collections.abc import Callable
from datetime import datetime

import bcrypt
from sqlalchemy import Engine, text

from core import clock as business_clock  # demo.clock is the generator's own timeline
from demo import ops
from demo.activity import Activity
from demo.load import Loader
from demo.setup import OPERATOR_EMAIL, ROLES, build_tenant, identity

DEMO_PASSWORD = "demo1234"
_BCRYPT_ALPHABET = b"./ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789"


def demo_logins(tenants: int = 3) -> list[tuple[str, str, str]]:
    """Returns (email, role, distributor name) of the demo users of the first `tenants` distributors;
    all sign in with DEMO_PASSWORD."""
    logins = []
    for index in range(tenants):
        name, _, domain = identity(index)
        logins += [(f"{local}@{domain}", role, name) for local, role in ROLES]
    if tenants:
        logins.append((OPERATOR_EMAIL, "operator", identity(0)[0]))
    return logins


def password_hash(seed: int) -> str:
    """Returns the bcrypt hash (cost 10) of DEMO_PASSWORD, with a salt drawn from the seed so the
    demo stays reproducible. Hashed once and shared by every demo user."""
    rng = random.Random(f"ordersight-demo:{seed}:password")
    # 22 salt characters; the last one carries only 2 bits, so bcrypt accepts just these four
    salt = bytes(rng.choice(_BCRYPT_ALPHABET) for _ in range(21)) + bytes([rng.choice(b".Oeu")])
    return bcrypt.hashpw(DEMO_PASSWORD.encode(), b"$2b$10$" + salt).decode()


def reset(engine: Engine) -> None:
    """Deletes every distributor and every auth user, with all their data (meant for demo databases)."""
    with engine.begin() as conn:
        conn.exec_driver_sql("TRUNCATE distributors, auth.users CASCADE")


def generate_and_load(engine: Engine, *, tenants: int = 3, orders_per_tenant: int = 5000, days: int = 120,
                      seed: int = 42, progress: Callable[[str], object] = print,
                      tenant_sizes: list[int] | None = None, end: datetime | None = None,
                      bulk_checks: bool | None = None) -> dict[str, int]:
    """Generates the tenants (tenant_sizes: orders per tenant, overriding tenants x orders_per_tenant)
    over the `days` local days up to `end` (default: now, to the hour) and loads them; returns the rows
    loaded per table. Tenants already in the database are kept: new ones take the next names and ids.
    bulk_checks: see demo.load.Loader (default: foreign keys verified per tenant when allowed)."""
    sizes = list(tenant_sizes) if tenant_sizes is not None else [orders_per_tenant] * tenants
    end = end or business_clock.now().replace(minute=0, second=0, microsecond=0)
    started = time.perf_counter()
    with engine.connect() as conn:
        first = conn.execute(text("select count(*) from distributors")).scalar_one()
    hashed = password_hash(seed)
    loader = Loader(engine, bulk_checks)
    try:
        for position, n_orders in enumerate(sizes):
            tenant_started = time.perf_counter()
            t, static = build_tenant(first + position, seed, n_orders, days, end, loader.ids, hashed)
            loader.begin()
            loader.copy(static)
            for batch in Activity(t, loader.ids).batches():
                loader.copy(batch)
            budget_cents, hard_limit, alerts = ops.budget(t, loader.ids)
            loader.copy(alerts)
            loader.finish(t.id, t.trade.timezone, budget_cents, hard_limit)
            progress(f"  {t.name}: {n_orders:,} orders over {days} days "
                     f"({time.perf_counter() - tenant_started:.1f} s)")
    except BaseException:
        loader.abort()
        raise
    counts = loader.close()
    progress(f"Loaded {len(sizes)} distributors, {sum(counts.values()):,} rows "
             f"in {time.perf_counter() - started:.1f} s")
    return dict(sorted(counts.items()))
