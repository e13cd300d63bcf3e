"""Each page rendered once per role with streamlit's AppTest against a benchmark database, caches cold.

The page runs in this process as `streamlit run` would run it for a signed-in user: every fetch goes through
components.data (st.cache_data, emptied before each run) and tenant_scope on the configured database. The
first run of a page in the process pays Python's imports; an untimed run first leaves only the page's own
work in the timed one. A run that shows an exception or an error box is reported as failed."""

from __future__ import annotations

import time
from dataclasses import dataclass

import streamlit as st
from sqlalchemy import Engine, text
from streamlit.testing.v1 import AppTest

from bench.dataset import ROOT
from components.navigation import PAGES
from services.auth_model import User


@dataclass
class PageRun:
    page: str
    role: str
    seconds: float
    ok: bool
    problem: str = ""


def users(engine: Engine, distributor_id: str) -> list[User]:
    """One User per role of the distributor (as sign-in builds it), admin first."""
    with engine.connect() as conn:
        d = conn.execute(text("select name, timezone, trim(currency) as currency from distributors where id = :d"),
                         {"d": distributor_id}).one()
        rows = conn.execute(text(
            "select distinct on (p.role) p.id, p.email, p.full_name, p.role, "
            "  array(select permission from role_permissions r where r.role = p.role) as permissions "
            "from user_profiles p where p.distributor_id = :d and p.is_active "
            "order by p.role, p.email"), {"d": distributor_id}).all()
    order = ["admin", "manager", "support", "finance", "operator"]
    return sorted((User(id=str(r.id), email=r.email, full_name=r.full_name, role=r.role,
                        distributor_id=distributor_id, distributor_name=d.name, timezone=d.timezone,
                        currency=d.currency, permissions=frozenset(r.permissions),
                        home_distributor_id=distributor_id) for r in rows),
                  key=lambda u: order.index(u.role) if u.role in order else len(order))


def _run(path: str, user: User) -> tuple[float, AppTest]:
    st.cache_data.clear()
    at = AppTest.from_file(str(ROOT / path), default_timeout=120)
    at.session_state["user"] = user
    started = time.perf_counter()
    at.run()
    return time.perf_counter() - started, at


def _problem(at: AppTest) -> str:
    if at.exception:
        return f"exception: {at.exception[0].message[:200]}"
    if at.error:
        return f"error: {at.error[0].value[:200]}"
    return ""


def render_pages(engine: Engine, distributor_id: str, progress=print) -> list[PageRun]:
    """Times each page the distributor's roles may open (one timed run per page and role)."""
    runs = []
    people = users(engine, distributor_id)
    warmed = set()
    for spec in PAGES:
        for user in people:
            if not user.can(spec.permission):
                continue
            if spec.path not in warmed:
                _run(spec.path, user)
                warmed.add(spec.path)
            seconds, at = _run(spec.path, user)
            problem = _problem(at)
            runs.append(PageRun(spec.path.removeprefix("pages/").removesuffix(".py"), user.role, seconds,
                                not problem, problem))
            progress(f"    {runs[-1].page:<14} {user.role:<9} {seconds:6.2f} s {problem}")
    st.cache_data.clear()
    return runs
